//! Sorting and folding tables larger than memory: rows are sorted in runs
//! of bounded size, equal rows folded into one (deduplication, sums), each
//! run spilled to a local temporary file ([`super::spill`]), and the runs
//! merged back in order, equal rows of different runs folded as they
//! pass. A run is sorted by a fixed-width normalised key ([`KeyBytes`])
//! first, so rows are moved once and compared as numbers.

use std::{cmp::Ordering, collections::BinaryHeap, fs::File, thread::JoinHandle};

use serde::{Serialize, de::DeserializeOwned};

use super::spill::{self, Run};

/// Rows held in memory before a run is spilled (twice this while one run
/// is being written).
const RUN_ROWS: usize = 1 << 19;

/// An ordering of rows.
pub type Order<T> = fn(&T, &T) -> Ordering;

/// Folds a row into an equal one kept before it.
pub type Fold<T> = fn(&mut T, T);

/// A row's normalised key, in agreement with its [`Order`]: rows the order
/// says are equal have equal keys, and keys mostly order rows as the order
/// does (a key that ties or misorders costs time, never correctness).
pub type SortKey<T> = fn(&T) -> u128;

/// How a sorter orders, keys and folds its rows.
pub struct Sorting<T> {
    pub order: Order<T>,
    pub key: SortKey<T>,
    pub fold: Fold<T>,
}

impl<T> Clone for Sorting<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Sorting<T> {}

/// Builds a [`SortKey`] field by field, most significant first, in 16
/// bytes compared as one big-endian number.
#[derive(Default)]
pub struct KeyBytes {
    bytes: [u8; 16],
    at: usize,
}

impl KeyBytes {
    /// The first `width` bytes of a text, zero-padded (bytes beyond the
    /// width are left to the order).
    pub fn text(mut self, text: &str, width: usize) -> Self {
        let end = self.at + width;
        let taken = text.len().min(width);
        self.bytes[self.at..self.at + taken].copy_from_slice(&text.as_bytes()[..taken]);
        self.at = end;
        self
    }

    /// A signed number of `width` bytes (its low bytes), ordered as a
    /// signed number.
    pub fn signed(mut self, value: i64, width: usize) -> Self {
        let sign = 1u64 << (width * 8 - 1);
        let biased = (value as u64).wrapping_add(sign).to_be_bytes();
        self.bytes[self.at..self.at + width].copy_from_slice(&biased[8 - width..]);
        self.at += width;
        self
    }

    pub fn key(self) -> u128 {
        u128::from_be_bytes(self.bytes)
    }
}

/// Sorts rows by `sorting`, stably: by key, each row moved once, then by
/// the order itself, a single pass of comparisons where the keys agreed.
pub fn sort<T>(rows: &mut [T], sorting: Sorting<T>) {
    rows.sort_by_cached_key(sorting.key);
    rows.sort_by(sorting.order);
}

/// A stream of rows that may fail as it is read.
pub type Stream<T> = Box<dyn Iterator<Item = anyhow::Result<T>> + Send>;

/// Collects rows and gives them back sorted and folded, spilling sorted
/// runs to disk whenever [`RUN_ROWS`] are held. A run is sorted and written
/// on its own thread while the next one fills.
pub struct Sorter<T> {
    sorting: Sorting<T>,
    buffer: Vec<T>,
    run_rows: usize,
    runs: Vec<File>,
    spilling: Option<JoinHandle<anyhow::Result<Spilled<T>>>>,
    /// The storage of the last run written, emptied, for the next run:
    /// fresh storage for each run had the kernel zero it again page by
    /// page (14 % of the occupancy silver step's samples).
    spare: Option<Vec<T>>,
}

/// A run written, and the storage that held its rows (empty).
type Spilled<T> = (File, Vec<T>);

