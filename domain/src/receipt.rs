//! A showroom receipt laid out for an 80 mm roll: 48 columns of Font A. The same lines feed the
//! printable HTML and the thermal printer, so both say the same thing. Vietnamese first, English
//! second; diacritics are kept (text is counted in characters after NFC composition).

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::money::Vnd;

/// Columns of Font A (12 dots) across the 576 printable dots of an 80 mm roll.
pub const WIDTH_80MM: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub name: String,
    pub qty: i32,
    pub unit_price: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayment {
    /// `cash` or `vietqr`.
    pub method: String,
    pub amount: i64,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub shop: String,
    pub showroom: String,
    pub address: String,
    pub receipt_no: String,
    /// Already in Vietnam time, as it should be printed (dd/mm/yyyy HH:MM).
    pub when: String,
    pub staff: String,
    pub lines: Vec<ReceiptLine>,
    pub discount: i64,
    pub payments: Vec<ReceiptPayment>,
    /// Cash handed over, when more than the cash part (change is given back).
    pub tendered: Option<i64>,
    pub refund: bool,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn center(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w { s.to_string() } else { format!("{}{s}", " ".repeat((w - n) / 2)) }
}

/// `left` and `right` on one line, `right` flush with the edge; `left` is cut short if it must be.
fn spread(left: &str, right: &str, w: usize) -> String {
    let room = w.saturating_sub(width(right) + 1);
    let left: String = left.chars().take(room).collect();
    format!("{left}{}{right}", " ".repeat(w - width(&left) - width(right)))
}

/// Words onto lines of at most `w` columns; a word longer than a line is cut.
fn wrap(s: &str, w: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let word: String = word.chars().take(w).collect();
        if !line.is_empty() && width(&line) + 1 + width(&word) > w {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

impl Receipt {
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(|l| l.unit_price * l.qty as i64).sum()
    }

    pub fn total(&self) -> i64 {
        self.subtotal() - self.discount
    }

    pub fn change(&self) -> Option<i64> {
        let cash: i64 = self.payments.iter().filter(|p| p.method == "cash").map(|p| p.amount).sum();
        self.tendered.filter(|t| *t > cash).map(|t| t - cash)
    }

    /// The receipt as lines of at most `w` columns.
    pub fn layout(&self, w: usize) -> Vec<String> {
        let money = |v: i64| Vnd(v).to_string();
        let rule = "-".repeat(w);
        let mut out =
            vec![center(&self.shop.nfc().collect::<String>(), w), center(&self.showroom.nfc().collect::<String>(), w)];
        out.extend(wrap(&self.address.nfc().collect::<String>(), w).iter().map(|l| center(l, w)));
        out.push(String::new());
        let title = if self.refund { "PHIẾU HOÀN TIỀN / REFUND" } else { "HOÁ ĐƠN BÁN LẺ / RECEIPT" };
        out.push(center(title, w));
        out.push(spread("Số / No.", &self.receipt_no, w));
        out.push(spread("Ngày / Date", &self.when, w));
        out.push(spread("Nhân viên / Staff", &self.staff.nfc().collect::<String>(), w));
        out.push(rule.clone());
        for l in &self.lines {
            out.extend(wrap(&l.name.nfc().collect::<String>(), w));
            let each = format!("  {} x {}", l.qty, money(l.unit_price));
            out.push(spread(&each, &money(l.unit_price * l.qty as i64), w));
        }
        out.push(rule.clone());
        out.push(spread("Tạm tính / Subtotal", &money(self.subtotal()), w));
        if self.discount > 0 {
            out.push(spread("Giảm giá / Discount", &format!("-{}", money(self.discount)), w));
        }
        out.push(spread("TỔNG CỘNG / TOTAL", &money(self.total()), w));
        for p in &self.payments {
            let label = match (p.method.as_str(), p.confirmed) {
                ("cash", _) => "Tiền mặt / Cash",
                (_, true) => "Chuyển khoản VietQR / Transfer",
                (_, false) => "VietQR (chưa xác nhận / unconfirmed)",
            };
            out.push(spread(label, &money(p.amount), w));
        }
        if let (Some(t), Some(c)) = (self.tendered, self.change()) {
            out.push(spread("Khách đưa / Tendered", &money(t), w));
            out.push(spread("Tiền thối / Change", &money(c), w));
        }
        out.push(rule);
        out.push(center("Cảm ơn quý khách! / Thank you!", w));
        out.push(center("Sản phẩm OCOP Bình Thuận", w));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt() -> Receipt {
        Receipt {
            shop: "Chợ OCOP Bình Thuận".into(),
            showroom: "Điểm bán Mũi Né".into(),
            address: "Đường Nguyễn Đình Chiểu, phường Mũi Né, tỉnh Lâm Đồng".into(),
            receipt_no: "MN1-000123".into(),
            when: "28/11/2026 10:15".into(),
            staff: "Nguyễn Thị Hoà".into(),
            lines: vec![
                ReceiptLine {
                    name: "Nước mắm Cá Đen 40 độ đạm, chai thủy tinh 500 ml đặc biệt".into(),
                    qty: 2,
                    unit_price: 95_000,
                },
                ReceiptLine { name: "Thanh long ruột đỏ".into(), qty: 1, unit_price: 45_000 },
            ],
            discount: 10_000,
            payments: vec![
                ReceiptPayment { method: "cash".into(), amount: 145_000, confirmed: true },
                ReceiptPayment { method: "vietqr".into(), amount: 80_000, confirmed: false },
            ],
            tendered: Some(200_000),
            refund: false,
        }
    }

    #[test]
    fn every_line_fits_an_80mm_roll_with_amounts_flush_right() {
        let lines = receipt().layout(WIDTH_80MM);
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH_80MM), "{lines:#?}");
        let total = lines.iter().find(|l| l.starts_with("TỔNG CỘNG")).unwrap();
        assert!(total.ends_with("225.000 ₫") && total.chars().count() == WIDTH_80MM, "{total}");
        assert!(lines.iter().any(|l| l.starts_with("  2 x 95.000 ₫") && l.ends_with("190.000 ₫")));
        assert!(lines.iter().any(|l| l.ends_with("-10.000 ₫")));
        assert!(
            lines.iter().any(|l| l.starts_with("Tiền thối / Change") && l.ends_with("55.000 ₫")),
            "200.000 tendered for 145.000 cash"
        );
        assert!(lines.iter().any(|l| l.contains("chưa xác nhận")), "an offline VietQR payment says so");
    }

    #[test]
    fn long_names_wrap_at_words_and_keep_their_diacritics() {
        let lines = receipt().layout(WIDTH_80MM);
        let i = lines.iter().position(|l| l.starts_with("Nước mắm Cá Đen")).unwrap();
        assert_eq!(lines[i], "Nước mắm Cá Đen 40 độ đạm, chai thủy tinh 500 ml");
        assert_eq!(lines[i + 1], "đặc biệt");
        // Decomposed input (as some keyboards send it) is composed, so columns still count right.
        let mut r = receipt();
        r.staff = "Nguyễn Thị Hoà".nfd().collect();
        let staff = r.layout(WIDTH_80MM).into_iter().find(|l| l.starts_with("Nhân viên")).unwrap();
        assert_eq!(staff.chars().count(), WIDTH_80MM);
        assert!(staff.ends_with("Nguyễn Thị Hoà"));
    }
}
