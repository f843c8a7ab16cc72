//! Hospital reports of the occupancy sources, bronze → silver → read back:
//! silver holds every report a source ever delivered, each in its latest
//! version (same hospital and report time), of valid states only, sorted by
//! hospital and report time out of memory (the history grows without bound).
//! Gold reads the silver of several sources merged, hospital by hospital.

use std::{cmp::Ordering, time::Instant};

use anyhow::Context;
use arrow_array::TimestampMicrosecondArray;
use arrow_schema::FieldRef;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Serialize, de::DeserializeOwned};

use app::catalog::{domain::brasilia_day, runs::StageMetrics};

use crate::ingest::{
    Refined,
    bronze::formats::UFS,
    bronze::reject::Reject,
    bronze::{self, formats::Parser, reject_fields},
    connect::manifest::Manifest,
    contract::Profile,
    parquet::{self, WriterBehind, column_of},
    silver::sort::{KeyBytes, Merge, Sorter, Sorting, Stream},
};
use crate::lake::{Key, Lake, LakeError, Layer};

/// Reports older than this many days before a day D are stale on D.
pub const WINDOW_DAYS: i64 = 13;
/// Counts (beds, patients, exits) above this are implausible.
pub const MAX_COUNT: i64 = 10_000;

/// A hospital's report as one source delivers it.
pub trait Report: Serialize + DeserializeOwned + Send + 'static {
    /// Silver's folder: `silver/<SILVER>/<source>.parquet`.
    const SILVER: &'static str;
    /// Silver's rejects: `silver/<REJECTS>/<source>.parquet`.
    const REJECTS: &'static str;
    /// The column of [`Report::as_of`], read alone to find the span of days.
    const AS_OF: &'static str;
    fn fields() -> Vec<FieldRef>;
    /// The CNES code, normalised.
    fn hospital(&self) -> &str;
    fn uf(&self) -> &str;
    fn notified_at(&self) -> DateTime<Utc>;
    /// Of two versions of one report, the greater is the newer.
    fn version(&self) -> DateTime<Utc>;
    /// The instant up to which the report tells what is known: gold's days
    /// run through the newest one.
    fn as_of(&self) -> DateTime<Utc>;
    /// Why the report's latest version does not count, if it does not
    /// (`(field, value, reason)`).
    fn withdrawn(&self) -> Option<(&'static str, String, &'static str)>;
}

fn silver_key<T: Report>(source: &str) -> Result<Key, LakeError> {
    Key::new(Layer::Silver, &format!("{}/{source}.parquet", T::SILVER))
}

/// Whether a source has silver of `T` yet.
pub async fn has_silver<T: Report>(lake: &dyn Lake, source: &str) -> anyhow::Result<bool> {
    Ok(lake.exists(&silver_key::<T>(source)?).await?)
}

/// Parses each fetched file (CSV files or API pages, by `parse`) into
/// bronze, then rebuilds the source's silver from every file it ever
/// delivered. Reports of no known state and withdrawn ones are silver's
/// rejects.
pub async fn refine<T: Report>(
    lake: &dyn Lake,
    manifest: &Manifest,
    parse: Parser<T>,
) -> anyhow::Result<Refined> {
    let fields = T::fields();
    let bronze = bronze::every_file(lake, manifest, &fields, parse).await?;

    let started = Instant::now();
    let mut sorter = Sorter::new(Sorting {
        order: by_report::<T>,
        key: report_key::<T>,
        fold: keep_newest::<T>,
    });
    let mut read = 0;
    for object in lake.list(&format!("bronze/{}/", manifest.source)).await? {
        let path = object.key.path();
        if path.ends_with(".parquet") && !path.ends_with(".rejects.parquet") {
            parquet::batches::<T>(lake, &object.key)
                .await?
                .read_ahead(|batch| {
                    read += batch.len() as u64;
                    sorter.extend(batch)
                })?;
        }
    }
    let mut silver = WriterBehind::new(&fields)?;
    let mut rejects = Vec::new();
    let mut profile = Profile::default();
    for report in sorter.finish()? {
        let report = report?;
        let reject = |field: &str, value: String, reason: String| Reject {
            file: "silver".into(),
            line: 0,
            field: field.into(),
            value,
            reason: format!(
                "{reason}: hospital {} (report {})",
                report.hospital(),
                report.notified_at()
            ),
        };
        if !UFS.contains(&report.uf()) {
            rejects.push(reject(
                "estadoSigla",
                report.uf().to_owned(),
                "unknown state".into(),
            ));
            continue;
        }
        if let Some((field, value, reason)) = report.withdrawn() {
            rejects.push(reject(field, value, reason.into()));
            continue;
        }
        profile.observe(Some(brasilia_day(report.as_of())), report.hospital());
        silver.push(report)?;
    }
    let rows = silver.rows();
    let staged = silver.stage(silver_key::<T>(&manifest.source)?)?;
    profile.filled = staged.filled.clone();
    let rejects_key = Key::new(
        Layer::Silver,
        &format!("{}/{}.parquet", T::REJECTS, manifest.source),
    )?;
    let staged_rejects = parquet::stage::<Reject>(rejects_key, &reject_fields(), &rejects)?;
    let bytes = staged.bytes + staged_rejects.bytes;
    let silver = StageMetrics::since("silver", started, read, rows, rejects.len() as u64, bytes);
    Ok(Refined {
        stages: vec![bronze, silver],
        silver: vec![staged, staged_rejects],
        profile,
    })
}

/// By hospital, then report time: silver's order, and a report's identity.
fn by_report<T: Report>(a: &T, b: &T) -> Ordering {
    (a.hospital(), a.notified_at()).cmp(&(b.hospital(), b.notified_at()))
}

