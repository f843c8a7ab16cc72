//! The hospital radar: indicator 2's rules applied to each hospital alone.
//! The occupancy silver (every report in its latest version), read
//! hospital by hospital → `silver/hospitals` (who and where each is,
//! [`Directory`]) → `gold/occupancy_hospital` (per hospital, day, bed
//! class and scope: beds offered, occupied capped at the offer, rate,
//! respirators, the age of the report, the 7-day change in percentage
//! points) and `gold/hospital` (each hospital as of the newest day: size,
//! latest rates and their change, last report).
//!
//! A hospital's day is judged by [`BedType::judge`], the very rule the
//! states' occupancy adds up, so a state's figures are the sums of its
//! hospitals'.

use std::time::Instant;

use anyhow::Context;
use arrow_schema::{DataType, FieldRef};
use chrono::NaiveDate;
use serde::Serialize;

use app::{
    catalog::{
        domain::ratio,
        runs::StageMetrics,
        vocabulary::{BedClass, BedStatus, Scope},
    },
    indicators::HospitalSummary,
};

use crate::ingest::{
    bronze::formats::{arrow_time, occupancy_snapshot::Notification},
    gold::occupancy::{BED_TYPES, Beds},
    handoff::Handoff,
    on_a_thread,
    parquet::{self, Writer, column},
    silver::{
        hospitals::{self, Directory, Hospital, place_fields},
        municipalities::Names,
        reports::{self, ByHospital, MAX_COUNT, WINDOW_DAYS},
    },
};
use crate::lake::{Key, Lake, Layer};

/// Days back the change of a rate is measured against.
const CHANGE_DAYS: i64 = 7;

fn day_fields() -> Vec<FieldRef> {
    let mut fields = place_fields();
    fields.extend([
        column("date", DataType::Date32, false),
        column("bed_class", DataType::Utf8, false),
        column("scope", DataType::Utf8, false),
        column("status", DataType::Utf8, false),
        column("offered", DataType::Int64, true),
        column("occupied", DataType::Int64, true),
        column("occupied_raw", DataType::Int64, true),
        column("rate", DataType::Float64, true),
        column("over_capacity", DataType::Boolean, false),
        column("change_7d", DataType::Float64, true),
        column("respirators", DataType::Int64, true),
        column("last_report", DataType::Date32, false),
        column("days_since_report", DataType::Int64, false),
    ]);
    fields
}

fn summary_fields() -> Vec<FieldRef> {
    let mut fields = hospitals::fields();
    fields.extend([
        column("date", DataType::Date32, false),
        column("last_report", DataType::Date32, false),
        column("days_since_report", DataType::Int64, false),
        column("beds", DataType::Int64, true),
        column("icu_offered", DataType::Int64, true),
        column("icu_rate", DataType::Float64, true),
        column("icu_change_7d", DataType::Float64, true),
        column("clinical_offered", DataType::Int64, true),
        column("clinical_rate", DataType::Float64, true),
        column("clinical_change_7d", DataType::Float64, true),
        column("respirators", DataType::Int64, true),
        column("over_capacity", DataType::Int64, false),
    ]);
    fields
}

/// The hospitals' gold tables other than the rows per day (handed to the
/// store as they are computed), and the figures of their computation: the
/// city match's (unmatched, ambiguous), then each table's.
pub struct HospitalsGold {
    pub summaries: Vec<HospitalSummary>,
    pub metrics: [StageMetrics; 4],
}

/// Computes the hospitals' silver and gold from the occupancy silver of
/// `sources` and the municipality list, and writes them to the lake. The
/// rows per day (hospitals × days × four bed types: tens of millions over
/// a few years of snapshots) go to the lake and to `days` a batch at a
/// time as they are computed, never held whole; `days` is told it has
/// them all once every table is written.
pub async fn gold(
    lake: &dyn Lake,
    sources: &[&str],
    days: Handoff,
) -> anyhow::Result<HospitalsGold> {
    let started = Instant::now();
    let mut computed = Computed {
        directory: Directory::new(Names::load(lake).await?),
        writer: Writer::new(&day_fields())?,
        summaries: Vec::new(),
        read: 0,
        days,
    };
    if let Some((first, last)) = reports::span::<Notification>(lake, sources).await? {
        let hospitals = reports::by_hospital(lake, sources).await?;
        computed = on_a_thread("hospitals", move || {
            computed.add_all(hospitals, first, last)
        })
        .context("starting the hospitals' thread")?
        .await?;
    }
    let Computed {
        directory,
        writer,
        summaries,
        read,
        days,
    } = computed;
    let [unmatched, ambiguous] = directory.write(lake).await?;
    let rows = writer.rows();
    let staged = writer.stage(table_key("occupancy_hospital")?)?;
    let days_metrics = StageMetrics::since(
        "gold occupancy_hospital",
        started,
        read,
        rows,
        0,
        staged.bytes,
    );
    staged.upload(lake).await?;
    let started = Instant::now();
    let bytes =
        parquet::write(lake, &table_key("hospital")?, &summary_fields(), &summaries).await?;
    let summary_metrics = StageMetrics::since(
        "gold hospital",
        started,
        read,
        summaries.len() as u64,
        0,
        bytes,
    );
    days.done().await?;
    Ok(HospitalsGold {
        summaries,
        metrics: [unmatched, ambiguous, days_metrics, summary_metrics],
    })
}

/// What the hospitals' computation builds as it reads them.
struct Computed {
    directory: Directory,
    writer: Writer,
    summaries: Vec<HospitalSummary>,
    read: u64,
    days: Handoff,
}

