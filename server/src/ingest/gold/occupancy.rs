//! Indicator 2, bed occupancy per state, bed class and scope:
//! snapshots (bronze) → `silver/occupancy_notification` (every report known,
//! each in its latest version, valid states only) → `gold/occupancy_state`
//! (one row per day, state, bed class and scope, with coverage figures).
//!
//! Definition (BRIEF.md): as of day D, each hospital counts with its latest
//! report whose Brasília-time day is on or before D, if that day is at most
//! 13 days before D (older: stale, counted apart). Per bed type T, offered
//! and occupied are the sums of the scope's columns; the hospital's T row is
//! used if offered > 0 and every involved value is within 0..=10,000
//! (otherwise counted as rejected); occupied is capped at offered. Every
//! report ever collected counts, so a late or revised report also corrects
//! the days before it arrived.

use arrow_schema::{DataType, FieldRef, TimeUnit};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use app::{
    catalog::{
        runs::StageMetrics,
        vocabulary::{BedClass, Scope},
    },
    indicators::OccupancyDay,
};

use crate::ingest::{
    bronze::formats::{UFS, occupancy_snapshot::Notification},
    parquet::column,
    silver::reports::{self, Daily, MAX_COUNT, Report, WINDOW_DAYS},
};
use crate::lake::Lake;

