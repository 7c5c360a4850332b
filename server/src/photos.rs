//! Photo intake: what a producer uploads is checked by its content (JPEG, PNG or WebP, whatever the
//! file is called), bounded in bytes and in pixels before it is decoded (a small file can claim a
//! gigapixel image), decoded with allocation limits, turned the right way up, and re-encoded: the
//! derivatives carry pixels only, no EXIF (location, camera serial). Derivatives are WebP, named by
//! the hash of their bytes, so they can be cached for a year and never go stale.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

pub const MAX_BYTES: usize = 15 * 1024 * 1024;
pub const MAX_PIXELS: u64 = 50_000_000;
/// Widths made for every photo (a smaller original gives only the widths it can fill).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("Ảnh lớn quá 15 MB / The photo is larger than 15 MB")]
    TooLarge,
    #[error("Tệp không phải ảnh JPEG, PNG hay WebP / The file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("Ảnh {w}×{h} quá 50 megapixel / The {w}×{h} image is over 50 megapixels")]
    TooManyPixels { w: u32, h: u32 },
    #[error("Ảnh bị hỏng hoặc không đầy đủ / The image is damaged or incomplete")]
    Damaged,
}

#[derive(Clone)]
pub struct Derivative {
    pub width: u32,
    pub height: u32,
    /// `{sha256}.webp`
    pub name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Derivative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}×{}, {} bytes)", self.name, self.width, self.height, self.bytes.len())
    }
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, PhotoError> {
    let r = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    match r.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) if whole(f, bytes) => Ok(r),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => Err(PhotoError::Damaged),
        _ => Err(PhotoError::NotAnImage),
    }
}

/// Decoders fill a cut-off JPEG with grey rather than fail: an upload broken off mid-way is caught
/// by its missing end marker here (JPEG end-of-image, PNG IEND, the RIFF length of a WebP), and a
/// JPEG cut short with an end marker pasted on is caught by the strict decoder (`decode_jpeg`), or
/// sooner by `too_small_for` when it claims more pixels than its bytes could hold.
fn whole(format: ImageFormat, bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    match format {
        ImageFormat::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        ImageFormat::Png => tail.windows(4).any(|w| w == b"IEND"),
        ImageFormat::WebP => {
            bytes.get(4..8).is_some_and(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize + 8 <= bytes.len())
        }
        _ => false,
    }
}

/// What can be known without decoding: the type by content, the size, the header's pixel count
/// and whether the file is complete. Cheap enough to answer the upload with.
pub fn precheck(bytes: &[u8]) -> Result<(u32, u32), PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    // The header alone: its claimed size decides whether we decode at all.
    let (w, h) = reader(bytes)?.into_dimensions().map_err(|_| PhotoError::Damaged)?;
    if w as u64 * h as u64 > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { w, h });
    }
    if too_small_for(bytes, w, h) {
        return Err(PhotoError::Damaged);
    }
    Ok((w, h))
}

/// Whether a baseline JPEG is too short to hold the picture its header claims. Every 8×8 block of
/// brightness costs at least two bits (a DC code and an end-of-block code, one bit each at best),
/// so a complete w×h baseline JPEG has at least w·h/256 bytes of scan data. (Progressive JPEGs can
/// code runs of empty blocks in a few bits, so they are left to the strict decoder.)
fn too_small_for(bytes: &[u8], w: u32, h: u32) -> bool {
    let blocks = (w as u64).div_ceil(8) * (h as u64).div_ceil(8);
    jpeg_frame(bytes).is_some_and(|sof| matches!(sof, 0xC0 | 0xC1) && (bytes.len() as u64) < blocks / 4)
}

/// The start-of-frame marker of a JPEG (0xC0 baseline, 0xC1 extended, 0xC2 progressive, …),
/// found by walking its header segments.
fn jpeg_frame(bytes: &[u8]) -> Option<u8> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some(marker);
        }
        if marker == 0xDA {
            return None;
        }
        i += 2 + u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
    }
    None
}