impl Computed {
    /// Adds every hospital of `hospitals` over the days `first..=last`: the
    /// directory entry, the summary, the rows per day written and handed to
    /// the store. Runs on a thread of its own, which waits while the store
    /// is behind.
    fn add_all(
        mut self,
        hospitals: ByHospital<Notification>,
        first: NaiveDate,
        last: NaiveDate,
    ) -> anyhow::Result<Self> {
        self.read = hospitals.each(|reports| {
            let hospital = self.directory.add(reports);
            let series = series(hospital, reports, first, last);
            self.summaries.extend(summary(hospital, &series, last));
            for batch in self.writer.write(&series)? {
                self.days.send(batch)?;
            }
            Ok(())
        })?;
        Ok(self)
    }
}

/// Where a gold table's rows are kept in the lake.
fn table_key(table: &str) -> anyhow::Result<Key> {
    Ok(Key::new(Layer::Gold, &format!("{table}/data.parquet"))?)
}

/// A row of `gold/occupancy_hospital` as it is written: the place
/// borrowed from the hospital, the dates as Arrow's days, the columns
/// those of [`HospitalOccupancy`](app::indicators::HospitalOccupancy) (the
/// API's row). Tens of millions of rows are written without a string
/// copied or a date formatted, and go to the store as the Arrow batches
/// written, without a row struct.
#[derive(Serialize)]
struct DayRow<'a> {
    cnes: &'a str,
    name: &'a str,
    uf: &'a str,
    city: &'a str,
    city_ibge: Option<&'a str>,
    #[serde(with = "arrow_time::date")]
    date: NaiveDate,
    bed_class: BedClass,
    scope: Scope,
    status: BedStatus,
    offered: Option<i64>,
    occupied: Option<i64>,
    occupied_raw: Option<i64>,
    rate: Option<f64>,
    over_capacity: bool,
    change_7d: Option<f64>,
    respirators: Option<i64>,
    #[serde(with = "arrow_time::date")]
    last_report: NaiveDate,
    days_since_report: i64,
}

/// A hospital's rows for every day of `first..=last` on which one of its
/// reports (sorted by report time) is current, four bed types a day.
fn series<'a>(
    hospital: &'a Hospital,
    reports: &'a [Notification],
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<DayRow<'a>> {
    let mut rows: Vec<DayRow> = Vec::new();
    for (note, day, date) in reports::each_day(reports, first, last) {
        let age = (date - day).num_days();
        let respirators = note
            .respirators
            .filter(|r| age <= WINDOW_DAYS && (0..=MAX_COUNT).contains(r));
        for kind in &BED_TYPES {
            let beds = kind.judge(note, age);
            let (status, counts) = match beds {
                Beds::Stale => (BedStatus::Stale, None),
                Beds::Rejected => (BedStatus::Rejected, None),
                Beds::NoBeds => (BedStatus::NoBeds, None),
                Beds::Counted {
                    offered,
                    occupied,
                    occupied_raw,
                } => (BedStatus::Counted, Some((offered, occupied, occupied_raw))),
            };
            let rate = counts.and_then(|(offered, occupied, _)| ratio(occupied, offered));
            // Rows run by day then bed type: a week back is 4 × 7 rows back,
            // if the hospital had a current report every day in between.
            let before = rows
                .len()
                .checked_sub(BED_TYPES.len() * CHANGE_DAYS as usize)
                .map(|i| &rows[i])
                .filter(|r| (date - r.date).num_days() == CHANGE_DAYS);
            let change_7d = before
                .and_then(|r| r.rate)
                .zip(rate)
                .map(|(then, now)| (now - then) * 100.0);
            rows.push(DayRow {
                cnes: &hospital.cnes,
                name: &hospital.name,
                uf: &note.uf,
                city: &hospital.city,
                city_ibge: hospital.city_ibge.as_deref(),
                date,
                bed_class: kind.class,
                scope: kind.scope,
                status,
                offered: counts.map(|c| c.0),
                occupied: counts.map(|c| c.1),
                occupied_raw: counts.map(|c| c.2),
                rate,
                over_capacity: counts.is_some_and(|(offered, _, raw)| raw > offered),
                change_7d,
                respirators,
                last_report: day,
                days_since_report: age,
            });
        }
    }
    rows
}

/// The hospital as of `last`, from its rows; `None` when no report of it
/// is current on that day.
fn summary(hospital: &Hospital, series: &[DayRow], last: NaiveDate) -> Option<HospitalSummary> {
    let today: Vec<&DayRow> = series.iter().filter(|r| r.date == last).collect();
    let all = |class: BedClass| {
        today
            .iter()
            .find(|r| r.bed_class == class && r.scope == Scope::All)
            .copied()
    };
    let (icu, clinical) = (all(BedClass::Icu)?, all(BedClass::Clinical)?);
    let beds = match (icu.offered, clinical.offered) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    Some(HospitalSummary {
        cnes: hospital.cnes.clone(),
        name: hospital.name.clone(),
        uf: hospital.uf.clone(),
        city: hospital.city.clone(),
        city_ibge: hospital.city_ibge.clone(),
        city_match: hospital.city_match,
        date: last,
        last_report: icu.last_report,
        days_since_report: icu.days_since_report,
        beds,
        icu_offered: icu.offered,
        icu_rate: icu.rate,
        icu_change_7d: icu.change_7d,
        clinical_offered: clinical.offered,
        clinical_rate: clinical.rate,
        clinical_change_7d: clinical.change_7d,
        respirators: icu.respirators,
        over_capacity: today.iter().filter(|r| r.over_capacity).count() as i64,
    })
}
