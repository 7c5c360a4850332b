//! Cells of files opened in spreadsheets. A spreadsheet reads a cell starting with `=`, `+`, `-`,
//! `@` (or a tab or carriage return before one) as a formula: a product named
//! `=HYPERLINK("http://evil","Bấm")` would become a live link in the office's copy of an export.
//! Text typed by people is therefore written with a leading apostrophe, which spreadsheets take as
//! "this is text" and do not show; numbers stay numbers. Importing a file we exported takes the
//! apostrophe off again.

use std::borrow::Cow;

const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell that a spreadsheet shows as text, never evaluates.
pub fn defuse(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) && text.parse::<f64>().is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell read back from a file: the apostrophe `defuse` added is taken off.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) && rest.parse::<f64>().is_err() => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_come_back_numbers_stay() {
        for f in ["=HYPERLINK(\"http://x\",\"a\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            let cell = defuse(f);
            assert!(cell.starts_with('\''), "{f:?}");
            assert_eq!(restore(&cell), f, "round trip");
        }
        for plain in ["Nước mắm Phan Thiết", "-15", "+84912345678", "150000", "'quoted' text", ""] {
            assert_eq!(defuse(plain), plain, "{plain:?} kept");
            assert_eq!(restore(plain), plain);
        }
    }
}
