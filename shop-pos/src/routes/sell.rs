//! The selling screen: scan, grid, quantity, discount, and payment in cash (exact, a quick amount or
//! what was handed over) or by VietQR. After payment the screen is ready for the next sale at once,
//! with the change due and the receipt printed.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};

use super::{F, PosState, Res, amount, at_till, both, field, pin_of, refused, render};
use crate::db::setting;
use crate::pages::{self, Done, Screen, Tile};
use crate::staff::{self, Staff};
use crate::till::{self, Tender};
use crate::{PosError, catalog, receipts};

const SELL: &str = "Bán hàng / Sell";

/// Tiles on the grid: enough for a 1366-wide counter screen, the rest is a search away.
const GRID: usize = 30;

#[derive(serde::Deserialize, Default)]
pub(super) struct SellQuery {
    q: Option<String>,
    err: Option<String>,
    /// The receipt just paid: its change is shown until the next scan.
    done: Option<String>,
}

async fn sell_view(
    s: &PosState,
    query: String,
    results: Vec<catalog::Item>,
    err: Option<String>,
    done: Option<Done>,
) -> Result<pages::SellView, PosError> {
    let best = s.best_sellers(GRID as u64).await?;
    let tiles = catalog::grid(&s.db, &best, GRID)
        .await?
        .into_iter()
        .map(|item| Tile { photo: item.photo_file.as_ref().map(|f| format!("/photos/{f}")), item })
        .collect();
    Ok(pages::SellView {
        cart: till::cart(&s.db).await?,
        query,
        results,
        tiles,
        err,
        notice: None,
        managers: staff::list(&s.db).await?.into_iter().filter(|m| m.manager).collect(),
        transfer: setting(&s.db, "bank").await?.is_some(),
        done,
    })
}

/// The sale just paid, for the screen that follows it.
async fn done_of(s: &PosState, no: &str) -> Result<Option<Done>, PosError> {
    let Some(stored) = till::by_receipt(&s.db, no).await? else { return Ok(None) };
    if stored.sale.kind != domain::sale::SaleKind::Sale {
        return Ok(None);
    }
    let cash: i64 =
        stored.sale.payments.iter().filter(|p| p.method == domain::sale::PosMethod::Cash).map(|p| p.amount).sum();
    let printed = match &s.config.printer {
        Some(_) => "Biên lai đã gửi máy in / Receipt sent to the printer".to_string(),
        None => {
            let file = receipts::print_file(&s.config.data_dir, no);
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if file.exists() {
                format!("Biên lai đã in ra tệp / Receipt printed to prints/{name}")
            } else {
                "Đang in biên lai… / Printing the receipt…".to_string()
            }
        }
    };
    Ok(Some(Done {
        receipt_no: no.to_string(),
        total: stored.sale.total,
        change: stored.tendered.map(|t| (t - cash).max(0)).unwrap_or(0),
        printed,
    }))
}

pub(super) async fn sell_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<SellQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let query = q.q.unwrap_or_default();
    let results = if query.trim().is_empty() { vec![] } else { catalog::search(&s.db, &query, 20).await? };
    let done = match q.done.as_deref() {
        Some(no) => done_of(&s, no).await?,
        None => None,
    };
    let v = sell_view(&s, query, results, q.err, done).await?;
    render(&s, Screen::Sell, SELL, Some(&st), pages::sell(v)).await
}

async fn refused_sale(s: &PosState, st: &Staff, msg: String) -> Res {
    let v = sell_view(s, String::new(), vec![], Some(msg), None).await?;
    refused(s, Screen::Sell, SELL, Some(st), pages::sell(v)).await
}

