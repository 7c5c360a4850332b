//! Cells of files opened in spreadsheets. A spreadsheet reads a cell starting with `=`, `+`, `-`,
//! `@` (or a tab or carriage return before one) as a formula: a product named
//! `=HYPERLINK("http://evil","Bấm")` would become a live link in the office's copy of an export.
//! Text typed by people is therefore written with a leading apostrophe, which spreadsheets take as
//! "this is text" and do not show; numbers stay numbers. Importing a file we exported takes the
//! apostrophe off again.

use std::borrow::Cow;

const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet opening a cell holding `cell` would evaluate it.
pub fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_START) && cell.parse::<f64>().is_err()
}

/// Whether `text` would run as a formula, or is such text already marked with apostrophes (a name
/// typed as `'=1` must come back as `'=1`, not `=1`).
fn formula_like(text: &str) -> bool {
    runs_as_formula(text.trim_start_matches('\''))
}

/// `text` as a cell that a spreadsheet shows as text, never evaluates.
pub fn defuse(text: &str) -> Cow<'_, str> {
    if formula_like(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// A cell read back from a file: the apostrophe `defuse` added is taken off.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
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
            assert!(runs_as_formula(f) && !runs_as_formula(&cell), "{f:?}");
            assert_eq!(restore(&cell), f, "round trip");
        }
        for typed in ["'=1", "''=SUM(A1)", "'-x"] {
            assert_eq!(restore(&defuse(typed)), typed, "a name that starts with an apostrophe survives");
        }
        for plain in ["Nước mắm Phan Thiết", "-15", "+84912345678", "150000", "'quoted' text", ""] {
            assert_eq!(defuse(plain), plain, "{plain:?} kept");
            assert_eq!(restore(plain), plain);
        }
    }
}
