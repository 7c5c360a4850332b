//! What a cart shows: lines priced now, with the stock that could fill them.

use serde::{Deserialize, Serialize};

/// More than this of one thing is a wholesale order, not a cart; the cap also keeps a typo
/// ("1000" for "10") from reserving a producer's whole stock.
pub const MAX_LINE_QTY: i32 = 99;
/// Distinct lines per cart.
pub const MAX_LINES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Variant,
    Combo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// The cart item's id: what the quantity form posts.
    pub item_id: i64,
    pub kind: LineKind,
    /// Product or combo page this line links to.
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub size_vi: String,
    pub size_en: String,
    pub producer: Option<String>,
    pub unit_price: i64,
    pub quantity: i32,
    /// What the online warehouse can sell now (for a combo: how many it can make).
    pub available: i64,
    /// False when the product or combo was withdrawn since it was added.
    pub listed: bool,
    /// A batch of it (or of a combo's part) under an open recall: what is short is short because
    /// the recalled units were set aside.
    #[serde(default)]
    pub recalled: Option<String>,
}

impl CartLine {
    pub fn line_total(&self) -> i64 {
        self.unit_price * self.quantity as i64
    }

    /// Why this line cannot be bought as it stands, if it cannot.
    pub fn problem(&self) -> Option<StockProblem> {
        if !self.listed {
            Some(StockProblem::Withdrawn)
        } else if self.recalled.is_some() && self.quantity as i64 > self.available {
            Some(StockProblem::Recalled)
        } else if self.available <= 0 {
            Some(StockProblem::SoldOut)
        } else if self.quantity as i64 > self.available {
            Some(StockProblem::OnlyLeft(self.available))
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockProblem {
    SoldOut,
    OnlyLeft(i64),
    Withdrawn,
    Recalled,
}

impl StockProblem {
    pub fn message(self) -> (String, String) {
        match self {
            StockProblem::SoldOut => ("Đã hết hàng.".into(), "Sold out.".into()),
            StockProblem::OnlyLeft(n) => (format!("Chỉ còn {n}."), format!("Only {n} left.")),
            StockProblem::Withdrawn => ("Sản phẩm không còn bán.".into(), "No longer sold.".into()),
            StockProblem::Recalled => (
                "Lô hàng của sản phẩm này đang bị thu hồi: tạm ngừng bán.".into(),
                "A batch of this product is being recalled: not sold for now.".into(),
            ),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
}

impl CartView {
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(CartLine::line_total).sum()
    }

    pub fn count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity as i64).sum()
    }

    pub fn has_problems(&self) -> bool {
        self.lines.iter().any(|l| l.problem().is_some())
    }
}

/// Reads a quantity as typed in a form: whole numbers 0..=MAX_LINE_QTY (0 removes the line).
pub fn parse_quantity(raw: &str) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|q| (0..=MAX_LINE_QTY).contains(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i32, available: i64) -> CartLine {
        CartLine {
            item_id: 1,
            kind: LineKind::Variant,
            slug: "x".into(),
            name_vi: "Nước mắm".into(),
            name_en: "Fish sauce".into(),
            size_vi: "500 ml".into(),
            size_en: "500 ml".into(),
            producer: None,
            unit_price: 85_000,
            quantity,
            available,
            listed: true,
            recalled: None,
        }
    }

    #[test]
    fn lines_say_what_stops_them() {
        assert_eq!(line(2, 5).problem(), None);
        assert_eq!(line(6, 5).problem(), Some(StockProblem::OnlyLeft(5)));
        assert_eq!(line(1, 0).problem(), Some(StockProblem::SoldOut));
        let cart = CartView { lines: vec![line(2, 5), line(1, 1)] };
        assert_eq!(cart.subtotal(), 255_000);
        assert_eq!(cart.count(), 3);
        assert!(!cart.has_problems());
    }

    #[test]
    fn quantities_are_small_whole_numbers() {
        assert_eq!(parse_quantity(" 3 "), Some(3));
        assert_eq!(parse_quantity("0"), Some(0));
        assert_eq!(parse_quantity("100"), None);
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("2.5"), None);
    }
}
