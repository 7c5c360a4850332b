//! Opening a shift with its float, closing it with the drawer counted, and its report. A closing
//! says what is still open (a sale being rung up, entries not yet sent, transfers not yet confirmed),
//! and a sale being rung up never carries into the next shift unnoticed.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};

use super::{F, PosState, Res, amount, at_till, field, refused, render, who};
use crate::pages::{self, CashView, OpenCart, Screen};
use crate::{PosError, receipts, till};

const CLOSE: &str = "Đóng ca / Close the shift";

pub(super) async fn open_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    if till::open_shift(&s.db).await?.is_some() {
        return Ok(Redirect::to("/sell").into_response());
    }
    render(&s, Screen::Shift, "Mở ca / Open a shift", Some(&st), pages::open_shift(None)).await
}

pub(super) async fn open_shift(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    match amount(field(&f, "float")) {
        Ok(Some(float)) => {
            till::start_shift(&s.db, &st, float).await?;
            Ok(Redirect::to("/sell").into_response())
        }
        _ => {
            let msg = "Nhập số tiền đầu ca, ví dụ 1.000.000. / Type the float, e.g. 1.000.000.".to_string();
            refused(&s, Screen::Shift, "Mở ca / Open a shift", Some(&st), pages::open_shift(Some(msg))).await
        }
    }
}

async fn cash_view(s: &PosState, shift: &till::Shift) -> Result<CashView, PosError> {
    let sales = till::of_shift(&s.db, &shift.id).await?;
    let cash = till::cash_of(shift.float, &sales);
    let (unsynced, _) = till::unsynced(&s.db).await?;
    Ok(CashView {
        float: cash.float,
        cash_sales: cash.cash_sales,
        cash_refunds: cash.cash_refunds,
        transfers: cash.transfers,
        unconfirmed: cash.unconfirmed_transfers,
        expected: cash.expected_in_drawer(),
        sales: sales.iter().filter(|x| x.sale.kind == domain::sale::SaleKind::Sale).count(),
        refunds: sales.iter().filter(|x| x.sale.kind == domain::sale::SaleKind::Refund).count(),
        unsynced,
    })
}

async fn open_cart(s: &PosState) -> Result<Option<OpenCart>, PosError> {
    let cart = till::cart(&s.db).await?;
    Ok((!cart.lines.is_empty())
        .then(|| OpenCart { items: cart.lines.iter().map(|l| l.qty).sum(), total: cart.total() }))
}

pub(super) async fn close_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let st = staff_or_redirect!(s, headers);
    let shift = till::open_shift(&s.db).await?.ok_or(PosError::NotFound)?;
    let c = cash_view(&s, &shift).await?;
    render(&s, Screen::Shift, CLOSE, Some(&st), pages::close(c, open_cart(&s).await?, None)).await
}

pub(super) async fn close_shift(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let shift = till::open_shift(&s.db).await?.ok_or(PosError::NotFound)?;
    let mut notes = Vec::new();
    let mut err = None;
    for d in domain::shift::DENOMINATIONS {
        let raw = field(&f, &format!("n{d}"));
        match raw.parse::<u32>() {
            Ok(n) if n <= 100_000 => notes.push((d, n)),
            _ if raw.is_empty() => {}
            _ => {
                let note = pages::money(d);
                err = Some(format!("Số tờ {note} không hợp lệ. / The count of {note} notes is not valid."));
                break;
            }
        }
    }
    let cart = open_cart(&s).await?;
    if err.is_none() && cart.is_some() && field(&f, "discard_cart") != "1" {
        err = Some(
            "Còn đơn đang bán chưa thu tiền: thu tiền, huỷ đơn, hoặc đánh dấu “Huỷ đơn dở” rồi đóng ca. / A sale is still open: take payment, cancel it, or tick “Cancel the unfinished sale” to close."
                .into(),
        );
    }
    if let Some(e) = err {
        let c = cash_view(&s, &shift).await?;
        return refused(&s, Screen::Shift, CLOSE, Some(&st), pages::close(c, cart, Some(e))).await;
    }
    if cart.is_some() {
        till::clear_cart(&s.db).await?;
    }
    till::close_shift(&s.db, &shift.id, &st, &notes).await?;
    Ok(Redirect::to(&format!("/shifts/{}", shift.id)).into_response())
}

pub(super) async fn shift_report(State(s): State<PosState>, headers: HeaderMap, Path(id): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let shift = till::shift(&s.db, &id).await?.ok_or(PosError::NotFound)?;
    let (Some(closed), Some(counted)) = (shift.closed_at, shift.counted) else { return Err(PosError::NotFound) };
    let c = cash_view(&s, &shift).await?;
    let body = pages::report(
        c,
        receipts::local(&shift.opened_at, "%H:%M %d/%m/%Y"),
        receipts::local(&closed, "%H:%M %d/%m/%Y"),
        counted,
    );
    render(&s, Screen::Shift, "Báo cáo ca / Shift report", Some(&st), body).await
}
