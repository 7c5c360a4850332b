//! CSV files people open in spreadsheets: UTF-8 with a byte-order mark (so Vietnamese reads right),
//! and every cell through `domain::spreadsheet::defuse`, so nothing typed by a person can become a
//! formula. Every CSV the marketplace hands out is written here.

use crate::StoreError;

pub fn csv_file<Row, Cell>(headers: &[&str], rows: impl IntoIterator<Item = Row>) -> Result<Vec<u8>, StoreError>
where
    Row: IntoIterator<Item = Cell>,
    Cell: AsRef<str>,
{
    let failed = |e: csv::Error| StoreError::Io(std::io::Error::other(e.to_string()));
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(headers).map_err(failed)?;
    for row in rows {
        let cells: Vec<String> =
            row.into_iter().map(|c| domain::spreadsheet::defuse(c.as_ref()).into_owned()).collect();
        w.write_record(&cells).map_err(failed)?;
    }
    w.into_inner().map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
}
