//! Indicators 3 and 4 from the occupancy register (OpenDataSUS CSV):
//! reports (bronze) → `silver/occupancy_patients` (every report in its
//! newest `_updated_at` version; withdrawn ones and unknown states are
//! rejects) → `gold/occupancy_patients_state` (per state and day).
//!
//! Patients are a stock: as of day D, a hospital counts with its latest
//! report whose Brasília day is on or before D and at most 13 days before
//! it (older: stale), as for bed occupancy; a report with a negative or
//! absurd count is rejected on the days it is current. Exits are flows:
//! each report's deaths and discharges count on its own day. Confirmed
//! share = confirmed / (confirmed + suspected); a group's death rate =
//! its deaths / (its deaths + discharges).

use arrow_schema::{DataType, FieldRef, TimeUnit};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use app::{
    catalog::{domain::ratio, runs::StageMetrics},
    indicators::PatientsDay,
};

use crate::ingest::{
    bronze::formats::{UFS, occupancy_opendatasus::PatientReport},
    parquet::column,
    silver::reports::{self, Daily, MAX_COUNT, Report, WINDOW_DAYS},
};
use crate::lake::Lake;

/// The counts of a report, in [`PatientReport`] field order.
const COUNTS: [&str; 8] = [
    "suspected_clinical",
    "suspected_icu",
    "confirmed_clinical",
    "confirmed_icu",
    "deaths_suspected",
    "discharges_suspected",
    "deaths_confirmed",
    "discharges_confirmed",
];

fn report_fields() -> Vec<FieldRef> {
    let instant = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let mut fields = vec![
        column("cnes", DataType::Utf8, false),
        column("uf", DataType::Utf8, false),
        column("city", DataType::Utf8, false),
        column("notified_at", instant.clone(), false),
        column("updated_at", instant, false),
        column("excluded", DataType::Boolean, false),
    ];
    fields.extend(COUNTS.map(|name| column(name, DataType::Int64, false)));
    fields
}

impl Report for PatientReport {
    const SILVER: &'static str = "occupancy_patients";
    const REJECTS: &'static str = "occupancy_patients_rejects";
    const AS_OF: &'static str = "notified_at";

