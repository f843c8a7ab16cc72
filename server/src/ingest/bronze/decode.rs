//! Decompression of raw files by their name, as a stream: `.gz` (gzip),
//! `.xz`, `.zip` (its one file, or its first), else as is.

use std::io::{Cursor, Read};

/// A reader of a raw file's content, decompressed according to its
/// extension as it is read (gzip and xz never hold the whole content; a zip
/// entry is read whole first, as the format stores its index at the end).
/// A corrupt or cut-off stream is an error from the reader.
pub fn reader<'a>(name: &str, bytes: &'a [u8]) -> std::io::Result<Box<dyn Read + Send + 'a>> {
    if name.ends_with(".gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(bytes)))
    } else if name.ends_with(".xz") {
        Ok(Box::new(liblzma::read::XzDecoder::new_multi_decoder(bytes)))
    } else if name.ends_with(".zip") {
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(std::io::Error::other)?;
        let index = (0..archive.len())
            .find(|i| archive.by_index(*i).is_ok_and(|entry| entry.is_file()))
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the zip archive holds no file",
                )
            })?;
        let mut entry = archive.by_index(index).map_err(std::io::Error::other)?;
        let mut out = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut out)?;
        Ok(Box::new(Cursor::new(out)))
    } else {
        Ok(Box::new(bytes))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn decompress(name: &str, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        reader(name, bytes)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn every_compression_gives_back_the_same_bytes() {
        let text = b"date,state\n2020-02-25,SP\n".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(&text).unwrap();
        let mut zipped = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zipped
            .add_directory("data/", zip::write::SimpleFileOptions::default())
            .unwrap();
        zipped
            .start_file("data/cases.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        zipped.write_all(&text).unwrap();
        let zipped = zipped.finish().unwrap().into_inner();
        for (name, bytes) in [
            ("cases.csv.gz", gz.finish().unwrap()),
            ("cases.csv.xz", xz.finish().unwrap()),
            ("cases.zip", zipped),
            ("cases.csv", text.clone()),
        ] {
            assert_eq!(decompress(name, &bytes).unwrap(), text, "{name}");
        }
        assert!(decompress("broken.gz", b"not gzip").is_err());
        assert!(decompress("broken.xz", b"not xz").is_err());
        assert!(decompress("broken.zip", b"not zip").is_err());
    }

    #[test]
    fn a_corrupt_middle_is_an_error_not_garbage() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{i},SP\n").into_bytes())
            .collect();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(&text).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        for (name, mut bytes) in [
            ("c.csv.xz", xz.finish().unwrap()),
            ("c.csv.gz", gz.finish().unwrap()),
        ] {
            let middle = bytes.len() / 2;
            bytes[middle..middle + 32].fill(0xA5);
            assert!(decompress(name, &bytes).is_err(), "{name}");
            bytes.truncate(middle);
            assert!(decompress(name, &bytes).is_err(), "{name} cut off");
        }
    }
}
