//! ESC/POS output for an 80 mm thermal receipt printer (576 dots across, 203 dpi, Epson TM-T20/T82 class).
//!
//! Printer code pages cannot reliably print Vietnamese letters with stacked diacritics (ế, ỗ, Ợ), so every
//! line is rendered to a 1-bit raster with an embedded DejaVu Sans Mono and sent as `GS v 0` images, which
//! every printer of this class understands.
//!
//! Input is a receipt already laid out as text lines, NFC composed (as Vietnamese keyboards and most
//! databases produce; decomposed letters would take two columns). A normal line holds 48 monospaced columns
//! of 12 dots each. A line starting with [`DOUBLE_SIZE`] (`'\u{1}'`, SOH) is printed double width and double
//! height (24 columns), meant for the shop name or the total. Characters beyond the last column are dropped,
//! not wrapped: the caller owns the layout.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlinedGlyph, PxScale, ScaleFont, point};

/// Printable width of an 80 mm head at 203 dpi.
pub const DOTS: usize = 576;

/// Marker at the start of a line that prints it double width and double height (24 columns).
pub const DOUBLE_SIZE: char = '\u{1}';

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Partial cut after the receipt (`GS V 66 0`).
    pub cut: bool,
    /// Pulse the cash drawer on connector pin 2 (`ESC p 0 25 250`).
    pub open_drawer: bool,
}

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const COLUMNS: usize = 48;
const ROW_BYTES: usize = DOTS / 8;
/// Several printers reject or garble a single `GS v 0` image taller than this.
const MAX_BAND_ROWS: usize = 255;
/// Blank lines after the text so the last line clears the tear bar when there is no cut.
const FEED_LINES: u8 = 4;
/// Half-covered pixels count as ink: keeps 1-2 dot stems solid without fattening the letters.
const INK_THRESHOLD: f32 = 0.5;
/// Clear space, in dots at normal size, kept between a base letter's top and a tone mark we stack on it.
/// One dot is the least that survives thresholding as a visible gap.
const MARK_GAP: f32 = 1.0;

const FONT: &[u8] = include_bytes!("../assets/DejaVuSansMono.ttf");

