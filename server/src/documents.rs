//! Intake checks for a dossier's documents, before a byte is stored: photos of papers pass the
//! photo checks (type by content, size, pixel count, a complete file); PDFs must be whole, carry no
//! active content (scripts, launch actions, embedded files), have a sane page count, and no
//! compressed stream may inflate past a bound: a small file that unpacks to gigabytes (a
//! "document bomb") is refused without being unpacked further.

use std::collections::HashMap;
use std::io::Read;

use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::photos::PhotoError;

/// The largest document taken: a scanned certificate or test report is a few megabytes.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// Pages in one document: the longest real ones (a standard, a test report) have dozens.
pub const MAX_PAGES: usize = 300;
/// Bytes all of a PDF's compressed streams may inflate to together.
pub const MAX_INFLATED: u64 = 64 * 1024 * 1024;
/// A stream may inflate to this many times its packed size (or 8 MB, whichever is more): text and
/// fonts pack 3-10 to one; a bomb packs a thousand.
const MAX_RATIO: u64 = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocError {
    #[error("too large")]
    TooLarge,
    #[error("not a PDF or a photo")]
    Unsupported,
    #[error("damaged or incomplete")]
    Damaged,
    #[error("active content")]
    Active,
    #[error("{0} pages")]
    TooManyPages(usize),
    #[error("a compressed stream inflates past the bound")]
    Bomb,
    #[error(transparent)]
    Photo(#[from] PhotoError),
}

impl DocError {
    /// What the person uploading is told, in both languages.
    pub fn message(&self) -> (String, String) {
        let s = |vi: &str, en: &str| (vi.to_string(), en.to_string());
        match self {
            DocError::TooLarge => s("Tệp lớn quá 15 MB.", "The file is larger than 15 MB."),
            DocError::Unsupported => s(
                "Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP.",
                "Only PDF files or JPEG, PNG and WebP photos are taken.",
            ),
            DocError::Damaged => {
                s("Tệp bị hỏng hoặc tải lên chưa hết.", "The file is damaged or did not upload completely.")
            }
            DocError::Active => s(
                "Tệp PDF chứa mã chạy hoặc tệp đính kèm; hãy in lại ra PDF thường.",
                "The PDF carries scripts or embedded files; print it to a plain PDF again.",
            ),
            DocError::TooManyPages(n) => (
                format!("Tệp có {n} trang, tối đa {MAX_PAGES} trang."),
                format!("The file has {n} pages; {MAX_PAGES} at most."),
            ),
            DocError::Bomb => s(
                "Tệp PDF giải nén ra quá lớn so với kích thước của nó; không nhận.",
                "The PDF unpacks to far more than its size; it is refused.",
            ),
            DocError::Photo(PhotoError::TooManyPixels { w, h }) => (
                format!("Ảnh {w}×{h} điểm ảnh, quá lớn; chụp lại ở cỡ thường."),
                format!("The photo is {w}×{h} pixels, too many; take it at a normal size."),
            ),
            DocError::Photo(PhotoError::TooLarge) => s("Tệp lớn quá 15 MB.", "The file is larger than 15 MB."),
            DocError::Photo(_) => {
                s("Ảnh bị hỏng hoặc không đúng định dạng.", "The photo is damaged or not a JPEG, PNG or WebP.")
            }
        }
    }
}

/// The kind of a checked document: its content type and file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub content_type: &'static str,
    pub ext: &'static str,
}