/// A scanned or typed code: an exact barcode or SKU adds one (`3*code` adds three); anything else
/// searches by name.
pub(super) async fn scan(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let typed = field(&f, "code");
    if typed.is_empty() {
        return Ok(Redirect::to("/sell").into_response());
    }
    let (n, code) = match typed.split_once('*') {
        Some((n, code)) if n.trim().parse::<i64>().is_ok_and(|n| (1..=till::MAX_QTY).contains(&n)) => {
            (n.trim().parse::<i64>().unwrap_or(1), code.trim())
        }
        _ => (1, typed),
    };
    // A label's GS1 code (Digital Link or element string) names the size and its batch.
    let (code, named) = match domain::trace::Scan::read(code) {
        Ok(scan) if scan.batch.is_some() => (scan.item, scan.batch),
        _ => (code.to_string(), None),
    };
    let code = code.as_str();
    if let Some(item) = catalog::by_code(&s.db, code).await? {
        if !item.on_sale {
            return refused_sale(&s, &st, both(till::Refusal::NotOnSale(item.label()).message())).await;
        }
        let batch = if item.parts.is_empty() {
            match crate::batches::pick(&s.db, &item.sku, named.as_deref(), crate::batches::today()).await? {
                Ok(b) => b,
                Err(msg) => return refused_sale(&s, &st, format!("{}: {}", item.label(), both(msg))).await,
            }
        } else {
            None
        };
        till::add(&s.db, &item.sku, n, batch).await?;
        return Ok(Redirect::to("/sell").into_response());
    }
    let results = catalog::search(&s.db, code, 20).await?;
    if results.is_empty() {
        return refused_sale(&s, &st, format!("Không tìm thấy “{code}”. / “{code}” was not found.")).await;
    }
    let v = sell_view(&s, code.to_string(), results, None, None).await?;
    render(&s, Screen::Sell, SELL, Some(&st), pages::sell(v)).await
}

pub(super) async fn set_qty(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    match field(&f, "qty").parse::<i64>() {
        Ok(q) if (0..=till::MAX_QTY).contains(&q) => {
            till::set_qty(&s.db, field(&f, "sku"), q).await?;
            Ok(Redirect::to("/sell").into_response())
        }
        _ => {
            let msg = format!("Số lượng là số từ 0 đến {0}. / A quantity is a number from 0 to {0}.", till::MAX_QTY);
            refused_sale(&s, &st, msg).await
        }
    }
}

pub(super) async fn discount(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let cart = till::cart(&s.db).await?;
    let err = match amount(field(&f, "amount")) {
        Ok(Some(a)) if a <= cart.subtotal() => {
            let manager: i64 = field(&f, "manager_id").parse().unwrap_or(0);
            match pin_of(&s, manager, field(&f, "pin")).await? {
                Ok(m) if m.manager => {
                    till::set_discount(&s.db, a, m.id).await?;
                    return Ok(Redirect::to("/sell").into_response());
                }
                Ok(_) => "Chỉ quản lý mới duyệt giảm giá. / Only a manager can approve a discount.".to_string(),
                Err(msg) => msg,
            }
        }
        Ok(None) | Ok(Some(_)) | Err(()) => {
            "Giảm giá là số tiền không quá tạm tính. / A discount is an amount up to the subtotal.".to_string()
        }
    };
    refused_sale(&s, &st, err).await
}

pub(super) async fn clear(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let _ = staff_or_redirect!(s, headers);
    till::clear_cart(&s.db).await?;
    Ok(Redirect::to("/sell").into_response())
}