/// Vietnamese vowels with their tone forms, in the order of [`TONE_MARKS`].
const TONED_VOWELS: [(char, &str); 24] = [
    ('a', "àáảãạ"),
    ('ă', "ằắẳẵặ"),
    ('â', "ầấẩẫậ"),
    ('e', "èéẻẽẹ"),
    ('ê', "ềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọ"),
    ('ô', "ồốổỗộ"),
    ('ơ', "ờớởỡợ"),
    ('u', "ùúủũụ"),
    ('ư', "ừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('A', "ÀÁẢÃẠ"),
    ('Ă', "ẰẮẲẴẶ"),
    ('Â', "ẦẤẨẪẬ"),
    ('E', "ÈÉẺẼẸ"),
    ('Ê', "ỀẾỂỄỆ"),
    ('I', "ÌÍỈĨỊ"),
    ('O', "ÒÓỎÕỌ"),
    ('Ô', "ỒỐỔỖỘ"),
    ('Ơ', "ỜỚỞỠỢ"),
    ('U', "ÙÚỦŨỤ"),
    ('Ư', "ỪỨỬỮỰ"),
    ('Y', "ỲÝỶỸỴ"),
];
/// Combining grave, acute, hook above, tilde, dot below.
const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
const DOT_BELOW: char = '\u{323}';

/// ESC @, the lines as raster bands, feed, then optionally drawer kick (ESC p 0 25 250) and partial cut
/// (GS V 66 0).
///
/// Lines are cut at 48 characters (24 for [`DOUBLE_SIZE`] lines); an empty line prints as a blank line.
pub fn receipt(lines: &[String], opts: &Options) -> Vec<u8> {
    let bitmap = rasterize(lines);
    let mut out = Vec::with_capacity(bitmap.len() + bitmap.len() / (ROW_BYTES * MAX_BAND_ROWS) * 8 + 32);
    out.extend([ESC, b'@']);
    for band in bitmap.chunks(ROW_BYTES * MAX_BAND_ROWS) {
        let rows = band.len() / ROW_BYTES;
        // m = 0: normal density, one bit per dot in both directions.
        out.extend([GS, b'v', b'0', 0, ROW_BYTES as u8, (ROW_BYTES >> 8) as u8, rows as u8, (rows >> 8) as u8]);
        out.extend_from_slice(band);
    }
    out.extend([ESC, b'd', FEED_LINES]);
    if opts.open_drawer {
        // Pin 2, 50 ms on, 500 ms off: what drawers on the DK port of these printers expect.
        out.extend([ESC, b'p', 0, 25, 250]);
    }
    if opts.cut {
        // Function B: the printer itself feeds up to the cutter, so nothing printed is lost to the blade.
        out.extend([GS, b'V', 66, 0]);
    }
    out
}

/// Test/diagnostic helper: parses the bytes `receipt` produced back into (width_dots, height_dots, bits as
/// Vec<bool> row-major) by concatenating all GS v 0 bands; errors on anything it does not understand.
pub fn decode_raster(bytes: &[u8]) -> Result<(usize, usize, Vec<bool>), String> {
    let mut width_bytes: Option<usize> = None;
    let mut height = 0;
    let mut bits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let need = |n: usize| {
            if rest.len() < n { Err(format!("truncated command at byte {i}")) } else { Ok(n) }
        };
        i += match rest {
            [ESC, b'@', ..] => 2,
            [ESC, b'd', ..] => need(3)?,
            [ESC, b'p', ..] => need(5)?,
            [GS, b'V', 65 | 66, ..] => need(4)?,
            [GS, b'V', 0 | 1 | 48 | 49, ..] => 3,
            [GS, b'v', b'0', ..] => {
                need(8)?;
                if rest[3] != 0 && rest[3] != b'0' {
                    return Err(format!("GS v 0 at byte {i}: scaled mode {} not supported", rest[3]));
                }
                let w = usize::from(rest[4]) | usize::from(rest[5]) << 8;
                let h = usize::from(rest[6]) | usize::from(rest[7]) << 8;
                if *width_bytes.get_or_insert(w) != w {
                    return Err(format!("GS v 0 at byte {i}: width {w} bytes differs from earlier bands"));
                }
                let data = rest.get(8..8 + w * h).ok_or_else(|| format!("GS v 0 at byte {i}: data truncated"))?;
                bits.extend(data.iter().flat_map(|&b| (0..8).map(move |k| b & (0x80 >> k) != 0)));
                height += h;
                8 + w * h
            }
            _ => return Err(format!("unknown byte 0x{:02X} at {i}", rest[0])),
        };
    }
    Ok((width_bytes.unwrap_or(0) * 8, height, bits))
}

/// Renders all lines into one packed bitmap, `ROW_BYTES` per row, bit 7 = leftmost dot, 1 = black.
fn rasterize(lines: &[String]) -> Vec<u8> {
    let faces = faces();
    let mut bitmap = Vec::new();
    for line in lines {
        let (face, text) = match line.strip_prefix(DOUBLE_SIZE) {
            Some(rest) => (&faces.double, rest),
            None => (&faces.normal, line.as_str()),
        };
        let top = bitmap.len();
        bitmap.resize(top + face.height * ROW_BYTES, 0);
        let band = &mut bitmap[top..];
        let mut plot = |x: i32, y: i32| {
            // Clipping to the line's own band keeps any outsized glyph from smearing the neighbouring lines.
            if (0..DOTS as i32).contains(&x) && (0..face.height as i32).contains(&y) {
                band[y as usize * ROW_BYTES + x as usize / 8] |= 0x80 >> (x % 8);
            }
        };
        for (col, c) in text.chars().take(DOTS / face.cell).enumerate() {
            // A stray '\r' or tab would otherwise print as the font's "missing glyph" box.
            if !c.is_control() {
                face.draw_char(c, (col * face.cell) as i32, face.baseline, &mut plot);
            }
        }
    }
    bitmap
}

/// The font at one print size, with the line metrics derived from it.
struct Face {
    font: FontRef<'static>,
    scale: PxScale,
    /// Dots per column.
    cell: usize,
    /// Rows from the top of a line's band down to its baseline.
    baseline: i32,
    /// Rows per line.
    height: usize,
    /// Clear dots between a base letter and a tone mark stacked on it.
    mark_gap: f32,
}

