//! The monthly withholding declaration: one row per producer the marketplace withheld for in the
//! month (tax code, revenue by kind, returns offset, VAT, PIT) and the month's totals, the figures
//! of each producer's settlement statement for that month.

use serde::{Deserialize, Serialize};

use super::withholding::{Period, PeriodTotals, TaxKind, TaxStatus};
use crate::report::{Cell, Table};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationRow {
    pub producer_id: i64,
    pub name: String,
    pub tax_code: Option<String>,
    pub status: TaxStatus,
    pub totals: PeriodTotals,
}

/// A month's declaration, and the month's online revenue the marketplace did not withhold on
/// (producers that declare their own), so the two add up to all online sales of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub period: Period,
    pub rows: Vec<DeclarationRow>,
    pub not_withheld: i64,
}

impl Declaration {
    pub fn total(&self) -> PeriodTotals {
        let mut t = PeriodTotals { not_withheld: self.not_withheld, ..Default::default() };
        for r in &self.rows {
            for (k, v) in &r.totals.by_kind {
                let a = t.by_kind.entry(*k).or_default();
                a.gross += v.gross;
                a.returned += v.returned;
                a.vat += v.vat;
                a.pit += v.pit;
            }
        }
        t
    }

    /// Online revenue of the month net of the returns offset in it, withheld or not.
    pub fn net_online(&self) -> i64 {
        let t = self.total();
        t.gross() - t.returned() + t.not_withheld
    }

    /// The table the office files: a row per producer and a total row.
    pub fn table(&self) -> Table {
        let kind = |t: &PeriodTotals, k: TaxKind| Cell::Int(t.by_kind.get(&k).map_or(0, |v| v.gross));
        let line = |no: Cell, code: String, name: String, status: String, t: &PeriodTotals| {
            vec![
                no,
                Cell::Text(code),
                Cell::Text(name),
                Cell::Text(status),
                kind(t, TaxKind::Goods),
                kind(t, TaxKind::Service),
                kind(t, TaxKind::Transport),
                kind(t, TaxKind::Unknown),
                Cell::Int(t.returned()),
                Cell::Int(t.gross() - t.returned()),
                Cell::Int(t.vat()),
                Cell::Int(t.pit()),
            ]
        };
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (vi, _) = r.status.label();
                line(
                    Cell::Int(i as i64 + 1),
                    r.tax_code.clone().unwrap_or_default(),
                    r.name.clone(),
                    vi.into(),
                    &r.totals,
                )
            })
            .collect();
        let mut total = self.total();
        total.not_withheld = 0;
        rows.push(line(
            Cell::Text(String::new()),
            String::new(),
            format!("Tổng cộng tháng {} / Total", self.period.label()),
            String::new(),
            &total,
        ));
        Table {
            id: "withholding",
            headers: vec![
                "STT / No.",
                "Mã số thuế / Tax code",
                "Chủ thể / Seller",
                "Loại người nộp thuế / Taxpayer",
                "Doanh thu hàng hoá / Goods revenue",
                "Doanh thu dịch vụ / Services revenue",
                "Doanh thu vận tải / Transport revenue",
                "Doanh thu chưa rõ loại / Kind not told",
                "Hoàn trả bù trừ / Returns offset",
                "Doanh thu tính thuế / Taxable revenue",
                "Thuế GTGT / VAT",
                "Thuế TNCN / PIT",
            ],
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::withholding::KindTotals;

    #[test]
    fn the_table_has_a_row_per_seller_and_totals_that_add_up() {
        let t = |gross, returned, vat, pit| {
            let mut p = PeriodTotals::default();
            p.by_kind.insert(TaxKind::Goods, KindTotals { gross, returned, vat, pit });
            p
        };
        let mut service = t(100_000, 0, 1_000, 500);
        service.by_kind.insert(TaxKind::Service, KindTotals { gross: 200_000, returned: 0, vat: 10_000, pit: 4_000 });
        let d = Declaration {
            period: Period { year: 2026, month: 12 },
            rows: vec![
                DeclarationRow {
                    producer_id: 1,
                    name: "HKD A".into(),
                    tax_code: Some("3400123456".into()),
                    status: TaxStatus::Household,
                    totals: t(300_000, 100_000, 2_000, 1_000),
                },
                DeclarationRow {
                    producer_id: 2,
                    name: "THT B".into(),
                    tax_code: None,
                    status: TaxStatus::CooperativeGroup,
                    totals: service,
                },
            ],
            not_withheld: 50_000,
        };
        let table = d.table();
        assert_eq!(table.rows.len(), 3);
        let last = table.rows.last().unwrap();
        assert_eq!(last[4].as_text(), "400000", "goods of both");
        assert_eq!(last[5].as_text(), "200000");
        assert_eq!(last[8].as_text(), "100000", "the return");
        assert_eq!(last[9].as_text(), "500000");
        assert_eq!(last[10].as_text(), "13000");
        assert_eq!(last[11].as_text(), "5500");
        assert_eq!(d.net_online(), 550_000, "withheld net plus what was not withheld");
        assert_eq!(table.rows[0][1].as_text(), "3400123456");
    }
}