    fn fields() -> Vec<FieldRef> {
        report_fields()
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

    /// The newest `_updated_at` counts.
    fn version(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// The register has no collection time: its days end with its newest report.
    fn as_of(&self) -> DateTime<Utc> {
        self.notified_at
    }

    fn withdrawn(&self) -> Option<(&'static str, String, &'static str)> {
        self.excluded
            .then(|| ("excluido", "True".into(), "withdrawn by the notifier"))
    }
}

impl PatientReport {
    /// Suspected clinical and ICU, confirmed clinical and ICU.
    fn patients(&self) -> [i64; 4] {
        [
            self.suspected_clinical,
            self.suspected_icu,
            self.confirmed_clinical,
            self.confirmed_icu,
        ]
    }

    /// Deaths and discharges of the suspected, then of the confirmed.
    fn exits(&self) -> [i64; 4] {
        [
            self.deaths_suspected,
            self.discharges_suspected,
            self.deaths_confirmed,
            self.discharges_confirmed,
        ]
    }
}

fn gold_fields() -> Vec<FieldRef> {
    let mut fields = vec![
        column("uf", DataType::Utf8, false),
        column("date", DataType::Date32, false),
        column("hospitals", DataType::Int64, false),
        column("stale", DataType::Int64, false),
        column("rejected", DataType::Int64, false),
    ];
    fields.extend(
        COUNTS[..4]
            .iter()
            .map(|n| column(n, DataType::Int64, false)),
    );
    fields.push(column("confirmed_share", DataType::Float64, true));
    fields.extend(
        COUNTS[4..]
            .iter()
            .map(|n| column(n, DataType::Int64, false)),
    );
    fields.push(column("rejected_exits", DataType::Int64, false));
    fields
}

/// Computes `gold/occupancy_patients_state` from the silver of `sources` and writes it
/// to the lake.
pub async fn gold(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<(Vec<PatientsDay>, StageMetrics)> {
    reports::gold::<PatientReport, Series>(lake, sources).await
}

/// Running sums of one state and day.
#[derive(Clone, Copy, Default)]
struct Sums {
    hospitals: i64,
    stale: i64,
    rejected: i64,
    patients: [i64; 4],
    exits: [i64; 4],
    rejected_exits: i64,
}

fn plausible(values: &[i64]) -> bool {
    values.iter().all(|v| (0..=MAX_COUNT).contains(v))
}

/// The sums of every state and day from the first to the last, filled
/// hospital by hospital.
struct Series {
    first: NaiveDate,
    last: NaiveDate,
    sums: Vec<Sums>,
}

impl Series {
    fn at(&mut self, day: NaiveDate, uf: usize) -> &mut Sums {
        let index = (day - self.first).num_days() as usize;
        &mut self.sums[index * UFS.len() + uf]
    }
}

impl Daily<PatientReport> for Series {
    type Row = PatientsDay;
    const GOLD: &'static str = "occupancy_patients_state";

    fn fields() -> Vec<FieldRef> {
        gold_fields()
    }

    fn new(first: NaiveDate, last: NaiveDate) -> Self {
        let days = (last - first).num_days() as usize + 1;
        Series {
            first,
            last,
            sums: vec![Sums::default(); days * UFS.len()],
        }
    }

    /// Adds one hospital's reports, sorted by report time.
    fn add(&mut self, hospital: &[PatientReport]) {
        let (first, last) = (self.first, self.last);
        for (report, day, until) in reports::current_days(hospital, last) {
            let uf = UFS
                .iter()
                .position(|u| *u == report.uf)
                .expect("silver holds valid states only");
            let exits = report.exits();
            let sum = self.at(day, uf);
            if plausible(&exits) {
                for (total, value) in sum.exits.iter_mut().zip(exits) {
                    *total += value;
                }
            } else {
                sum.rejected_exits += 1;
            }
            let patients = report.patients();
            let mut d = day.max(first);
            while d <= until.min(last) {
                let sum = self.at(d, uf);
                if (d - day).num_days() > WINDOW_DAYS {
                    sum.stale += 1;
                } else if plausible(&patients) {
                    sum.hospitals += 1;
                    for (total, value) in sum.patients.iter_mut().zip(patients) {
                        *total += value;
                    }
                } else {
                    sum.rejected += 1;
                }
                d += Duration::days(1);
            }
        }
    }

    /// One row per day and state with a report counted, rejected or exits.
    fn rows(&self) -> Vec<PatientsDay> {
        let mut rows = Vec::new();
        for (index, day) in self.sums.chunks(UFS.len()).enumerate() {
            let date = self.first + Duration::days(index as i64);
            for (uf, sum) in UFS.iter().zip(day) {
                if sum.hospitals + sum.rejected + sum.rejected_exits == 0
                    && sum.exits.iter().all(|e| *e == 0)
                {
                    continue;
                }
                let [
                    suspected_clinical,
                    suspected_icu,
                    confirmed_clinical,
                    confirmed_icu,
                ] = sum.patients;
                let [
                    deaths_suspected,
                    discharges_suspected,
                    deaths_confirmed,
                    discharges_confirmed,
                ] = sum.exits;
                let confirmed = confirmed_clinical + confirmed_icu;
                rows.push(PatientsDay {
                    uf: (*uf).to_owned(),
                    date,
                    hospitals: sum.hospitals,
                    stale: sum.stale,
                    rejected: sum.rejected,
                    suspected_clinical,
                    suspected_icu,
                    confirmed_clinical,
                    confirmed_icu,
                    confirmed_share: ratio(
                        confirmed,
                        confirmed + suspected_clinical + suspected_icu,
                    ),
                    deaths_suspected,
                    discharges_suspected,
                    deaths_confirmed,
                    discharges_confirmed,
                    death_rate_suspected: PatientsDay::death_rate(
                        deaths_suspected,
                        discharges_suspected,
                    ),
                    death_rate_confirmed: PatientsDay::death_rate(
                        deaths_confirmed,
                        discharges_confirmed,
                    ),
                    rejected_exits: sum.rejected_exits,
                });
            }
        }
        rows
    }
}