pub fn check(bytes: &[u8]) -> Result<Kind, DocError> {
    if bytes.len() > MAX_BYTES {
        return Err(DocError::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        check_pdf(bytes)?;
        return Ok(Kind { content_type: "application/pdf", ext: "pdf" });
    }
    let kind = match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => Kind { content_type: "image/jpeg", ext: "jpg" },
        Ok(image::ImageFormat::Png) => Kind { content_type: "image/png", ext: "png" },
        Ok(image::ImageFormat::WebP) => Kind { content_type: "image/webp", ext: "webp" },
        _ => return Err(DocError::Unsupported),
    };
    crate::photos::precheck(bytes)?;
    Ok(kind)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Names that make a PDF do something when opened, rather than show pages.
const ACTIVE: [&[u8]; 5] = [b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia"];

fn active(bytes: &[u8]) -> bool {
    ACTIVE.iter().any(|name| {
        let mut at = 0;
        while let Some(i) = find(bytes, name, at) {
            // A whole name: `/JS` but not `/JSomething`.
            let next = bytes.get(i + name.len()).copied().unwrap_or(b' ');
            if !next.is_ascii_alphanumeric() {
                return true;
            }
            at = i + 1;
        }
        false
    })
}

fn pages(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut at = 0;
    while let Some(i) = find(bytes, b"/Type", at) {
        let rest = &bytes[i + 5..bytes.len().min(i + 16)];
        let rest: Vec<u8> = rest.iter().copied().skip_while(|b| b.is_ascii_whitespace()).collect();
        if rest.starts_with(b"/Page") && !rest.starts_with(b"/Pages") {
            n += 1;
        }
        at = i + 5;
    }
    n
}

fn check_pdf(bytes: &[u8]) -> Result<(), DocError> {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if find(tail, b"%%EOF", 0).is_none() {
        return Err(DocError::Damaged);
    }
    if active(bytes) {
        return Err(DocError::Active);
    }
    let n = pages(bytes);
    if n > MAX_PAGES {
        return Err(DocError::TooManyPages(n));
    }
    inflate_streams(bytes)
}

/// Inflates every Flate-compressed stream with bounds, looking inside for active content too
/// (object streams can hide it).
fn inflate_streams(bytes: &[u8]) -> Result<(), DocError> {
    let mut total: u64 = 0;
    let mut at = 0;
    while let Some(s) = find(bytes, b"stream", at) {
        // `endstream` also contains `stream`: skip it.
        if s >= 3 && &bytes[s - 3..s] == b"end" {
            at = s + 6;
            continue;
        }
        let mut start = s + 6;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = find(bytes, b"endstream", start).ok_or(DocError::Damaged)?;
        let dict_from = bytes[..s].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
        let flate = find(&bytes[dict_from..s], b"/FlateDecode", 0).is_some();
        if flate {
            let packed = &bytes[start..end];
            let bound = (packed.len() as u64 * MAX_RATIO).max(8 * 1024 * 1024).min(MAX_INFLATED - total);
            let mut reader = flate2::read::ZlibDecoder::new(packed).take(bound + 1);
            let mut buf = vec![0u8; 64 * 1024];
            let mut carry: Vec<u8> = Vec::new();
            let mut n: u64 = 0;
            loop {
                // A damaged stream ends the reading; the viewer would show what it can.
                let got = reader.read(&mut buf).unwrap_or(0);
                if got == 0 {
                    break;
                }
                n += got as u64;
                if n > bound {
                    return Err(DocError::Bomb);
                }
                carry.extend_from_slice(&buf[..got]);
                if active(&carry) {
                    return Err(DocError::Active);
                }
                // Keep the end, in case a name spans two reads.
                let keep = carry.len().saturating_sub(16);
                carry.drain(..keep);
            }
            total += n;
        }
        at = end + 9;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn flate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf(body: &[u8], stream: Option<Vec<u8>>) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
        out.extend_from_slice(body);
        if let Some(s) = stream {
            out.extend_from_slice(
                format!("4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n", s.len()).as_bytes(),
            );
            out.extend_from_slice(&s);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
        out.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
        out
    }

    #[test]
    fn a_plain_pdf_with_text_streams_is_taken() {
        let text = b"BT /F1 12 Tf 72 712 Td (Giay chung nhan) Tj ET\n".repeat(200);
        let doc = pdf(b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n", Some(flate(&text)));
        assert_eq!(check(&doc), Ok(Kind { content_type: "application/pdf", ext: "pdf" }));
    }

    #[test]
    fn a_small_pdf_that_unpacks_to_tens_of_megabytes_is_a_bomb() {
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let packed = flate(&zeros);
        assert!(packed.len() < 300 * 1024, "packed to {} bytes", packed.len());
        assert_eq!(check(&pdf(b"", Some(packed))), Err(DocError::Bomb));
    }

    #[test]
    fn scripts_launch_actions_and_embedded_files_are_refused_even_inside_a_compressed_stream() {
        assert_eq!(
            check(&pdf(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n", None)),
            Err(DocError::Active)
        );
        assert_eq!(check(&pdf(b"5 0 obj << /S /Launch /F (cmd.exe) >> endobj\n", None)), Err(DocError::Active));
        let hidden = flate(b"6 0 obj << /Type /EmbeddedFile >> endobj");
        assert_eq!(check(&pdf(b"", Some(hidden))), Err(DocError::Active));
        // A name that merely starts the same is not active content.
        assert!(check(&pdf(b"5 0 obj << /JSONData 1 >> endobj\n", None)).is_ok());
    }

    #[test]
    fn a_truncated_pdf_or_another_file_is_refused_and_pages_are_counted() {
        let doc = pdf(b"", None);
        assert_eq!(check(&doc[..doc.len() - 8]), Err(DocError::Damaged));
        assert_eq!(check(b"PK\x03\x04 a zip, not a document"), Err(DocError::Unsupported));
        assert_eq!(check(b"<html><body>not a document</body></html>"), Err(DocError::Unsupported));
        let many = b"<< /Type /Page >>\n".repeat(MAX_PAGES + 1);
        assert_eq!(check(&pdf(&many, None)), Err(DocError::TooManyPages(MAX_PAGES + 1)));
        let tree = b"<< /Type /Pages /Count 1 >> << /Type/Page >>\n";
        assert!(check(&pdf(tree, None)).is_ok(), "/Pages is the tree, not a page");
    }

    #[test]
    fn a_photo_of_a_paper_passes_the_photo_checks() {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut png = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut png, image::ImageFormat::Png).unwrap();
        assert_eq!(check(png.get_ref()).unwrap().content_type, "image/png");
        assert!(matches!(check(&png.get_ref()[..60]), Err(DocError::Photo(_))));
    }
}

/// A document upload form as posted: its text fields, the file's name and bytes, and whether the
/// file ran past the route's limit.
#[derive(Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file_name: String,
    pub file: Option<axum::body::Bytes>,
    pub too_large: bool,
}

impl Upload {
    pub async fn read(mut form: Multipart) -> Upload {
        let mut u = Upload::default();
        while let Ok(Some(field)) = form.next_field().await {
            match field.name().map(str::to_string) {
                Some(n) if n == "file" => {
                    u.file_name = field.file_name().unwrap_or("tai-lieu").to_string();
                    match field.bytes().await {
                        Ok(b) => u.file = Some(b),
                        Err(_) => u.too_large = true,
                    }
                }
                Some(n) => {
                    let v = field.text().await.unwrap_or_default();
                    u.fields.insert(n, v);
                }
                None => {}
            }
        }
        u
    }

    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// A checked document served inline, in a sandbox with no scripts, named for a download.
pub fn inline(bytes: axum::body::Bytes, content_type: String, file_name: &str, cache: &str) -> Response {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect::<String>().replace('+', "%20");
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")),
            (header::CACHE_CONTROL, cache.to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}
