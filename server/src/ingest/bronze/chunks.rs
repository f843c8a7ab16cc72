//! A raw object's bytes handed, a chunk at a time, from the task that
//! downloads them to the thread that decompresses and parses them: only a
//! few chunks are ever in memory, whatever the object's size.

use std::io::Read;

use bytes::{Buf, Bytes};
use tokio::{
    io::{AsyncRead, AsyncReadExt},
    sync::mpsc,
};

/// Chunks in flight between the download and the parser.
const IN_FLIGHT: usize = 8;
/// Bytes per chunk.
const CHUNK: usize = 256 * 1024;

/// The parser's end: a blocking `Read` over the chunks sent.
pub struct Chunks {
    chunks: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

/// The download's end.
pub struct Download(mpsc::Sender<std::io::Result<Bytes>>);

/// A connected download and reader.
pub fn channel() -> (Download, Chunks) {
    let (sender, chunks) = mpsc::channel(IN_FLIGHT);
    (
        Download(sender),
        Chunks {
            chunks,
            current: Bytes::new(),
        },
    )
}

impl Download {
    /// Reads `object` to its end into the channel; stops early, quietly,
    /// when the parser has stopped reading. A read error reaches the parser.
    pub async fn pump(self, mut object: impl AsyncRead + Unpin) {
        let mut buffer = vec![0; CHUNK];
        loop {
            let chunk = match object.read(&mut buffer).await {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(&buffer[..n])),
                Err(error) => Err(error),
            };
            let failed = chunk.is_err();
            if self.0.send(chunk).await.is_err() || failed {
                return;
            }
        }
    }
}

impl Read for Chunks {
    /// Blocks until a chunk arrives; must run off the async runtime.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_parser_reads_what_the_download_brings_in_order() {
        let bytes: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        let (download, mut chunks) = channel();
        let reading = tokio::task::spawn_blocking(move || {
            let mut read = Vec::new();
            chunks.read_to_end(&mut read).map(|_| read)
        });
        download.pump(bytes.as_slice()).await;
        assert_eq!(reading.await.unwrap().unwrap(), bytes);
    }
}
