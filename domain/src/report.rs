//! The dashboard's tables as plain rows, for the CSV and XLSX exports: the same numbers the page
//! shows, column headers in Vietnamese and English.

use serde::{Deserialize, Serialize};

use crate::participation::{Participation, Row};
use crate::settlement::{Statement, channel_label};
use crate::targets::{Counts, Target};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Int(i64),
    Percent(f64),
}

impl Cell {
    pub fn as_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Percent(p) => format!("{p:.1}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Used in file and sheet names (ASCII, at most 31 characters).
    pub id: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables an export can name.
pub const TABLES: [&str; 10] = [
    "summary",
    "by-channel",
    "by-kind",
    "by-stars",
    "by-group",
    "by-district",
    "by-commune",
    "not-yet",
    "targets",
    "showrooms",
];

fn breakdown(id: &'static str, rows: &[Row]) -> Table {
    Table {
        id,
        headers: vec!["Nhóm / Group", "Chủ thể OCOP / OCOP producers", "Đang bán / Selling", "% "],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.key.clone()),
                    Cell::Int(r.producers as i64),
                    Cell::Int(r.selling as i64),
                    Cell::Percent(r.percent()),
                ]
            })
            .collect(),
    }
}

pub fn tables(p: &Participation, targets: &[Target], counts: &Counts) -> Vec<Table> {
    let (vi, en) = p.period.label();
    vec![
        Table {
            id: "summary",
            headers: vec![
                "Kỳ / Period",
                "Chủ thể OCOP / OCOP producers",
                "Đang bán / Selling",
                "%",
                "Đo được / Measured",
                "Chỉ kênh tự khai / Reported only",
                "Chờ xác minh / Awaiting verification",
                "Mục tiêu / Target %",
                "Đạt / Met",
            ],
            rows: vec![vec![
                Cell::Text(format!("{vi} / {en}")),
                Cell::Int(p.producers as i64),
                Cell::Int(p.selling as i64),
                Cell::Percent(p.percent()),
                Cell::Int(p.measured as i64),
                Cell::Int(p.reported_only as i64),
                Cell::Int(p.awaiting_verification as i64),
                Cell::Int(crate::participation::TARGET_PERCENT),
                Cell::Text(if p.target_met() { "có / yes" } else { "chưa / no" }.into()),
            ]],
        },
        breakdown("by-channel", &p.by_channel),
        breakdown("by-kind", &p.by_kind),
        breakdown("by-stars", &p.by_stars),
        breakdown("by-group", &p.by_group),
        breakdown("by-district", &p.by_district),
        breakdown("by-commune", &p.by_commune),
        Table {
            id: "not-yet",
            headers: vec!["Chủ thể / Producer", "Loại / Kind", "Huyện / District", "Xã / Commune"],
            rows: p
                .not_yet
                .iter()
                .map(|x| {
                    vec![
                        Cell::Text(x.name.clone()),
                        Cell::Text(x.kind.clone().unwrap_or_default()),
                        Cell::Text(x.district.clone().unwrap_or_default()),
                        Cell::Text(x.commune.clone().unwrap_or_default()),
                    ]
                })
                .collect(),
        },
        Table {
            id: "targets",
            headers: vec!["Chỉ tiêu", "Figure", "Kết quả / Value", "Mục tiêu", "Target", "Đạt / Met"],
            rows: targets
                .iter()
                .map(|t| {
                    vec![
                        Cell::Text(t.name_vi.clone()),
                        Cell::Text(t.name_en.clone()),
                        Cell::Text(t.value.clone()),
                        Cell::Text(t.target_vi.clone()),
                        Cell::Text(t.target_en.clone()),
                        Cell::Text(
                            match t.met {
                                Some(true) => "có / yes",
                                Some(false) => "chưa / no",
                                None => "—",
                            }
                            .into(),
                        ),
                    ]
                })
                .collect(),
        },
        Table {
            id: "showrooms",
            headers: vec!["Mã / Code", "Điểm bán / Showroom", "Lần bán / Sales", "Giá trị (đồng) / Value (VND)"],
            rows: std::iter::once(vec![
                Cell::Text("ONLINE".into()),
                Cell::Text("Cửa hàng trực tuyến / Online store".into()),
                Cell::Int(counts.online.orders),
                Cell::Int(counts.online.value),
            ])
            .chain(counts.showrooms.iter().map(|s| {
                vec![Cell::Text(s.code.clone()), Cell::Text(s.name.clone()), Cell::Int(s.sales), Cell::Int(s.value)]
            }))
            .collect(),
        },
    ]
}

/// The settlement statement's tables an export can name.
pub const STATEMENT_TABLES: [&str; 2] = ["statement", "by-month"];

fn both((vi, en): (String, String)) -> String {
    format!("{vi} / {en}")
}

/// A producer's settlement statement as the page shows it: a row per channel and the total, then
/// net sales per month and channel.
pub fn statement_tables(s: &Statement) -> Vec<Table> {
    let amounts = |label: String, a: &crate::settlement::Amounts| {
        vec![
            Cell::Text(label),
            Cell::Int(a.units),
            Cell::Int(a.sales),
            Cell::Int(a.refunds),
            Cell::Int(a.net),
            Cell::Int(a.commission),
            Cell::Int(a.due),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = s.by_channel.iter().map(|(c, a)| amounts(both(channel_label(c)), a)).collect();
    rows.push(amounts("Tổng cộng / Total".into(), &s.total));
    vec![
        Table {
            id: "statement",
            headers: vec![
                "Kênh / Channel",
                "Số lượng / Units",
                "Doanh số (đ) / Sales (VND)",
                "Hoàn trả (đ) / Refunds (VND)",
                "Doanh số thuần (đ) / Net sales (VND)",
                "Hoa hồng (đ) / Commission (VND)",
                "Phải trả (đ) / Amount due (VND)",
            ],
            rows,
        },
        Table {
            id: "by-month",
            headers: vec!["Tháng / Month", "Kênh / Channel", "Doanh số thuần (đ) / Net sales (VND)"],
            rows: s
                .by_month
                .iter()
                .map(|(m, c, v)| vec![Cell::Text(m.clone()), Cell::Text(both(channel_label(c))), Cell::Int(*v)])
                .collect(),
        },
    ]
}
