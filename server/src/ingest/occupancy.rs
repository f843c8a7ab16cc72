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

use std::{cmp::Ordering, time::Instant};

use anyhow::Context;
use arrow_array::TimestampMicrosecondArray;
use arrow_schema::{DataType, FieldRef, TimeUnit};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Refined,
    bronze::{self, Parser, reject_fields},
    formats::{UFS, occupancy_snapshot::Notification},
    manifest::Manifest,
    metrics::StageMetrics,
    parquet::{self, Writer, column, column_of},
    reject::Reject,
    sort::{Merge, Sorter, Stream},
};
use crate::lake::{Key, Lake, Layer};

const GOLD: &str = "occupancy_state/data.parquet";
/// Reports older than this many days before D are stale.
const WINDOW_DAYS: i64 = 13;
/// Bed counts above this are implausible.
const MAX_BEDS: i64 = 10_000;

fn silver_key(source: &str) -> Result<Key, crate::lake::LakeError> {
    Key::new(
        Layer::Silver,
        &format!("occupancy_notification/{source}.parquet"),
    )
}

fn notification_fields() -> Vec<FieldRef> {
    let instant = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let mut fields = vec![
        column("cnes", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
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
    fields
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

/// Occupancy of one state, day, bed class and scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OccupancyGold {
    pub uf: String,
    pub date: NaiveDate,
    /// `clinical` or `icu`.
    pub bed_class: String,
    /// `all` (general + SRAG beds) or `covid` (SRAG beds).
    pub scope: String,
    pub offered: i64,
    /// Occupied beds, each hospital capped at its offer.
    pub occupied: i64,
    pub occupied_raw: i64,
    pub rate: f64,
    /// Hospitals counted.
    pub hospitals: i64,
    /// Hospitals whose latest report is older than the window.
    pub stale: i64,
    /// Hospitals reporting more occupied than offered beds.
    pub over_capacity: i64,
    /// Hospitals whose values for this bed type are implausible.
    pub rejected: i64,
}

/// A bed type: class and scope, and the columns they add up.
#[derive(Clone, Copy)]
struct BedType {
    class: &'static str,
    scope: &'static str,
    offered: fn(&Notification) -> Vec<i64>,
    occupied: fn(&Notification) -> Vec<i64>,
}

const BED_TYPES: [BedType; 4] = [
    BedType {
        class: "clinical",
        scope: "all",
        offered: |n| vec![n.offered_hosp_cli, n.offered_srag_cli],
        occupied: |n| vec![n.occupied_hosp_cli, n.occupied_srag_cli],
    },
    BedType {
        class: "clinical",
        scope: "covid",
        offered: |n| vec![n.offered_srag_cli],
        occupied: |n| vec![n.occupied_srag_cli],
    },
    BedType {
        class: "icu",
        scope: "all",
        offered: |n| vec![n.offered_hosp_uti, n.offered_srag_uti],
        occupied: |n| vec![n.occupied_hosp_uti, n.occupied_srag_uti],
    },
    BedType {
        class: "icu",
        scope: "covid",
        offered: |n| vec![n.offered_srag_uti],
        occupied: |n| vec![n.occupied_srag_uti],
    },
];

/// The Brasília-time day of an instant (UTC−3, no daylight saving since 2019;
/// the occupancy data starts in 2020).
fn brasilia_day(instant: DateTime<Utc>) -> NaiveDate {
    let brasilia = FixedOffset::west_opt(3 * 3600).expect("a valid offset");
    instant.with_timezone(&brasilia).date_naive()
}

/// Parses each fetched snapshot (CSV files or API pages, by `parse`) into
/// bronze, then rebuilds the source's silver from every snapshot it ever
/// delivered, sorted out of memory (the history grows without bound).
pub async fn refine(
    lake: &dyn Lake,
    manifest: &Manifest,
    parse: Parser<Notification>,
) -> anyhow::Result<Refined> {
    let fields = notification_fields();
    let bronze = bronze::every_file(lake, manifest, &fields, parse).await?;

    let started = Instant::now();
    let mut sorter = Sorter::new(&fields, by_report, keep_newest);
    let mut read = 0;
    for object in lake.list(&format!("bronze/{}/", manifest.source)).await? {
        let path = object.key.path();
        if path.ends_with(".parquet") && !path.ends_with(".rejects.parquet") {
            parquet::batches::<Notification>(lake, &object.key)
                .await?
                .read_ahead(|batch| {
                    read += batch.len() as u64;
                    sorter.extend(batch)
                })?;
        }
    }
    let mut silver = Writer::new(&fields)?;
    let mut rejects = Vec::new();
    let mut newest_date = None;
    for note in sorter.finish()? {
        let note = note?;
        if !UFS.contains(&note.uf.as_str()) {
            rejects.push(Reject {
                file: "silver".into(),
                line: 0,
                field: "estadoSigla".into(),
                value: note.uf.clone(),
                reason: format!(
                    "unknown state for hospital {} (report {})",
                    note.cnes, note.notified_at
                ),
            });
            continue;
        }
        newest_date = newest_date.max(Some(brasilia_day(note.snapshot_at)));
        silver.push(note)?;
    }
    let rows = silver.rows();
    let mut bytes = silver.finish(lake, &silver_key(&manifest.source)?).await?;
    let rejects_key = Key::new(
        Layer::Silver,
        &format!("occupancy_rejects/{}.parquet", manifest.source),
    )?;
    bytes += parquet::write::<Reject>(lake, &rejects_key, &reject_fields(), &rejects).await?;
    let silver = StageMetrics::since("silver", started, read, rows, rejects.len() as u64, bytes);
    Ok(Refined {
        stages: vec![bronze, silver],
        newest_date,
    })
}

/// By hospital, then report time: silver's order, and a report's identity.
fn by_report(a: &Notification, b: &Notification) -> Ordering {
    (&a.cnes, a.notified_at).cmp(&(&b.cnes, b.notified_at))
}

/// Of two versions of one report, keeps the newest snapshot's (the first
/// seen among equally new ones).
fn keep_newest(kept: &mut Notification, version: Notification) {
    if version.snapshot_at > kept.snapshot_at {
        *kept = version;
    }
}

/// Whether a source has occupancy silver yet.
pub async fn has_silver(lake: &dyn Lake, source: &str) -> anyhow::Result<bool> {
    Ok(lake.exists(&silver_key(source)?).await?)
}

/// Every source's silver merged into one stream by hospital, then report
/// time (each silver is sorted so), read batch by batch.
async fn merged_silver(lake: &dyn Lake, sources: &[&str]) -> anyhow::Result<Merge<Notification>> {
    let mut streams: Vec<Stream<Notification>> = Vec::new();
    for source in sources {
        streams.push(Box::new(
            parquet::batches(lake, &silver_key(source)?).await?.rows(),
        ));
    }
    Merge::new(streams, by_report)
}

/// Computes `gold/occupancy_state` from the silver of `sources` and writes
/// it to the lake. Silver is read twice, as a stream: first its snapshot
/// times alone, for the span of days, then hospital by hospital into the
/// daily sums.
pub async fn gold(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<(Vec<OccupancyGold>, StageMetrics)> {
    let started = Instant::now();
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for source in sources {
        for batch in parquet::columns(lake, &silver_key(source)?, &["snapshot_at"]).await? {
            let batch = batch.context("reading occupancy silver")?;
            let taken = column_of::<TimestampMicrosecondArray>(&batch, "snapshot_at")?;
            for instant in taken.iter().flatten() {
                let day = brasilia_day(
                    DateTime::from_timestamp_micros(instant).context("an instant out of range")?,
                );
                span =
                    Some(span.map_or((day, day), |(first, last)| (first.min(day), last.max(day))));
            }
        }
    }
    let mut read = 0;
    let rows = match span {
        None => Vec::new(),
        Some((first, last)) => {
            let mut series = Series::new(first, last);
            let mut hospital: Vec<Notification> = Vec::new();
            for note in merged_silver(lake, sources).await? {
                let note = note?;
                read += 1;
                if hospital.last().is_some_and(|h| h.cnes != note.cnes) {
                    series.add(&hospital);
                    hospital.clear();
                }
                hospital.push(note);
            }
            series.add(&hospital);
            series.rows()
        }
    };
    let bytes = parquet::write(lake, &Key::new(Layer::Gold, GOLD)?, &gold_fields(), &rows).await?;
    let metrics = StageMetrics::since(
        "gold occupancy_state",
        started,
        read,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
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
    fn new(first: NaiveDate, last: NaiveDate) -> Self {
        let days = (last - first).num_days() as usize + 1;
        Series {
            first,
            last,
            sums: vec![Sums::default(); days * UFS.len() * BED_TYPES.len()],
        }
    }

    fn slot(day: usize, uf: usize, bed: usize) -> usize {
        (day * UFS.len() + uf) * BED_TYPES.len() + bed
    }

    /// Adds one hospital's reports, sorted by report time.
    fn add(&mut self, hospital: &[Notification]) {
        let (first, last) = (self.first, self.last);
        for (i, note) in hospital.iter().enumerate() {
            let day = brasilia_day(note.notified_at);
            // Current until the next report's day, or through the last day.
            let until = hospital.get(i + 1).map_or(last, |next| {
                brasilia_day(next.notified_at) - Duration::days(1)
            });
            let uf = UFS
                .iter()
                .position(|u| *u == note.uf)
                .expect("silver holds valid states only");
            let mut d = day.max(first);
            while d <= until.min(last) {
                let index = (d - first).num_days() as usize;
                let fresh = (d - day).num_days() <= WINDOW_DAYS;
                for (bed, kind) in BED_TYPES.iter().enumerate() {
                    let sum = &mut self.sums[Self::slot(index, uf, bed)];
                    if !fresh {
                        sum.stale += 1;
                        continue;
                    }
                    let (offers, occupied) = ((kind.offered)(note), (kind.occupied)(note));
                    if offers
                        .iter()
                        .chain(&occupied)
                        .any(|v| !(0..=MAX_BEDS).contains(v))
                    {
                        sum.rejected += 1;
                        continue;
                    }
                    let (offered, occupied): (i64, i64) =
                        (offers.iter().sum(), occupied.iter().sum());
                    if offered <= 0 {
                        continue;
                    }
                    sum.offered += offered;
                    sum.occupied += occupied.min(offered);
                    sum.occupied_raw += occupied;
                    sum.hospitals += 1;
                    sum.over_capacity += i64::from(occupied > offered);
                }
                d += Duration::days(1);
            }
        }
    }

    /// One row per day, state and bed type with at least one hospital.
    fn rows(&self) -> Vec<OccupancyGold> {
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
                    rows.push(OccupancyGold {
                        uf: (*uf).to_owned(),
                        date,
                        bed_class: kind.class.into(),
                        scope: kind.scope.into(),
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