fn notification_fields() -> Vec<FieldRef> {
    let instant = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let mut fields = vec![
        column("cnes", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("name", DataType::Utf8, false),
        column("notified_at", instant.clone(), false),
        column("snapshot_at", instant, false),
    ];
    for name in [
        "offered_hosp_cli",
        "offered_hosp_uti",
        "offered_srag_cli",
        "offered_srag_uti",
        "occupied_hosp_cli",
        "occupied_hosp_uti",
        "occupied_srag_cli",
        "occupied_srag_uti",
    ] {
        fields.push(column(name, DataType::Int64, false));
    }
    fields.push(column("respirators", DataType::Int64, true));
    fields
}

impl Report for Notification {
    const SILVER: &'static str = "occupancy_notification";
    const REJECTS: &'static str = "occupancy_rejects";
    const AS_OF: &'static str = "snapshot_at";

    fn fields() -> Vec<FieldRef> {
        notification_fields()
    }

    fn hospital(&self) -> &str {
        &self.cnes
    }

    fn uf(&self) -> &str {
        &self.uf
    }

    fn notified_at(&self) -> DateTime<Utc> {
        self.notified_at
    }

    /// The newest snapshot's version counts.
    fn version(&self) -> DateTime<Utc> {
        self.snapshot_at
    }

    fn as_of(&self) -> DateTime<Utc> {
        self.snapshot_at
    }

    fn withdrawn(&self) -> Option<(&'static str, String, &'static str)> {
        None
    }
}

fn gold_fields() -> Vec<FieldRef> {
    vec![
        column("uf", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("bed_class", DataType::Utf8, false),
        column("scope", DataType::Utf8, false),
        column("offered", DataType::Int64, false),
        column("occupied", DataType::Int64, false),
        column("occupied_raw", DataType::Int64, false),
        column("rate", DataType::Float64, false),
        column("hospitals", DataType::Int64, false),
        column("stale", DataType::Int64, false),
        column("over_capacity", DataType::Int64, false),
        column("rejected", DataType::Int64, false),
    ]
}

/// A bed type: class and scope, and the columns they add up.
#[derive(Clone, Copy)]
pub struct BedType {
    pub class: BedClass,
    pub scope: Scope,
    offered: fn(&Notification) -> [i64; 2],
    occupied: fn(&Notification) -> [i64; 2],
}

/// Every bed type, clinical then ICU, all beds then COVID/SRAG beds. A
/// scope of one column adds a zero.
pub const BED_TYPES: [BedType; 4] = [
    BedType {
        class: BedClass::Clinical,
        scope: Scope::All,
        offered: |n| [n.offered_hosp_cli, n.offered_srag_cli],
        occupied: |n| [n.occupied_hosp_cli, n.occupied_srag_cli],
    },
    BedType {
        class: BedClass::Clinical,
        scope: Scope::Covid,
        offered: |n| [n.offered_srag_cli, 0],
        occupied: |n| [n.occupied_srag_cli, 0],
    },
    BedType {
        class: BedClass::Icu,
        scope: Scope::All,
        offered: |n| [n.offered_hosp_uti, n.offered_srag_uti],
        occupied: |n| [n.occupied_hosp_uti, n.occupied_srag_uti],
    },
    BedType {
        class: BedClass::Icu,
        scope: Scope::Covid,
        offered: |n| [n.offered_srag_uti, 0],
        occupied: |n| [n.occupied_srag_uti, 0],
    },
];

/// What one hospital's current report says of one bed type on a day,
/// under indicator 2's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beds {
    /// The report is older than the 14-day window.
    Stale,
    /// A value is negative or above [`MAX_COUNT`].
    Rejected,
    /// No beds of this type offered.
    NoBeds,
    /// Counted: beds offered, occupied capped at the offer, and occupied
    /// as reported.
    Counted {
        offered: i64,
        occupied: i64,
        occupied_raw: i64,
    },
}

impl BedType {
    /// Judges `note`, the hospital's current report on a day `age` days
    /// after the report's own day.
    pub fn judge(&self, note: &Notification, age: i64) -> Beds {
        if age > WINDOW_DAYS {
            return Beds::Stale;
        }
        let (offers, occupied) = ((self.offered)(note), (self.occupied)(note));
        if offers
            .iter()
            .chain(&occupied)
            .any(|v| !(0..=MAX_COUNT).contains(v))
        {
            return Beds::Rejected;
        }
        let offered: i64 = offers.iter().sum();
        if offered <= 0 {
            return Beds::NoBeds;
        }
        let occupied_raw: i64 = occupied.iter().sum();
        Beds::Counted {
            offered,
            occupied: occupied_raw.min(offered),
            occupied_raw,
        }
    }
}

/// Computes `gold/occupancy_state` from the silver of `sources` and writes it
/// to the lake.
pub async fn gold(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<(Vec<OccupancyDay>, StageMetrics)> {
    reports::gold::<Notification, Series>(lake, sources).await
}

/// Running sums of one state, day and bed type.
#[derive(Clone, Copy, Default)]
struct Sums {
    offered: i64,
    occupied: i64,
    occupied_raw: i64,
    hospitals: i64,
    stale: i64,
    over_capacity: i64,
    rejected: i64,
}

/// The daily sums of every state and bed type, from the first to the last
/// snapshot day, filled hospital by hospital.
struct Series {
    first: NaiveDate,
    last: NaiveDate,
    sums: Vec<Sums>,
}

impl Series {
    fn slot(day: usize, uf: usize, bed: usize) -> usize {
        (day * UFS.len() + uf) * BED_TYPES.len() + bed
    }
}

impl Daily<Notification> for Series {
    type Row = OccupancyDay;
    const GOLD: &'static str = "occupancy_state";

    fn fields() -> Vec<FieldRef> {
        gold_fields()
    }

    fn new(first: NaiveDate, last: NaiveDate) -> Self {
        let days = (last - first).num_days() as usize + 1;
        Series {
            first,
            last,
            sums: vec![Sums::default(); days * UFS.len() * BED_TYPES.len()],
        }
    }

    /// Adds one hospital's reports, sorted by report time.
    fn add(&mut self, hospital: &[Notification]) {
        for (note, day, d) in reports::each_day(hospital, self.first, self.last) {
            let uf = UFS
                .iter()
                .position(|u| *u == note.uf)
                .expect("silver holds valid states only");
            let index = (d - self.first).num_days() as usize;
            for (bed, kind) in BED_TYPES.iter().enumerate() {
                let sum = &mut self.sums[Self::slot(index, uf, bed)];
                match kind.judge(note, (d - day).num_days()) {
                    Beds::Stale => sum.stale += 1,
                    Beds::Rejected => sum.rejected += 1,
                    Beds::NoBeds => {}
                    Beds::Counted {
                        offered,
                        occupied,
                        occupied_raw,
                    } => {
                        sum.offered += offered;
                        sum.occupied += occupied;
                        sum.occupied_raw += occupied_raw;
                        sum.hospitals += 1;
                        sum.over_capacity += i64::from(occupied_raw > offered);
                    }
                }
            }
        }
    }

    /// One row per day, state and bed type with at least one hospital.
    fn rows(&self) -> Vec<OccupancyDay> {
        let days = (self.last - self.first).num_days() as usize + 1;
        let mut rows = Vec::new();
        for index in 0..days {
            let date = self.first + Duration::days(index as i64);
            for (u, uf) in UFS.iter().enumerate() {
                for (bed, kind) in BED_TYPES.iter().enumerate() {
                    let sum = self.sums[Self::slot(index, u, bed)];
                    if sum.hospitals == 0 {
                        continue;
                    }
                    rows.push(OccupancyDay {
                        uf: (*uf).to_owned(),
                        date,
                        bed_class: kind.class,
                        scope: kind.scope,
                        offered: sum.offered,
                        occupied: sum.occupied,
                        occupied_raw: sum.occupied_raw,
                        rate: sum.occupied as f64 / sum.offered as f64,
                        hospitals: sum.hospitals,
                        stale: sum.stale,
                        over_capacity: sum.over_capacity,
                        rejected: sum.rejected,
                    });
                }
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    /// A report as bronze and silver held it before names and respirators.
    #[derive(Serialize)]
    struct Before {
        cnes: String,
        uf: String,
        city: String,
        #[serde(with = "crate::ingest::bronze::formats::arrow_time::instant")]
        notified_at: DateTime<Utc>,
        #[serde(with = "crate::ingest::bronze::formats::arrow_time::instant")]
        snapshot_at: DateTime<Utc>,
        offered_hosp_cli: i64,
        offered_hosp_uti: i64,
        offered_srag_cli: i64,
        offered_srag_uti: i64,
        occupied_hosp_cli: i64,
        occupied_hosp_uti: i64,
        occupied_srag_cli: i64,
        occupied_srag_uti: i64,
    }

    #[test]
    fn reports_stored_before_names_and_respirators_still_read() {
        let fields: Vec<FieldRef> = notification_fields()
            .into_iter()
            .filter(|f| !["name", "respirators"].contains(&f.name().as_str()))
            .collect();
        let at = "2021-03-05T03:00:39Z".parse().unwrap();
        let before = Before {
            cnes: "0009768".into(),
            uf: "SP".into(),
            city: "Campinas".into(),
            notified_at: at,
            snapshot_at: at,
            offered_hosp_cli: 62,
            offered_hosp_uti: 2,
            offered_srag_cli: 0,
            offered_srag_uti: 0,
            occupied_hosp_cli: 9,
            occupied_hosp_uti: 3,
            occupied_srag_cli: 0,
            occupied_srag_uti: 6,
        };
        let batch = serde_arrow::to_record_batch(&fields, &vec![before]).unwrap();
        let read: Vec<Notification> = serde_arrow::from_record_batch(&batch).unwrap();
        assert_eq!((read[0].name.as_str(), read[0].respirators), ("", None));
        assert_eq!(read[0].occupied_srag_uti, 6);
    }
}