/// [`by_report`] as a number: the code's first 8 bytes (a normalised CNES
/// has 7), then the report time in microseconds.
fn report_key<T: Report>(report: &T) -> u128 {
    KeyBytes::default()
        .text(report.hospital(), 8)
        .signed(report.notified_at().timestamp_micros(), 8)
        .key()
}

/// Of two versions of one report, keeps the newest (the first seen among
/// equally new ones).
fn keep_newest<T: Report>(kept: &mut T, version: T) {
    if version.version() > kept.version() {
        *kept = version;
    }
}

/// The first and last Brasília days the silver of `sources` is as of;
/// `None` without reports. Reads one column.
pub async fn span<T: Report>(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<Option<(NaiveDate, NaiveDate)>> {
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for source in sources {
        for batch in parquet::columns(lake, &silver_key::<T>(source)?, &[T::AS_OF]).await? {
            let batch = batch.context("reading occupancy silver")?;
            for instant in column_of::<TimestampMicrosecondArray>(&batch, T::AS_OF)?
                .iter()
                .flatten()
            {
                let day = brasilia_day(
                    DateTime::from_timestamp_micros(instant).context("an instant out of range")?,
                );
                span =
                    Some(span.map_or((day, day), |(first, last)| (first.min(day), last.max(day))));
            }
        }
    }
    Ok(span)
}

/// Figures per day computed from reports, hospital by hospital: a gold table.
pub trait Daily<T: Report> {
    type Row: Serialize;
    /// The table: `gold/<GOLD>/data.parquet`.
    const GOLD: &'static str;
    fn fields() -> Vec<FieldRef>;
    /// Empty figures for the days `first..=last`.
    fn new(first: NaiveDate, last: NaiveDate) -> Self;
    /// Adds one hospital's reports, sorted by report time.
    fn add(&mut self, hospital: &[T]);
    fn rows(&self) -> Vec<Self::Row>;
}

/// Computes `D`'s gold table from the silver of `sources` and writes it to
/// the lake. Silver is read twice, as a stream: first its as-of instants
/// alone, for the span of days, then hospital by hospital into `D`.
pub async fn gold<T: Report, D: Daily<T>>(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<(Vec<D::Row>, StageMetrics)> {
    let started = Instant::now();
    let (rows, read) = match span::<T>(lake, sources).await? {
        None => (Vec::new(), 0),
        Some((first, last)) => {
            let mut days = D::new(first, last);
            let read = by_hospital(lake, sources).await?.each(|h| {
                days.add(h);
                Ok(())
            })?;
            (days.rows(), read)
        }
    };
    let key = Key::new(Layer::Gold, &format!("{}/data.parquet", D::GOLD))?;
    let bytes = parquet::write(lake, &key, &D::fields(), &rows).await?;
    let metrics = StageMetrics::since(
        &format!("gold {}", D::GOLD),
        started,
        read,
        rows.len() as u64,
        0,
        bytes,
    );
    Ok((rows, metrics))
}

/// The silver of every source, merged: opened (downloaded) here, read
/// hospital by hospital with [`ByHospital::each`], which needs no runtime
/// and may run on a thread of its own.
pub struct ByHospital<T>(Merge<T>);

/// Opens the silver of `sources` for reading hospital by hospital.
pub async fn by_hospital<T: Report>(
    lake: &dyn Lake,
    sources: &[&str],
) -> anyhow::Result<ByHospital<T>> {
    let mut streams: Vec<Stream<T>> = Vec::new();
    for source in sources {
        streams.push(Box::new(
            parquet::batches(lake, &silver_key::<T>(source)?)
                .await?
                .rows(),
        ));
    }
    Ok(ByHospital(Merge::new(streams, by_report::<T>)?))
}

impl<T: Report> ByHospital<T> {
    /// Calls `add` with each hospital's reports, sorted by report time,
    /// until it fails; returns the reports read.
    pub fn each(self, mut add: impl FnMut(&[T]) -> anyhow::Result<()>) -> anyhow::Result<u64> {
        let mut read = 0;
        let mut hospital: Vec<T> = Vec::new();
        for report in self.0 {
            let report = report?;
            read += 1;
            if hospital
                .last()
                .is_some_and(|h| h.hospital() != report.hospital())
            {
                add(&hospital)?;
                hospital.clear();
            }
            hospital.push(report);
        }
        if !hospital.is_empty() {
            add(&hospital)?;
        }
        Ok(read)
    }
}

/// Each of a hospital's reports (sorted by report time) with the days it
/// is the hospital's current one: from its Brasília day until the day
/// before the next report's, or through `last`. A report followed by
/// another on the same day is current on no day.
pub fn current_days<T: Report>(
    hospital: &[T],
    last: NaiveDate,
) -> impl Iterator<Item = (&T, NaiveDate, NaiveDate)> {
    hospital.iter().enumerate().map(move |(i, report)| {
        let until = hospital.get(i + 1).map_or(last, |next| {
            brasilia_day(next.notified_at()) - Duration::days(1)
        });
        (report, brasilia_day(report.notified_at()), until)
    })
}

/// Each day of `first..=last` on which one of a hospital's reports (sorted
/// by report time) is current: that report, its own Brasília day, and the
/// day.
pub fn each_day<T: Report>(
    hospital: &[T],
    first: NaiveDate,
    last: NaiveDate,
) -> impl Iterator<Item = (&T, NaiveDate, NaiveDate)> {
    current_days(hospital, last).flat_map(move |(report, day, until)| {
        day.max(first)
            .iter_days()
            .take_while(move |d| *d <= until.min(last))
            .map(move |d| (report, day, d))
    })
}
