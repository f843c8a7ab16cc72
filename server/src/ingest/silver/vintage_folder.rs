//! A folder of SIVEP summary vintages (`sum_dados_<YYYY_MM_DD>.csv.xz`) read
//! into a reporting triangle, through the ingest's own parser (bronze) and
//! cell sums (silver): what `sentinela backtest nowcast --from DIR` replays.

use std::{collections::BTreeSet, fs::File, io::BufReader, path::Path, time::Instant};

use anyhow::{Context, bail};
use chrono::NaiveDate;

use super::vintages::{Tally, vintage_of};
use crate::{
    ingest::bronze::{
        decode,
        formats::{Sink, sivep_summary},
        reject::Reject,
    },
    nowcast::{
        backtest::{self, Backtest, Input},
        triangle::{Cell, Triangle},
    },
};

/// What reading a folder found.
#[derive(Debug)]
pub struct Folder {
    pub triangle: Triangle,
    /// Summary rows read, and rows the parser rejected.
    pub rows: u64,
    pub rejects: u64,
}

struct Cells<'a> {
    vintage: NaiveDate,
    tally: &'a mut Tally,
    rejects: u64,
}

impl Sink<sivep_summary::SragRow> for Cells<'_> {
    fn row(&mut self, row: sivep_summary::SragRow) -> anyhow::Result<()> {
        self.tally.add(self.vintage, &row);
        Ok(())
    }

    fn reject(&mut self, _: Reject) {
        self.rejects += 1;
    }
}

/// Reads every `sum_dados_*` file of `dir`, one vintage each.
pub fn read(dir: &Path) -> anyhow::Result<Folder> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the folder {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    files.retain(|path| file_name(path).starts_with("sum_dados_"));
    files.sort();
    if files.is_empty() {
        bail!("{}: no sum_dados_*.csv.xz vintage", dir.display());
    }
    let mut vintages = BTreeSet::new();
    for path in &files {
        if !vintages.insert(vintage_of(file_name(path))?) {
            bail!("{}: a second file of the same vintage", path.display());
        }
    }
    // The files are read on every core, each thread its share.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let shares: Vec<anyhow::Result<(Tally, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let files = files.iter().skip(thread).step_by(threads);
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut rejects = 0;
                    for path in files {
                        rejects += read_vintage(path, &mut tally)?;
                    }
                    Ok((tally, rejects))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a reading thread panicked"))
            .collect()
    });
    let mut tally = Tally::default();
    let mut rejects = 0;
    for share in shares {
        let (share, share_rejects) = share?;
        tally.merge(share);
        rejects += share_rejects;
    }
    let rows = tally.read;
    Ok(Folder {
        triangle: Triangle::from_rows(tally.into_rows().map(Cell::from))?,
        rows,
        rejects,
    })
}

/// Reads a folder of vintages, replays the model and scores it: what
/// `sentinela backtest nowcast --from DIR` prints.
pub fn backtest(dir: &Path) -> anyhow::Result<Backtest> {
    let started = Instant::now();
    let folder = read(dir)?;
    let time = started.elapsed();
    let mut scored = backtest::score(&folder.triangle);
    scored.input = Some(Input {
        rows: folder.rows,
        rejects: folder.rejects,
        unplaced: folder.triangle.unplaced,
        time,
    });
    Ok(scored)
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default()
}

/// Adds one vintage's cells to `tally`; its rejects.
fn read_vintage(path: &Path, tally: &mut Tally) -> anyhow::Result<u64> {
    let name = file_name(path);
    let vintage = vintage_of(name)?;
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut input = decode::reader(name, BufReader::new(file))
        .with_context(|| format!("decompressing {}", path.display()))?;
    let mut cells = Cells {
        vintage,
        tally,
        rejects: 0,
    };
    sivep_summary::parse(name, &mut input, &mut cells)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(cells.rejects)
}
