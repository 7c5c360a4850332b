//! Bank statement import: each credit line is matched to an order by the number in its description
//! and applied as a payment keyed by the bank's reference, so importing a file twice (or two
//! overlapping exports) records each transfer once. A file with an unreadable row is refused whole.

use domain::order::{PaymentMethod, find_order_number};
use serde::{Deserialize, Serialize};

use crate::payments::{Outcome, PaymentIn};
use crate::{Store, StoreError};

pub use domain::portal::LineError as RowError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedRow {
    pub line: usize,
    pub reference: String,
    pub amount: i64,
    pub order_number: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    line: usize,
    reference: String,
    amount: i64,
    description: String,
}

fn row_err(line: usize, vi: impl Into<String>, en: impl Into<String>) -> RowError {
    RowError { line, message_vi: vi.into(), message_en: en.into() }
}

/// Which column is which, by header name in Vietnamese or English, with or without diacritics.
fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.as_str()))
}

/// Whole đồng as banks print them: "1.250.000", "1,250,000", "1250000" or "1250000.00".
fn parse_amount(raw: &str) -> Option<i64> {
    let s = raw.trim().trim_start_matches('+').replace(' ', "");
    let s = s.strip_suffix(".00").or_else(|| s.strip_suffix(",00")).unwrap_or(&s);
    let digits: String = s.chars().filter(|c| *c != '.' && *c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 15 {
        return None;
    }
    digits.parse().ok()
}

fn parse(csv_text: &str) -> Result<Vec<Line>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| domain::text::fold(h.trim_start_matches('\u{feff}'))).collect(),
        Err(_) => return Err(vec![row_err(1, "Không đọc được dòng tiêu đề.", "The header row could not be read.")]),
    };
    let amount_col = column(&headers, &["amount", "so tien", "so tien ghi co", "credit", "ghi co"]);
    let desc_col = column(&headers, &["description", "noi dung", "dien giai", "noi dung giao dich", "details"]);
    let ref_col =
        column(&headers, &["reference", "ref", "ma giao dich", "so tham chieu", "transaction id", "so but toan"]);
    let (Some(amount_col), Some(desc_col), Some(ref_col)) = (amount_col, desc_col, ref_col) else {
        return Err(vec![row_err(
            1,
            "Tệp cần các cột: Mã giao dịch, Số tiền, Nội dung.",
            "The file needs these columns: Reference, Amount, Description.",
        )]);
    };
    let (mut lines, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(record) = record else {
            errors.push(row_err(line, "Dòng không đọc được.", "The row could not be read."));
            continue;
        };
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let reference = record.get(ref_col).unwrap_or("").to_string();
        let amount = record.get(amount_col).and_then(parse_amount);
        match amount {
            _ if reference.is_empty() || reference.len() > 120 => {
                errors.push(row_err(line, "Thiếu mã giao dịch.", "The reference is missing."))
            }
            None => errors.push(row_err(
                line,
                "Số tiền không hợp lệ (chỉ nhận khoản ghi có, số nguyên đồng).",
                "Invalid amount (credits only, in whole đồng).",
            )),
            Some(0) => errors.push(row_err(line, "Số tiền bằng 0.", "The amount is zero.")),
            Some(amount) => lines.push(Line {
                line,
                reference,
                amount,
                description: record.get(desc_col).unwrap_or("").to_string(),
            }),
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// Reads the whole file first; applies nothing unless every row is readable.
pub async fn import(
    store: &Store,
    csv_text: &str,
    actor: &str,
) -> Result<Result<Vec<ImportedRow>, Vec<RowError>>, StoreError> {
    let lines = match parse(csv_text) {
        Ok(lines) => lines,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let order_number = find_order_number(&l.description);
        let outcome = crate::payments::record(
            store,
            PaymentIn {
                order_number: order_number.clone(),
                method: PaymentMethod::VietQr,
                source: "statement".into(),
                external_ref: format!("bank:{}", l.reference),
                amount: l.amount,
                detail: Some(l.description.chars().take(300).collect()),
                actor: actor.into(),
            },
        )
        .await?;
        out.push(ImportedRow { line: l.line, reference: l.reference, amount: l.amount, order_number, outcome });
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_banks_print_them() {
        assert_eq!(parse_amount("1.250.000"), Some(1_250_000));
        assert_eq!(parse_amount("1,250,000"), Some(1_250_000));
        assert_eq!(parse_amount("1250000.00"), Some(1_250_000));
        assert_eq!(parse_amount("-50.000"), None, "debits are not payments");
        assert_eq!(parse_amount("abc"), None);
    }

    #[test]
    fn vietnamese_headers_and_bad_rows() {
        let ok = parse("Mã giao dịch,Ngày,Số tiền,Nội dung\nFT1,28/11/2026,\"150.000\",OCOP2026000001\n").unwrap();
        assert_eq!(ok[0].amount, 150_000);
        let errs = parse("reference,amount,description\nFT1,150000,x\n,5,y\nFT3,-1,z\n").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
        assert!(parse("foo,bar\n1,2\n").is_err());
    }
}
