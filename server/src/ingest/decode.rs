//! Decompression of raw files by their name: `.gz` (gzip), `.xz`, else as is.

use std::io::Read;

/// The content of a raw file, decompressed according to its extension.
pub fn decompress(name: &str, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    if name.ends_with(".gz") {
        let mut out = Vec::with_capacity(bytes.len() * 6);
        flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
        Ok(out)
    } else if name.ends_with(".xz") {
        let mut out = Vec::with_capacity(bytes.len() * 12);
        liblzma::read::XzDecoder::new_multi_decoder(bytes).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(bytes.to_vec())
    }
}