struct Faces {
    normal: Face,
    double: Face,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| {
        let font = FontRef::try_from_slice(FONT).expect("embedded DejaVu Sans Mono is a valid TrueType font");
        let normal = Face::new(font.clone(), DOTS / COLUMNS, 1.0);
        // Doubling the metrics instead of re-deriving them keeps a double line exactly two lines tall; the
        // glyph extents at twice the scale never round past twice the normal ones, so nothing gets clipped.
        let double = Face::new(font, 2 * normal.cell, 2.0);
        debug_assert!(
            double.baseline <= 2 * normal.baseline
                && double.height - double.baseline as usize <= 2 * (normal.height - normal.baseline as usize),
            "double-size glyphs would be clipped"
        );
        let double = Face { baseline: 2 * normal.baseline, height: 2 * normal.height, ..double };
        Faces { normal, double }
    })
}

impl Face {
    fn new(font: FontRef<'static>, cell: usize, size: f32) -> Self {
        // ab_glyph's PxScale is the ascent-to-descent height in pixels, not the em size, so derive it from
        // the wanted advance. Every glyph of a monospace font shares the advance of '0'.
        let advance = font.h_advance_unscaled(font.glyph_id('0'));
        let scale = PxScale::from(cell as f32 * font.height_unscaled() / advance);
        let mut face = Face { font, scale, cell, baseline: 0, height: 0, mark_gap: MARK_GAP * size };

        let scaled = face.font.as_scaled(scale);
        let (mut above, mut below) = (scaled.ascent().ceil() as i32, (-scaled.descent()).ceil() as i32);
        // The font's ascent does not cover the tone marks we stack on Â, Ê, Ô, Ă ourselves, so measure the
        // real ink of every letter a receipt may use and grow the line to fit the tallest and deepest.
        let ascii = (' '..='~').collect::<String>();
        let vietnamese = TONED_VOWELS.iter().flat_map(|(base, toned)| std::iter::once(*base).chain(toned.chars()));
        // Pixel bounds are the outline's extent rounded outwards, so they hold every dot the glyph can ink.
        for c in ascii.chars().chain(vietnamese).chain("ĐđƯưƠơ₫".chars()) {
            for glyph in face.outlines(c, 0, 0) {
                let bounds = glyph.px_bounds();
                above = above.max(-bounds.min.y as i32);
                below = below.max(bounds.max.y as i32);
            }
        }
        face.baseline = above;
        face.height = (above + below) as usize;
        face
    }

    /// Draws one character with its origin at (`x`, `baseline`), calling `plot` for each inked dot.
    fn draw_char(&self, c: char, x: i32, baseline: i32, plot: &mut impl FnMut(i32, i32)) {
        for glyph in self.outlines(c, x, baseline) {
            let origin = glyph.px_bounds().min;
            glyph.draw(|dx, dy, coverage| {
                if coverage >= INK_THRESHOLD {
                    plot(origin.x as i32 + dx as i32, origin.y as i32 + dy as i32);
                }
            });
        }
    }

    /// The positioned outlines that make up `c`: none for a space, two for a letter we compose.
    fn outlines(&self, c: char, x: i32, baseline: i32) -> impl Iterator<Item = OutlinedGlyph> {
        let (base, mark) = self.components(c);
        let place = move |id: GlyphId, lift: i32| {
            self.font.outline_glyph(id.with_scale_and_position(self.scale, point(x as f32, (baseline - lift) as f32)))
        };
        place(base, 0).into_iter().chain(mark.and_then(|(id, lift)| place(id, lift)))
    }