/// Cash settles at once (exact, a quick amount, or what was handed over); a transfer (whole or split)
/// first shows its QR code and then waits for staff to say whether the money arrived.
pub(super) async fn pay(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let cart = till::cart(&s.db).await?;
    let total = cart.total();
    // A quick-cash key is cash with that amount handed over.
    let quick = field(&f, "quick");
    let (method, tendered_raw) =
        if quick.is_empty() { (field(&f, "method"), field(&f, "tendered")) } else { ("cash", quick) };
    let Ok(tendered) = amount(tendered_raw) else {
        return refused_sale(
            &s,
            &st,
            "Số tiền khách đưa không đọc được. / The cash handed over could not be read.".into(),
        )
        .await;
    };
    // The page the staff member paid from showed this total; another tab or a price pulled meanwhile
    // must not turn the difference into cash nobody collected.
    if let Some(expected) = f.get("expect_total").and_then(|v| v.trim().parse::<i64>().ok())
        && expected != total
    {
        return refused_sale(
            &s,
            &st,
            format!(
                "Đơn đã thay đổi (nay là {}); kiểm tra lại rồi thu tiền. / The sale changed (now {}); check it and take payment again.",
                pages::money(total),
                pages::money(total)
            ),
        )
        .await;
    }
    let transfer = match method {
        "cash" => 0,
        "vietqr" => total,
        "split" | "confirm" => match amount(field(&f, "transfer")) {
            Ok(Some(t)) if t > 0 && t <= total => t,
            _ => {
                return refused_sale(
                    &s,
                    &st,
                    "Phần chuyển khoản phải từ 1 đ đến tổng tiền. / The transfer part must be between 1 đ and the total."
                        .into(),
                )
                .await;
            }
        },
        _ => return refused_sale(&s, &st, "Chọn cách trả tiền. / Choose how the customer pays.".into()).await,
    };
    if transfer > 0 && method != "confirm" {
        if let Err(r) = till::payments_check(total, transfer, tendered) {
            return refused_sale(&s, &st, both(r.message())).await;
        }
        return qr_page(&s, &st, transfer, tendered, total).await;
    }
    let tender = Tender { transfer, transfer_confirmed: field(&f, "confirmed") == "1", tendered };
    match till::sell(&s.db, &st, tender).await? {
        Ok(no) => {
            s.link.poke.notify_one();
            s.sold();
            auto_print(&s, &no);
            Ok(Redirect::to(&format!("/sell?done={no}")).into_response())
        }
        Err(r) => refused_sale(&s, &st, both(r.message())).await,
    }
}

async fn qr_page(s: &PosState, st: &Staff, transfer: i64, tendered: Option<i64>, total: i64) -> Res {
    let Some(bank) = setting(&s.db, "bank").await? else {
        return refused_sale(s, st, "Chưa có tài khoản nhận VietQR. / No VietQR account is set.".into()).await;
    };
    let bank: domain::pos_catalog::BankAccount = serde_json::from_str(&bank)?;
    let purpose = till::peek_receipt_no(&s.db).await?.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
    // The end carries the device and the sequence, which find the sale; a long showroom code is cut.
    let skip = purpose.chars().count().saturating_sub(domain::vietqr::MAX_PURPOSE_CHARS);
    let purpose: String = purpose.chars().skip(skip).collect();
    let payload = domain::vietqr::payload(&domain::vietqr::Transfer {
        bank_bin: bank.bank_bin.clone(),
        account: bank.account.clone(),
        amount: Some(transfer),
        purpose: Some(purpose.clone()),
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let svg = qrcode::QrCode::new(payload.as_bytes())
        .map(|c| c.render::<qrcode::render::svg::Color>().min_dimensions(280, 280).quiet_zone(true).build())
        .unwrap_or_default();
    let online = s.link.status.lock().expect("status lock").online == Some(true);
    let v = pages::QrView {
        svg,
        amount: transfer,
        bank: bank.bank_name,
        account: bank.account,
        holder: bank.account_name,
        purpose,
        transfer,
        tendered: tendered.map(|t| t.to_string()).unwrap_or_default(),
        online,
        total,
    };
    render(s, Screen::Other, "Chuyển khoản VietQR / VietQR transfer", Some(st), pages::qr(v)).await
}

/// Every receipt is printed as it is made: to the printer, or without one to its file (`prints/`).
/// Beside the sale, not in its way: the next sale's screen does not wait for the raster or the printer.
pub(super) fn auto_print(s: &PosState, no: &str) {
    let (s, no) = (s.clone(), no.to_string());
    tokio::spawn(async move {
        if let Err(e) = print_receipt(&s, &no).await {
            tracing::warn!(error = %e, receipt = no, "receipt not printed");
        }
    });
}

pub(super) async fn print_receipt(s: &PosState, no: &str) -> Result<String, PosError> {
    let stored = till::by_receipt(&s.db, no).await?.ok_or(PosError::NotFound)?;
    let r = receipts::receipt(&s.db, &stored).await?;
    let bytes = receipts::escpos(&r);
    Ok(receipts::print(&bytes, s.config.printer.as_deref(), &s.config.data_dir, no)?)
}
