//! Exports of the programme dashboard for the office: each table as CSV (UTF-8 with a byte-order
//! mark, so spreadsheets read the Vietnamese right) or XLSX, and the whole report as one workbook
//! with a sheet per table; and a producer's settlement statement the same ways. The numbers are the
//! pages': both come from `domain::report`.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::participation::Period;
use domain::report::{Cell, Table};
use serde::Deserialize;

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/dashboard/export/{file}", get(export))
        .route("/portal/sales/export/{file}", get(own_statement))
        .route("/office/producers/{producer}/statement/export/{file}", get(office_statement))
        .route("/office/withholding/export/{file}", get(declaration))
}

/// The signed-in account, when it is the office's; refused otherwise.
async fn office(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let (account, _) = crate::portal::signed_in(state, headers).await?;
    if account.role != domain::account::Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PeriodQuery {
    period: String,
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    office(&state, &headers).await?;
    let period = period(&state, &q)?;
    let p = store::dashboard::participation(&state.store.db, period).await?;
    let (targets, counts) = store::dashboard::targets(&state.store.db, &p, state.store.today()).await?;
    send(domain::report::tables(&p, &targets, &counts), &file, "report", "ocop", &period)
}

/// A producer member's own statement; the producer comes from the session, never from the request.
async fn own_statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let (account, _) = crate::portal::signed_in(&state, &headers).await?;
    let Some(producer) = account.producer_id.filter(|_| account.role == domain::account::Role::Producer) else {
        return Err(AppError::Forbidden);
    };
    statement(&state, producer, &file, &q).await
}

async fn office_statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((producer, file)): Path<(i64, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    office(&state, &headers).await?;
    statement(&state, producer, &file, &q).await
}

async fn statement(state: &AppState, producer: i64, file: &str, q: &PeriodQuery) -> Result<Response, AppError> {
    if store::settlement::producer_name(&state.store.db, producer).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let period = period(state, q)?;
    let s =
        store::settlement::statement(&state.store.db, producer, period, state.store.commerce.commission_bps).await?;
    send(domain::report::statement_tables(&s), file, "all", &format!("ocop-settlement-{producer}"), &period)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MonthQuery {
    month: String,
}

/// The month's withholding declaration, `withholding.csv` or `withholding.xlsx`.
async fn declaration(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, AppError> {
    office(&state, &headers).await?;
    let month = if q.month.trim().is_empty() {
        domain::tax::Period::of(state.store.today())
    } else {
        domain::tax::Period::parse(&q.month).ok_or(AppError::BadForm(
            "month",
            "Tháng phải có dạng 2026-12.",
            "A month is written 2026-12.",
        ))?
    };
    let d = store::tax::declaration(&state.store.db, month).await?;
    let (first, last) = month.days();
    send(vec![d.table()], &file, "withholding", "ocop-khau-tru-thue", &Period { from: first, to: last })
}

fn period(state: &AppState, q: &PeriodQuery) -> Result<Period, AppError> {
    Period::chosen(&q.period, state.store.today()).map_err(|_| {
        AppError::BadForm(
            "period",
            "Kỳ phải là 2026, 2026-H1, 2026-H2 hoặc 2026-01-01..2026-03-31.",
            "A period is 2026, 2026-H1, 2026-H2 or 2026-01-01..2026-03-31.",
        )
    })
}

/// `file` is `{table}.csv`, `{table}.xlsx` or `{all}.xlsx` (every table, a sheet each).
fn send(all: Vec<Table>, file: &str, all_name: &str, prefix: &str, period: &Period) -> Result<Response, AppError> {
    let Some((name, ext)) = file.rsplit_once('.') else { return Err(AppError::NotFound) };
    let chosen: Vec<&Table> =
        if name == all_name { all.iter().collect() } else { all.iter().filter(|t| t.id == name).collect() };
    if chosen.is_empty() {
        return Err(AppError::NotFound);
    }
    let stem = format!("{prefix}-{name}-{}", period.code().replace("..", "_"));
    let (body, kind) = match (ext, chosen.as_slice()) {
        ("csv", [one]) => (csv(one)?, "text/csv; charset=utf-8"),
        ("xlsx", tables) => (xlsx(tables)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.{ext}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

pub(crate) fn csv(t: &Table) -> Result<Vec<u8>, AppError> {
    Ok(store::export::csv_file(&t.headers, t.rows.iter().map(|row| row.iter().map(|c| c.as_text())))?)
}

pub(crate) fn xlsx(tables: &[&Table]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let failed = |e: rust_xlsxwriter::XlsxError| AppError::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.id).map_err(failed)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(failed)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ()),
                    Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Percent(p) => sheet.write_number_with_format(r, c, *p, &percent).map(|_| ()),
                }
                .map_err(failed)?;
            }
        }
        sheet.autofit();
    }
    book.save_to_buffer().map_err(failed)
}
