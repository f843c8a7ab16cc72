//! The lake contract, run unchanged against both backends: the local folder
//! and S3 on a real S3-compatible server.

use std::{
    io,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use sentinela::lake::{Key, Lake, LakeError};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

use crate::support::{local_lake, s3_lake};

fn key(text: &str) -> Key {
    text.parse().expect("valid test key")
}

/// Deterministic bytes that differ at every position modulo 251.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ seed).collect()
}

/// A reader that yields `good` bytes, then fails: a download cut short.
struct FailingReader {
    remaining: Vec<u8>,
}

impl AsyncRead for FailingReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.remaining.is_empty() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "source hung up",
            )));
        }
        let n = buf.remaining().min(self.remaining.len()).min(64 * 1024);
        let chunk: Vec<u8> = self.remaining.drain(..n).collect();
        buf.put_slice(&chunk);
        Poll::Ready(Ok(()))
    }
}

async fn round_trip(lake: &dyn Lake) {
    let k = key("raw/cases/2022-04-24/cases.csv");
    assert!(!lake.exists(&k).await.unwrap());
    lake.put(&k, Bytes::from_static(b"date,state\n2022-04-24,SP\n"))
        .await
        .unwrap();
    assert!(lake.exists(&k).await.unwrap());
    assert_eq!(
        lake.get(&k).await.unwrap().as_ref(),
        b"date,state\n2022-04-24,SP\n"
    );
    lake.delete(&k).await.unwrap();
    assert!(!lake.exists(&k).await.unwrap());
    lake.delete(&k)
        .await
        .expect("deleting a missing object is not an error");
}

async fn missing_objects_are_not_found(lake: &dyn Lake) {
    let k = key("gold/none/here.parquet");
    assert!(matches!(lake.get(&k).await, Err(LakeError::NotFound(found)) if found == k));
    assert!(matches!(lake.open(&k).await, Err(LakeError::NotFound(_))));
}

async fn put_replaces_the_whole_object(lake: &dyn Lake) {
    let k = key("silver/occupancy/part-0.parquet");
    lake.put(&k, Bytes::from(pattern(1000, 1))).await.unwrap();
    lake.put(&k, Bytes::from(pattern(10, 2))).await.unwrap();
    assert_eq!(
        lake.get(&k).await.unwrap().as_ref(),
        pattern(10, 2).as_slice()
    );
}

async fn large_objects_stream_both_ways(lake: &dyn Lake) {
    // 20 MiB + 3 bytes: three multipart parts on S3, the last one short.
    let data = pattern(20 * 1024 * 1024 + 3, 7);
    let k = key("raw/sivep/big.csv.xz");
    let written = lake.put_stream(&k, &mut data.as_slice()).await.unwrap();
    assert_eq!(written, data.len() as u64);
    let mut reader = lake.open(&k).await.unwrap();
    let mut back = Vec::new();
    reader.read_to_end(&mut back).await.unwrap();
    assert_eq!(back.len(), data.len());
    assert!(back == data, "streamed bytes differ from what was written");
}

async fn a_failed_write_replaces_nothing(lake: &dyn Lake) {
    let k = key("bronze/cases/states.parquet");
    lake.put(&k, Bytes::from_static(b"last good"))
        .await
        .unwrap();
    // Fails after 9 MiB: past the first multipart part on S3.
    let mut cut = FailingReader {
        remaining: pattern(9 * 1024 * 1024, 3),
    };
    let error = lake
        .put_stream(&k, &mut cut)
        .await
        .expect_err("the write must fail");
    assert!(
        error.to_string().contains("bronze/cases/states.parquet"),
        "{error}"
    );
    assert_eq!(lake.get(&k).await.unwrap().as_ref(), b"last good");
    let listed = lake.list("bronze/").await.unwrap();
    assert_eq!(
        listed.len(),
        1,
        "no partial or temporary object is visible: {listed:?}"
    );
}

async fn list_filters_by_prefix_and_sorts(lake: &dyn Lake) {
    for (k, len) in [
        ("raw/occupancy/2021-03-02.csv.gz", 3),
        ("raw/occupancy/2021-03-01.csv.gz", 2),
        ("raw/occupancy-api/page-1.json", 4),
        ("raw/cases/states.csv", 5),
        ("gold/occupancy/state.parquet", 6),
    ] {
        lake.put(&key(k), Bytes::from(pattern(len, 0)))
            .await
            .unwrap();
    }
    let names = |objects: Vec<sentinela::lake::ObjectInfo>| -> Vec<(String, u64)> {
        objects
            .into_iter()
            .map(|o| (o.key.to_string(), o.size))
            .collect()
    };
    assert_eq!(
        names(lake.list("raw/occupancy/").await.unwrap()),
        vec![
            ("raw/occupancy/2021-03-01.csv.gz".to_owned(), 2),
            ("raw/occupancy/2021-03-02.csv.gz".to_owned(), 3),
        ]
    );
    assert_eq!(lake.list("raw/occupancy").await.unwrap().len(), 3);
    assert_eq!(lake.list("raw/").await.unwrap().len(), 4);
    assert_eq!(lake.list("gold/").await.unwrap().len(), 1);
    assert_eq!(lake.list("").await.unwrap().len(), 5);
    assert!(lake.list("silver/").await.unwrap().is_empty());
}

/// Runs each contract test against both backends.
macro_rules! lake_contract {
    ($($test:ident),* $(,)?) => {
        mod local {
            $(
                #[tokio::test]
                async fn $test() {
                    let (lake, _dir) = crate::support::local_lake();
                    super::$test(&lake).await;
                }
            )*
        }
        mod s3 {
            $(
                #[tokio::test]
                async fn $test() {
                    let lake = crate::support::s3_lake(false).await;
                    super::$test(&lake).await;
                }
            )*
        }
    };
}

lake_contract!(
    round_trip,
    missing_objects_are_not_found,
    put_replaces_the_whole_object,
    large_objects_stream_both_ways,
    a_failed_write_replaces_nothing,
    list_filters_by_prefix_and_sorts,
);

#[tokio::test]
async fn s3_with_one_bucket_per_layer_keeps_layers_apart() {
    let lake = s3_lake(true).await;
    list_filters_by_prefix_and_sorts(&lake).await;
    round_trip(&lake).await;
}

#[tokio::test]
async fn local_writes_leave_no_temporary_files() {
    let (lake, dir) = local_lake();
    let k = key("raw/cases/states.csv");
    lake.put(&k, Bytes::from_static(b"a")).await.unwrap();
    let mut cut = FailingReader {
        remaining: pattern(100_000, 1),
    };
    lake.put_stream(&k, &mut cut).await.unwrap_err();
    let files: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec!["states.csv".to_owned()]);
}