impl<T: Serialize + DeserializeOwned + Send + 'static> Sorter<T> {
    /// A sorter of rows by `sorting`'s order, folding equal rows by its
    /// fold (an equal row always folds into one added before it).
    pub fn new(sorting: Sorting<T>) -> Self {
        Self::with_run_rows(sorting, RUN_ROWS)
    }

    fn with_run_rows(sorting: Sorting<T>, run_rows: usize) -> Self {
        Sorter {
            sorting,
            buffer: Vec::new(),
            run_rows,
            runs: Vec::new(),
            spilling: None,
            spare: None,
        }
    }

    /// Adds rows.
    pub fn extend(&mut self, rows: Vec<T>) -> anyhow::Result<()> {
        for row in rows {
            self.buffer.push(row);
            if self.buffer.len() >= self.run_rows {
                self.spill()?;
            }
        }
        Ok(())
    }

    /// Waits for the run being written, if any.
    fn settle(&mut self) -> anyhow::Result<()> {
        if let Some(spilling) = self.spilling.take() {
            let (run, storage) = spilling
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            self.runs.push(run);
            self.spare = Some(storage);
        }
        Ok(())
    }

    /// Hands the rows held to a thread that sorts, folds and writes them as
    /// a run (after the previous run is written: two runs in memory at most).
    fn spill(&mut self) -> anyhow::Result<()> {
        self.settle()?;
        // The next run's room is taken whole: a growing Vec would hold its
        // old and new storage at once.
        let next = self
            .spare
            .take()
            .unwrap_or_else(|| Vec::with_capacity(self.run_rows));
        let rows = std::mem::replace(&mut self.buffer, next);
        let sorting = self.sorting;
        self.spilling = Some(std::thread::spawn(move || write_run(sorting, rows)));
        Ok(())
    }

    /// Every row added, in order, equal rows folded (in the order they
    /// were added).
    pub fn finish(mut self) -> anyhow::Result<Folded<Merge<T>, T>> {
        let runs = if self.runs.is_empty() && self.spilling.is_none() {
            sort(&mut self.buffer, self.sorting);
            vec![Box::new(self.buffer.into_iter().map(Ok)) as Stream<T>]
        } else {
            if !self.buffer.is_empty() {
                self.spill()?;
            }
            self.settle()?;
            self.runs
                .into_iter()
                .map(|run| Box::new(Run::read(run)) as Stream<T>)
                .collect()
        };
        let Sorting { order, fold, .. } = self.sorting;
        Ok(Folded::new(Merge::new(runs, order)?, order, fold))
    }
}

/// Sorts and folds rows, and writes them to a local temporary file;
/// hands back their storage, emptied.
fn write_run<T: Serialize>(sorting: Sorting<T>, mut rows: Vec<T>) -> anyhow::Result<Spilled<T>> {
    sort(&mut rows, sorting);
    let run = spill::write(Folded::new(
        rows.drain(..).map(Ok),
        sorting.order,
        sorting.fold,
    ))?;
    Ok((run, rows))
}

/// The next row of one input of a merge.
struct Head<T> {
    row: T,
    input: usize,
    order: Order<T>,
}

impl<T> Head<T> {
    /// The merge order: by row, then by input (earlier inputs first).
    fn rank(&self, other: &Self) -> Ordering {
        (self.order)(&self.row, &other.row).then(self.input.cmp(&other.input))
    }
}

impl<T> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl<T> Eq for Head<T> {}

impl<T> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Head<T> {
    /// Reversed: the heap's greatest is the row that comes first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank(self)
    }
}

/// Merges streams that are each sorted by one order into one sorted
/// stream; among equal rows, earlier streams' rows come first.
pub struct Merge<T> {
    inputs: Vec<Stream<T>>,
    heap: BinaryHeap<Head<T>>,
    order: Order<T>,
}

impl<T> Merge<T> {
    pub fn new(mut inputs: Vec<Stream<T>>, order: Order<T>) -> anyhow::Result<Self> {
        let mut heap = BinaryHeap::with_capacity(inputs.len());
        for (input, rows) in inputs.iter_mut().enumerate() {
            if let Some(row) = rows.next() {
                heap.push(Head {
                    row: row?,
                    input,
                    order,
                });
            }
        }
        Ok(Merge {
            inputs,
            heap,
            order,
        })
    }
}

impl<T> Iterator for Merge<T> {
    type Item = anyhow::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.heap.pop()?;
        match self.inputs[head.input].next() {
            Some(Ok(row)) => self.heap.push(Head {
                row,
                input: head.input,
                order: self.order,
            }),
            Some(Err(error)) => return Some(Err(error)),
            None => {}
        }
        Some(Ok(head.row))
    }
}

/// Folds each run of adjacent rows that `order` says are equal into its
/// first row, by `fold(first, next)`.
pub struct Folded<I, T> {
    rows: I,
    pending: Option<T>,
    order: Order<T>,
    fold: Fold<T>,
}

impl<I: Iterator<Item = anyhow::Result<T>>, T> Folded<I, T> {
    pub fn new(rows: I, order: Order<T>, fold: Fold<T>) -> Self {
        Folded {
            rows,
            pending: None,
            order,
            fold,
        }
    }
}