/// A JPEG decoded in strict mode without its end marker: a decoder meeting an end marker early fills
/// the rest of the picture with grey, but running out of bytes before the last row of blocks is an
/// error, so scan data cut short is caught whatever was pasted after it. A few zero bytes stand in
/// for the marker, because the decoder reads a little ahead of the data it needs.
fn decode_jpeg(bytes: &[u8], w: u32, h: u32) -> Result<DynamicImage, PhotoError> {
    let tail = bytes.len().saturating_sub(64);
    let end = bytes[tail..].windows(2).rposition(|p| p == [0xFF, 0xD9]).map(|i| tail + i).ok_or(PhotoError::Damaged)?;
    let mut data = Vec::with_capacity(end + 16);
    data.extend_from_slice(&bytes[..end]);
    data.extend_from_slice(&[0; 16]);
    let bytes = &data[..];
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(w as usize)
        .set_max_height(h as usize)
        .jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = d.decode().map_err(|_| PhotoError::Damaged)?;
    let (dw, dh) = d.dimensions().ok_or(PhotoError::Damaged)?;
    image::RgbImage::from_raw(dw as u32, dh as u32, pixels).map(DynamicImage::ImageRgb8).ok_or(PhotoError::Damaged)
}

/// Stores derivatives. A name is its content's hash, so writing one that is already there writes the
/// same bytes again: no need to ask first (a round trip per file to a bucket).
pub async fn write_all(media: &crate::media::Media, derivatives: &[Derivative]) -> Result<(), crate::AppError> {
    for d in derivatives {
        media.put(&d.name, d.bytes.clone()).await?;
    }
    Ok(())
}

