//! Receipts (page, printer file, image, reprint) and the showroom's stock.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect};
use domain::sale::StockKind;

use super::{F, PosState, Res, at_till, field, refused, render, who};
use crate::pages::{self, Screen};
use crate::{PosError, catalog, receipts, till};

pub(super) async fn receipt_page(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let r = receipts::receipt(&s.db, &stored).await?;
    let note = match (&stored.rejected, stored.synced) {
        (Some(why), _) => Some(format!("Chợ từ chối giao dịch này / The marketplace refused it: {why}")),
        _ => None,
    };
    let body = pages::receipt(no.clone(), receipts::lines(&r), None, note);
    render(&s, Screen::Other, &format!("Biên lai / Receipt {no}"), Some(&st), body).await
}

pub(super) async fn receipt_escpos(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    if who(&s, &headers).await?.is_none() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let bytes = receipts::escpos(&receipts::receipt(&s.db, &stored).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{no}.bin\"")),
        ],
        bytes,
    )
        .into_response())
}

pub(super) async fn receipt_image(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    if who(&s, &headers).await?.is_none() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let png = receipts::png(&receipts::receipt(&s.db, &stored).await?)?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=3600")], png).into_response())
}

pub(super) async fn print(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let lines = receipts::lines(&receipts::receipt(&s.db, &stored).await?);
    let notice = match super::sell::print_receipt(&s, &no).await {
        Ok(to) => format!("Đã gửi tới máy in / Sent to the printer: {to}"),
        Err(e) => format!("Không in được / Could not print: {e}"),
    };
    render(
        &s,
        Screen::Other,
        &format!("Biên lai / Receipt {no}"),
        Some(&st),
        pages::receipt(no.clone(), lines, Some(notice), None),
    )
    .await
}

#[derive(serde::Deserialize, Default)]
pub(super) struct StockQuery {
    q: Option<String>,
}

pub(super) async fn stock_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<StockQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let query = q.q.unwrap_or_default();
    let items = catalog::search(&s.db, &query, 200).await?;
    render(&s, Screen::Stock, "Kho tại quầy / Showroom stock", Some(&st), pages::stock(items, query, None, None)).await
}

pub(super) async fn stock(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let sku = field(&f, "sku").to_string();
    let kind = match field(&f, "kind") {
        "received" => Some(StockKind::Received),
        "counted" => Some(StockKind::Counted),
        _ => None,
    };
    let item = catalog::by_code(&s.db, &sku).await?.filter(|i| i.parts.is_empty());
    let qty = field(&f, "qty")
        .parse::<i64>()
        .ok()
        .filter(|q| (0..=100_000).contains(q) && !(kind == Some(StockKind::Received) && *q == 0));
    let (Some(item), Some(qty), Some(kind)) = (item, qty, kind) else {
        let items = catalog::search(&s.db, "", 200).await?;
        let err = "Chọn một mặt hàng và nhập số lượng (nhập hàng: từ 1). / Choose an item and type a quantity (received: at least 1).".to_string();
        return refused(
            &s,
            Screen::Stock,
            "Kho tại quầy / Showroom stock",
            Some(&st),
            pages::stock(items, String::new(), Some(err), None),
        )
        .await;
    };
    till::stock_event(&s.db, &st, &item.sku, kind, qty).await?;
    s.link.poke.notify_one();
    let notice = match kind {
        StockKind::Received => format!("Đã nhập {qty} × {} / Received.", item.label()),
        StockKind::Counted => format!("Đã ghi số đếm {qty} cho {} / Count recorded.", item.label()),
    };
    let items = catalog::search(&s.db, "", 200).await?;
    render(
        &s,
        Screen::Stock,
        "Kho tại quầy / Showroom stock",
        Some(&st),
        pages::stock(items, String::new(), None, Some(notice)),
    )
    .await
}