impl<I: Iterator<Item = anyhow::Result<T>>, T> Iterator for Folded<I, T> {
    type Item = anyhow::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut kept = match self.pending.take() {
            Some(row) => row,
            None => match self.rows.next()? {
                Ok(row) => row,
                Err(error) => return Some(Err(error)),
            },
        };
        loop {
            match self.rows.next() {
                None => return Some(Ok(kept)),
                Some(Err(error)) => return Some(Err(error)),
                Some(Ok(row)) if (self.order)(&kept, &row) == Ordering::Equal => {
                    (self.fold)(&mut kept, row)
                }
                Some(Ok(row)) => {
                    self.pending = Some(row);
                    return Some(Ok(kept));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Pair {
        key: i64,
        seq: i64,
    }

    fn by_key(a: &Pair, b: &Pair) -> Ordering {
        a.key.cmp(&b.key)
    }

    /// Keys in a scrambled order, each key repeated; `seq` is the order added.
    fn scrambled(n: i64) -> Vec<Pair> {
        (0..n)
            .map(|seq| Pair {
                key: (seq * 7919) % (n / 3),
                seq,
            })
            .collect()
    }

    #[test]
    fn spilled_runs_merge_sorted_and_folded_in_the_order_added() {
        let rows = scrambled(10_000);
        // Keeping the first of equal rows shows the order they fold in.
        let mut first: Vec<Pair> = rows.clone();
        first.sort_by(by_key);
        first.dedup_by_key(|p| p.key);
        let mut sums = first.clone();
        for sum in &mut sums {
            sum.seq = rows
                .iter()
                .filter(|p| p.key == sum.key)
                .map(|p| p.seq)
                .sum();
        }
        let keep_first: Fold<Pair> = |_, _| {};
        let add: Fold<Pair> = |kept, next| kept.seq += next.seq;
        // The exact key, one that ties every row, one that misorders them:
        // the key only saves time.
        let keys: [(&str, SortKey<Pair>); 3] = [
            ("exact", |p| KeyBytes::default().signed(p.key, 8).key()),
            ("tied", |_| 0),
            ("reversed", |p| KeyBytes::default().signed(-p.key, 8).key()),
        ];
        for (fold, expected) in [(keep_first, &first), (add, &sums)] {
            for (name, key) in keys {
                for run_rows in [1_000, 3_333, 20_000] {
                    let sorting = Sorting {
                        order: by_key,
                        key,
                        fold,
                    };
                    let mut sorter = Sorter::with_run_rows(sorting, run_rows);
                    sorter.extend(rows.clone()).unwrap();
                    let spilled = sorter.runs.len() + usize::from(sorter.spilling.is_some());
                    let sorted: Vec<Pair> = sorter.finish().unwrap().map(Result::unwrap).collect();
                    assert_eq!(
                        &sorted, expected,
                        "{name} key, runs of {run_rows} rows ({spilled} spilled)"
                    );
                }
            }
        }
    }

    #[test]
    fn normalised_keys_order_as_their_fields() {
        let key = |text: &str, day: i64| KeyBytes::default().text(text, 7).signed(day, 4).key();
        let rows = [
            ("", -5),
            ("", 3),
            ("0009768", i64::from(i32::MIN)),
            ("0009768", -1),
            ("0009768", 0),
            ("0009768", i64::from(i32::MAX)),
            ("2350289", 1),
            ("AC", -3),
            ("AC", 2),
        ];
        for pair in rows.windows(2) {
            let ((a, x), (b, y)) = (pair[0], pair[1]);
            assert!(key(a, x) < key(b, y), "{a:?} {x} before {b:?} {y}");
        }
        let micros = |at: i64| KeyBytes::default().signed(at, 8).key();
        assert!(micros(i64::MIN) < micros(-1) && micros(-1) < micros(0));
        assert!(micros(0) < micros(i64::MAX));
    }

    #[test]
    fn equal_neighbours_fold_into_the_first() {
        let rows = vec![
            Pair { key: 1, seq: 1 },
            Pair { key: 1, seq: 2 },
            Pair { key: 2, seq: 3 },
            Pair { key: 3, seq: 4 },
            Pair { key: 3, seq: 5 },
        ];
        let sums: Vec<Pair> = Folded::new(rows.into_iter().map(Ok), by_key, |kept, next| {
            kept.seq += next.seq
        })
        .map(Result::unwrap)
        .collect();
        assert_eq!(
            sums,
            [
                Pair { key: 1, seq: 3 },
                Pair { key: 2, seq: 3 },
                Pair { key: 3, seq: 9 },
            ]
        );
    }
}