/// Checks and decodes an upload, and makes its derivatives. CPU-heavy: call it off the async threads.
pub fn process(bytes: &[u8]) -> Result<Vec<Derivative>, PhotoError> {
    let (w, h) = precheck(bytes)?;
    let mut r = reader(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    // RGBA8 of 50 MP plus a decoder's working room.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    r.limits(limits);
    let jpeg = r.format() == Some(ImageFormat::Jpeg);
    let mut decoder = r.into_decoder().map_err(|_| PhotoError::Damaged)?;
    let orientation = decoder.orientation().map_err(|_| PhotoError::Damaged)?;
    let mut img = if jpeg {
        decode_jpeg(bytes, w, h)?
    } else {
        DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Damaged)?
    };
    img.apply_orientation(orientation);
    let mut out = Vec::new();
    for target in WIDTHS {
        // Never enlarged: a width the original cannot fill is replaced by the original's own.
        let (scaled, last) = if img.width() > target {
            (img.resize(target, u32::MAX, image::imageops::FilterType::CatmullRom), false)
        } else {
            (img.clone(), true)
        };
        let rgba = scaled.to_rgba8();
        let mut buf = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut buf)
            .encode(rgba.as_raw(), rgba.width(), rgba.height(), image::ExtendedColorType::Rgba8)
            .map_err(|_| PhotoError::Damaged)?;
        let name = format!("{}.webp", hex::encode(Sha256::digest(&buf)));
        out.push(Derivative { width: rgba.width(), height: rgba.height(), name, bytes: buf });
        if last {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut buf = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img).write_to(&mut buf, format).unwrap();
        buf.into_inner()
    }

    #[test]
    fn jpeg_png_and_webp_become_webp_derivatives_by_width() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let d = process(&encoded(1600, 1200, format)).unwrap();
            assert_eq!(d.iter().map(|d| d.width).collect::<Vec<_>>(), [320, 640, 1280], "{format:?}");
            assert_eq!(d[0].height, 240, "aspect kept");
            assert!(d.iter().all(|d| d.bytes.starts_with(b"RIFF") && &d.bytes[8..12] == b"WEBP"));
            assert!(d[0].name.ends_with(".webp") && d[0].name.len() == 64 + 5);
        }
        let small = process(&encoded(500, 300, ImageFormat::Png)).unwrap();
        assert_eq!(small.iter().map(|d| d.width).collect::<Vec<_>>(), [320, 500], "never enlarged");
    }

    #[test]
    fn the_same_picture_gets_the_same_name() {
        let bytes = encoded(700, 400, ImageFormat::Png);
        assert_eq!(process(&bytes).unwrap()[0].name, process(&bytes).unwrap()[0].name);
    }

    #[test]
    fn metadata_does_not_survive_re_encoding() {
        // A JPEG with an EXIF segment carrying a GPS-like marker string.
        let jpeg = encoded(400, 300, ImageFormat::Jpeg);
        let mut with_exif = jpeg[..2].to_vec();
        let payload = b"Exif\0\0GPS-SECRET-10.9289N-108.1021E";
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(payload);
        with_exif.extend_from_slice(&jpeg[2..]);
        let d = process(&with_exif).unwrap();
        assert!(d.iter().all(|d| !d.bytes.windows(10).any(|w| w == b"GPS-SECRET")));
    }

    #[test]
    fn renamed_truncated_oversized_and_bomb_files_are_refused() {
        assert_eq!(process(b"%PDF-1.7 this is a document named photo.jpg").unwrap_err(), PhotoError::NotAnImage);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert_eq!(process(&gif).unwrap_err(), PhotoError::NotAnImage, "GIF is not accepted");
        let jpeg = encoded(800, 600, ImageFormat::Jpeg);
        assert_eq!(process(&jpeg[..jpeg.len() / 2]).unwrap_err(), PhotoError::Damaged);
        let mut big = encoded(64, 64, ImageFormat::Png);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(process(&big).unwrap_err(), PhotoError::TooLarge);
        // A valid PNG header that claims 20000×20000 (400 MP) over a few bytes of data.
        let mut bomb = encoded(16, 16, ImageFormat::Png);
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(process(&bomb).unwrap_err(), PhotoError::TooManyPixels { w: 20_000, h: 20_000 });
    }

    /// The first 2 kB of a large JPEG with an end marker pasted on: the header claims the whole
    /// picture, the end marker says "complete", the data holds a sliver of it.
    fn cut_with_end_marker(jpeg: &[u8], keep: usize) -> Vec<u8> {
        let mut cut = jpeg[..keep].to_vec();
        cut.extend_from_slice(&[0xFF, 0xD9]);
        cut
    }

    #[test]
    fn a_jpeg_cut_short_with_an_end_marker_pasted_on_is_refused() {
        // Claims 7000×7000 (49 MP) in 2 kB: refused from the header, before anything is decoded.
        let big = encoded(7000, 7000, ImageFormat::Jpeg);
        assert_eq!(precheck(&cut_with_end_marker(&big, 2048)).unwrap_err(), PhotoError::Damaged);
        // Cut at two thirds, past what the size floor can tell: the strict decoder runs out of data.
        let photo = encoded(1600, 1200, ImageFormat::Jpeg);
        let cut = cut_with_end_marker(&photo, photo.len() * 2 / 3);
        assert!(precheck(&cut).is_ok(), "plausible from its header and size");
        assert_eq!(process(&cut).unwrap_err(), PhotoError::Damaged);
        assert!(process(&photo).is_ok(), "the whole file is fine");
        // Complete files whose scan data is as short as it gets still pass: tiny, narrow, flat.
        for (w, h) in [(8, 8), (9, 300), (300, 9), (640, 480)] {
            let flat = image::RgbImage::from_pixel(w, h, image::Rgb([240, 240, 236]));
            let mut buf = Cursor::new(Vec::new());
            DynamicImage::ImageRgb8(flat).write_to(&mut buf, ImageFormat::Jpeg).unwrap();
            assert!(process(buf.get_ref()).is_ok(), "flat {w}×{h}");
        }
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
