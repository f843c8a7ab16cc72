//! A kept document as gzip, compressed once: each piece between two places
//! of the nonce is deflated on its own (a sync flush ends it on a byte, with
//! nothing it needs after it), and an answer strings them together with its
//! own nonce in stored blocks between them, a final empty block, and the
//! CRC-32 of the whole combined from the pieces'. The result is one
//! ordinary gzip member (RFC 1952), which every browser reads.

use std::io::{self, Write};

use axum::body::Bytes;
use flate2::{Compression, Crc, write::DeflateEncoder};

/// A gzip member's header: deflate, no name, no time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty stored block.
const END: [u8; 5] = [1, 0, 0, 0xff, 0xff];

/// The pieces deflated, each with its plain text's CRC-32 and length.
pub struct GzipPieces {
    pieces: Vec<(Bytes, Crc)>,
}

impl GzipPieces {
    /// Deflates each of `plain`'s pieces on its own.
    pub fn new(plain: &[Bytes]) -> io::Result<GzipPieces> {
        let pieces = plain
            .iter()
            .map(|piece| {
                let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(piece)?;
                encoder.flush()?;
                let deflated = std::mem::take(encoder.get_mut());
                let mut crc = Crc::new();
                crc.update(piece);
                Ok((Bytes::from(deflated), crc))
            })
            .collect::<io::Result<_>>()?;
        Ok(GzipPieces { pieces })
    }

    /// The member with `nonce` between every two pieces, as chunks.
    pub fn chunks(&self, nonce: &[u8]) -> Vec<Bytes> {
        let stored = stored_block(nonce);
        let mut nonce_crc = Crc::new();
        nonce_crc.update(nonce);
        let mut whole = Crc::new();
        let mut chunks = vec![Bytes::from_static(&HEADER)];
        for (i, (deflated, crc)) in self.pieces.iter().enumerate() {
            if i > 0 {
                chunks.push(stored.clone());
                whole.combine(&nonce_crc);
            }
            chunks.push(deflated.clone());
            whole.combine(crc);
        }
        chunks.push(Bytes::from_static(&END));
        let mut trailer = Vec::with_capacity(8);
        trailer.extend_from_slice(&whole.sum().to_le_bytes());
        trailer.extend_from_slice(&whole.amount().to_le_bytes());
        chunks.push(Bytes::from(trailer));
        chunks
    }
}

/// Stored, not final blocks holding `text` (a nonce: one block).
fn stored_block(text: &[u8]) -> Bytes {
    let mut blocks = Vec::with_capacity(5 + text.len());
    for part in text.chunks(usize::from(u16::MAX)) {
        let length = u16::try_from(part.len()).unwrap_or(u16::MAX);
        blocks.push(0);
        blocks.extend_from_slice(&length.to_le_bytes());
        blocks.extend_from_slice(&(!length).to_le_bytes());
        blocks.extend_from_slice(part);
    }
    Bytes::from(blocks)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(chunks: &[Bytes]) -> Vec<u8> {
        let member: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        let mut plain = Vec::new();
        let mut decoder = flate2::read::GzDecoder::new(&member[..]);
        decoder
            .read_to_end(&mut plain)
            .expect("a valid gzip member");
        assert_eq!(decoder.into_inner().len(), 0, "one member, read whole");
        plain
    }

    #[test]
    fn the_member_holds_the_pieces_joined_by_the_nonce() {
        let text = "<p>Ocupação de UTI</p>".repeat(500);
        let plain = [
            Bytes::new(),
            Bytes::from(text.clone()),
            Bytes::from_static(b"x"),
            Bytes::from(text.clone()),
        ];
        let gzip = GzipPieces::new(&plain).unwrap();
        for nonce in ["abc", "9f_Q-2xLmN0pR7sT4uVwYz"] {
            let expected = format!("{nonce}{text}{nonce}x{nonce}{text}");
            assert_eq!(gunzip(&gzip.chunks(nonce.as_bytes())), expected.as_bytes());
        }
        let compressed: usize = gzip.chunks(b"abc").iter().map(Bytes::len).sum();
        assert!(compressed < text.len() / 10, "{compressed} bytes");
        let one = GzipPieces::new(&[Bytes::from(text.clone())]).unwrap();
        assert_eq!(gunzip(&one.chunks(b"unused")), text.as_bytes());
        let long = "n".repeat(70_000);
        let two = GzipPieces::new(&[Bytes::from_static(b"a"), Bytes::from_static(b"b")]).unwrap();
        assert_eq!(
            gunzip(&two.chunks(long.as_bytes())),
            format!("a{long}b").as_bytes()
        );
    }
}