    /// The glyph for `c`, plus a tone mark and how many dots to raise it when we compose the letter.
    ///
    /// DejaVu Sans Mono lacks 46 Vietnamese letters (every hook above, and the circumflex/breve vowels
    /// carrying a second mark such as ế, ẫ, Ổ), so those are assembled from a base letter it has. The two it
    /// does have with two marks above (ằ, Ằ) squeeze the grave into the breve, which is unreadable at 12 dots,
    /// so they are composed too and match their siblings. Anything else missing prints as the font's
    /// "missing glyph" box rather than silently vanishing.
    fn components(&self, c: char) -> (GlyphId, Option<(GlyphId, i32)>) {
        let id = self.font.glyph_id(c);
        let Some((base, tone)) = split_tone(c) else {
            return (id, None);
        };
        let stacked = tone != DOT_BELOW && "ăâêôĂÂÊÔ".contains(base);
        if id.0 != 0 && !stacked {
            return (id, None);
        }
        // The tone mark takes the place of the dot on i, as in the precomposed í.
        let base = self.font.glyph_id(if base == 'i' { 'ı' } else { base });
        let mark = self.font.glyph_id(tone);
        let (Some(base_ink), Some(mark_ink)) = (self.ink_extent(base), self.ink_extent(mark)) else {
            return (id, None);
        };
        // Combining marks are designed to sit over a lowercase letter; over a capital or over another mark
        // they would collide, so raise them until they clear the base by `mark_gap`.
        let lift = if tone == DOT_BELOW { 0.0 } else { (base_ink.0 + self.mark_gap - mark_ink.1).max(0.0).ceil() };
        (base, Some((mark, lift as i32)))
    }

    /// Exact (top, bottom) of a glyph's outline in dots above the baseline.
    fn ink_extent(&self, id: GlyphId) -> Option<(f32, f32)> {
        let bounds = self.font.outline(id)?.bounds;
        let per_unit = self.font.as_scaled(self.scale).v_scale_factor();
        // ab_glyph stores the font-unit y range as min.y = top, max.y = bottom; don't depend on that.
        Some((bounds.min.y.max(bounds.max.y) * per_unit, bounds.min.y.min(bounds.max.y) * per_unit))
    }
}

/// Splits a toned Vietnamese vowel into its base vowel and combining tone mark.
fn split_tone(c: char) -> Option<(char, char)> {
    TONED_VOWELS.iter().find_map(|&(base, toned)| toned.chars().position(|t| t == c).map(|i| (base, TONE_MARKS[i])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|s| s.to_string()).collect()
    }

    fn raster(text: &[&str]) -> (usize, usize, Vec<bool>) {
        decode_raster(&receipt(&lines(text), &Options::default())).expect("receipt output decodes")
    }

    fn line_height() -> usize {
        faces().normal.height
    }

    /// Rows (top, bottom inclusive) that carry ink within `x_range`, if any.
    fn ink_rows(bits: &[bool], width: usize, x_range: std::ops::Range<usize>) -> Option<(usize, usize)> {
        let rows: Vec<usize> =
            (0..bits.len() / width).filter(|&y| x_range.clone().any(|x| bits[y * width + x])).collect();
        Some((*rows.first()?, *rows.last()?))
    }

    /// Heights of the GS v 0 commands, walking the stream the way the printer does.
    fn band_heights(bytes: &[u8]) -> Vec<usize> {
        let mut heights = Vec::new();
        let mut i = 2; // after ESC @
        while bytes[i..].starts_with(&[GS, b'v', b'0']) {
            let (w, h) = (
                bytes[i + 4] as usize | (bytes[i + 5] as usize) << 8,
                bytes[i + 6] as usize | (bytes[i + 7] as usize) << 8,
            );
            heights.push(h);
            i += 8 + w * h;
        }
        heights
    }

    #[test]
    fn starts_with_init_and_cuts_only_when_asked() {
        let text = lines(&["Cảm ơn quý khách"]);
        let cut = receipt(&text, &Options { cut: true, open_drawer: false });
        assert!(cut.starts_with(&[ESC, b'@']));
        assert!(cut.ends_with(&[GS, b'V', 66, 0]));

        let no_cut = receipt(&text, &Options { cut: false, open_drawer: false });
        assert!(no_cut.starts_with(&[ESC, b'@']));
        assert!(no_cut.ends_with(&[ESC, b'd', FEED_LINES]), "without a cut the receipt ends with the feed");
        assert!(!no_cut.windows(2).any(|w| w == [GS, b'V']));
    }

    #[test]
    fn drawer_kick_only_when_asked() {
        let text = lines(&["Tổng cộng"]);
        let kick = [ESC, b'p', 0, 25, 250];
        let with = receipt(&text, &Options { cut: true, open_drawer: true });
        let without = receipt(&text, &Options { cut: true, open_drawer: false });
        assert!(with.windows(kick.len()).any(|w| w == kick));
        assert!(!without.windows(kick.len()).any(|w| w == kick));
        assert!(with.ends_with(&[ESC, b'p', 0, 25, 250, GS, b'V', 66, 0]), "drawer opens before the cut");
    }

    #[test]
    fn raster_is_full_width_and_one_line_height_per_line() {
        let (w, h, bits) = raster(&["Nước mắm Phan Thiết 500ml            95.000 ₫", "", "Hà Nội"]);
        assert_eq!(w, DOTS);
        assert_eq!(h, 3 * line_height());
        assert_eq!(bits.len(), w * h);
        assert!((24..=30).contains(&line_height()), "line height {} is off", line_height());
    }

    #[test]
    fn blank_lines_have_no_ink() {
        let lh = line_height();
        let (w, _, bits) = raster(&["", "Đặc sản ỔI ĐÔNG DƯ", "", "        "]);
        let blank = |line: usize| bits[line * lh * w..(line + 1) * lh * w].iter().all(|&b| !b);
        assert!(blank(0) && blank(2) && blank(3));
        assert!(!blank(1));
    }

    #[test]
    fn diacritics_matter_and_output_is_deterministic() {
        let opts = Options { cut: true, open_drawer: false };
        let accented = receipt(&lines(&["Hà Nội"]), &opts);
        let plain = receipt(&lines(&["Ha Noi"]), &opts);
        assert_ne!(decode_raster(&accented).unwrap().2, decode_raster(&plain).unwrap().2);
        assert_eq!(accented, receipt(&lines(&["Hà Nội"]), &opts));
    }

    #[test]
    fn stacked_marks_are_above_the_letter_complete_and_inside_their_line() {
        let lh = line_height();
        let pairs = [
            ("E", "Ế"),
            ("e", "ế"),
            ("O", "Ỗ"),
            ("o", "ỗ"),
            ("A", "Ẩ"),
            ("a", "ẳ"),
            ("A", "Ằ"),
            ("O", "Ở"),
            ("U", "Ử"),
        ];
        for (plain, marked) in pairs {
            // A blank line above: any mark escaping its band would show up there.
            let (w, _, bits) = raster(&["", plain, marked]);
            assert!(bits[..lh * w].iter().all(|&b| !b), "{marked} bleeds into the previous line");
            let plain_top = ink_rows(&bits[lh * w..2 * lh * w], w, 0..12).unwrap().0;
            let marked_band = &bits[2 * lh * w..];
            let marked_top = ink_rows(marked_band, w, 0..12).unwrap().0;
            assert!(marked_top < plain_top, "{marked} has no ink above {plain}");

            // Nothing lost to clipping: the band holds every dot the glyph would draw on an unbounded canvas.
            let mut unclipped = 0;
            faces().normal.draw_char(marked.chars().next().unwrap(), 0, 100, &mut |_, _| unclipped += 1);
            assert_eq!(marked_band.iter().filter(|&&b| b).count(), unclipped, "{marked} is clipped");
        }
    }

    #[test]
    fn double_size_lines_are_twice_as_big_and_not_clipped() {
        let lh = line_height();
        let (w, h, bits) = raster(&["\u{1}TỔNG CỘNG:  1.255.000 ₫XXXX"]);
        assert_eq!(h, 2 * lh);
        let ink: usize = bits.iter().filter(|&&b| b).count();
        let mut unclipped = 0;
        for (col, c) in "TỔNG CỘNG:  1.255.000 ₫X".chars().enumerate() {
            faces().double.draw_char(c, col as i32 * 24, 1000, &mut |_, _| unclipped += 1);
        }
        assert_eq!(ink, unclipped, "a double-size glyph is clipped");
        // 24 columns: the 24th character (the first X) is drawn, the rest are dropped.
        assert!(ink_rows(&bits, w, DOTS - 24..DOTS).is_some());
        let (_, _, exact) = raster(&["\u{1}TỔNG CỘNG:  1.255.000 ₫X"]);
        assert_eq!(bits, exact);
    }

    #[test]
    fn bands_never_exceed_255_rows() {
        let many = vec!["Cà phê Buôn Ma Thuột 250g           120.000 ₫".to_string(); 40];
        let bytes = receipt(&many, &Options::default());
        let heights = band_heights(&bytes);
        assert!(heights.len() > 1);
        assert!(heights.iter().all(|&h| (1..=MAX_BAND_ROWS).contains(&h)));
        assert_eq!(heights.iter().sum::<usize>(), 40 * line_height());
    }

    #[test]
    fn a_full_48_column_line_fits_and_extra_characters_are_dropped() {
        let full = format!("{}₫", "Ố".repeat(47));
        let (w, _, bits) = raster(&[&full]);
        assert_eq!(w, DOTS, "nothing can be drawn past 576 dots");
        assert!(ink_rows(&bits, w, DOTS - 12..DOTS).is_some(), "last column has no ink");
        let (_, _, longer) = raster(&[&format!("{full}XYZ đồng")]);
        assert_eq!(bits, longer);
    }

    #[test]
    fn decode_rejects_what_it_does_not_understand() {
        assert!(decode_raster(&[ESC, b'@', 0x42]).is_err());
        assert!(decode_raster(&[GS, b'v', b'0', 0, 72, 0, 2, 0, 0xFF]).is_err(), "truncated band");
        assert_eq!(decode_raster(&[ESC, b'@']).unwrap(), (0, 0, vec![]));
    }

    /// Writes `$TMPDIR/ocop-receipt-preview.png` for a person to look at; also prints the output size.
    #[test]
    fn preview_png() {
        fn row(columns: usize, left: &str, right: &str) -> String {
            let pad = columns - left.chars().count() - right.chars().count();
            format!("{left}{}{right}", " ".repeat(pad))
        }
        let rule = "-".repeat(COLUMNS);
        let text = vec![
            "\u{1}  CỬA HÀNG OCOP VIỆT".to_string(),
            "     Số 18 Phố Huế, Q. Hai Bà Trưng, Hà Nội".to_string(),
            row(COLUMNS, "ĐT: 024 3822 1234", "MST: 0109876543"),
            rule.clone(),
            row(COLUMNS, "HÓA ĐƠN BÁN LẺ", "Số: HĐ-000123"),
            row(COLUMNS, "Ngày 15/06/2025 14:32", "Thu ngân: Nguyễn Thị Ấu"),
            rule.clone(),
            row(COLUMNS, "Nước mắm Phan Thiết 500ml", "95.000 ₫"),
            row(COLUMNS, "Cà phê Buôn Ma Thuột 250g", "120.000 ₫"),
            row(COLUMNS, "Mật ong rừng U Minh 300ml  x2", "360.000 ₫"),
            row(COLUMNS, "Trà Shan tuyết cổ thụ Hà Giang", "150.000 ₫"),
            row(COLUMNS, "Bánh pía sầu riêng Sóc Trăng", "65.000 ₫"),
            row(COLUMNS, "Kẹo dừa Bến Tre (hộp 500g)", "45.000 ₫"),
            row(COLUMNS, "Tỏi cô đơn Lý Sơn – ĐẶC SẢN", "90.000 ₫"),
            row(COLUMNS, "Hạt điều rang muối Bình Phước", "330.000 ₫"),
            rule,
            format!("\u{1}{}", row(24, "TỔNG CỘNG", "1.255.000 ₫")),
            row(COLUMNS, "Tiền khách đưa / Tiền thừa", "1.300.000 / 45.000 ₫"),
            "ẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰỶỸ ỷỹ ỉ Ỉ ẻ Ẻ".to_string(),
            "Cảm ơn quý khách! Hẹn gặp lại – ấầẩẫậắằẳẵặếềểễệ".to_string(),
        ];
        assert_eq!(text.len(), 20);
        let bytes = receipt(&text, &Options { cut: true, open_drawer: true });
        let (w, h, bits) = decode_raster(&bytes).unwrap();
        eprintln!("20-line receipt: {} bytes, raster {w}x{h}, line height {}", bytes.len(), line_height());

        let image = image::GrayImage::from_fn(w as u32, h as u32, |x, y| {
            image::Luma([if bits[y as usize * w + x as usize] { 0 } else { 255 }])
        });
        let path = std::env::temp_dir().join("ocop-receipt-preview.png");
        image.save(&path).expect("preview is writable");
    }
}
