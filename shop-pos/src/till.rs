//! Ringing up a sale: the cart kept in the till's database, the sale with its lines and payments
//! committed in one transaction with its outbox entry and the shelf's stock, shifts and refunds.

use chrono::{DateTime, Utc};
use domain::sale::{PosMethod, Sale, SaleKind, SaleLine, SalePayment};
use domain::shift::ShiftCash;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::PosError;
use crate::catalog::{self, Item};
use crate::db::{set_setting, setting, stmt};
use crate::staff::Staff;

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[derive(Debug, Clone)]
pub struct CartLine {
    pub item: Item,
    pub qty: i64,
    /// The batch the label named, or the one assumed first-expiring-first-out (`batch_assumed`).
    pub batch: Option<String>,
    pub batch_assumed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub discount: i64,
}

impl Cart {
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(|l| l.item.price * l.qty).sum()
    }
    pub fn total(&self) -> i64 {
        self.subtotal() - self.discount.min(self.subtotal())
    }
}

pub async fn cart(db: &impl ConnectionTrait) -> Result<Cart, PosError> {
    let rows =
        db.query_all_raw(stmt("SELECT sku, qty, batch, batch_assumed FROM cart_lines ORDER BY pos", vec![])).await?;
    let mut lines = Vec::new();
    for r in rows {
        let sku: String = r.try_get("", "sku")?;
        if let Some(item) = catalog::by_code(db, &sku).await? {
            lines.push(CartLine {
                item,
                qty: r.try_get("", "qty")?,
                batch: r.try_get("", "batch")?,
                batch_assumed: r.try_get("", "batch_assumed")?,
            });
        }
    }
    let discount = db
        .query_one_raw(stmt("SELECT amount FROM cart_discount WHERE id = 1", vec![]))
        .await?
        .map(|r| r.try_get::<i64>("", "amount"))
        .transpose()?
        .unwrap_or(0);
    Ok(Cart { lines, discount })
}

/// At most this many of one line: a typo of 1000 for 10 is caught.
pub const MAX_QTY: i64 = 999;

/// Adds `n` of a size; `batch` is what its label named (false) or the till assumed (true). A line
/// keeps one batch: a later scan naming one replaces an assumed one.
pub async fn add(db: &impl ConnectionTrait, sku: &str, n: i64, batch: Option<(String, bool)>) -> Result<(), PosError> {
    let (code, assumed) = batch.map_or((None, false), |(c, a)| (Some(c), a));
    db.execute_raw(stmt(
        "INSERT INTO cart_lines (sku, qty, pos, batch, batch_assumed) VALUES (?, ?, (SELECT COALESCE(MAX(pos), 0) + 1 FROM cart_lines), ?, ?) \
         ON CONFLICT (sku) DO UPDATE SET qty = MIN(cart_lines.qty + excluded.qty, ?), \
         batch = CASE WHEN excluded.batch IS NOT NULL AND (cart_lines.batch IS NULL OR NOT excluded.batch_assumed) \
                      THEN excluded.batch ELSE cart_lines.batch END, \
         batch_assumed = CASE WHEN excluded.batch IS NOT NULL AND (cart_lines.batch IS NULL OR NOT excluded.batch_assumed) \
                      THEN excluded.batch_assumed ELSE cart_lines.batch_assumed END",
        vec![sku.into(), n.into(), code.into(), assumed.into(), MAX_QTY.into()],
    ))
    .await?;
    Ok(())
}

pub async fn set_qty(db: &impl ConnectionTrait, sku: &str, qty: i64) -> Result<(), PosError> {
    if qty <= 0 {
        db.execute_raw(stmt("DELETE FROM cart_lines WHERE sku = ?", vec![sku.into()])).await?;
        // A discount was approved for this customer's goods: an emptied cart does not keep it.
        db.execute_raw(stmt("DELETE FROM cart_discount WHERE NOT EXISTS (SELECT 1 FROM cart_lines)", vec![])).await?;
    } else {
        db.execute_raw(stmt("UPDATE cart_lines SET qty = ? WHERE sku = ?", vec![qty.min(MAX_QTY).into(), sku.into()]))
            .await?;
    }
    Ok(())
}

pub async fn set_discount(db: &impl ConnectionTrait, amount: i64, approved_by: i64) -> Result<(), PosError> {
    if amount <= 0 {
        db.execute_raw(stmt("DELETE FROM cart_discount", vec![])).await?;
    } else {
        db.execute_raw(stmt(
            "INSERT INTO cart_discount (id, amount, approved_by) VALUES (1, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET amount = excluded.amount, approved_by = excluded.approved_by",
            vec![amount.into(), approved_by.into()],
        ))
        .await?;
    }
    Ok(())
}

pub async fn clear_cart(db: &impl ConnectionTrait) -> Result<(), PosError> {
    db.execute_raw(stmt("DELETE FROM cart_lines", vec![])).await?;
    db.execute_raw(stmt("DELETE FROM cart_discount", vec![])).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub id: String,
    pub staff_id: i64,
    pub opened_at: DateTime<Utc>,
    pub float: i64,
    pub closed_at: Option<DateTime<Utc>>,
    pub counted: Option<i64>,
}

fn shift_of(r: &sea_orm::QueryResult) -> Result<Shift, PosError> {
    let time = |s: String| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).ok();
    Ok(Shift {
        id: r.try_get("", "id")?,
        staff_id: r.try_get("", "staff_id")?,
        opened_at: time(r.try_get("", "opened_at")?).unwrap_or_default(),
        float: r.try_get("", "float")?,
        closed_at: r.try_get::<Option<String>>("", "closed_at")?.and_then(time),
        counted: r.try_get("", "counted")?,
    })
}

/// The till's open shift, if any: one at a time.
pub async fn open_shift(db: &impl ConnectionTrait) -> Result<Option<Shift>, PosError> {
    let row = db
        .query_one_raw(stmt(
            "SELECT id, staff_id, opened_at, float, closed_at, counted FROM shifts WHERE closed_at IS NULL LIMIT 1",
            vec![],
        ))
        .await?;
    row.as_ref().map(shift_of).transpose()
}

pub async fn shift(db: &impl ConnectionTrait, id: &str) -> Result<Option<Shift>, PosError> {
    let row = db
        .query_one_raw(stmt(
            "SELECT id, staff_id, opened_at, float, closed_at, counted FROM shifts WHERE id = ?",
            vec![id.into()],
        ))
        .await?;
    row.as_ref().map(shift_of).transpose()
}

pub async fn start_shift(db: &DatabaseConnection, staff: &Staff, float: i64) -> Result<Shift, PosError> {
    let txn = crate::db::write_txn(db).await?;
    if let Some(s) = open_shift(&txn).await? {
        return Ok(s);
    }
    let id = uuid();
    txn.execute_raw(stmt(
        "INSERT INTO shifts (id, staff_id, opened_at, float) VALUES (?, ?, ?, ?)",
        vec![id.clone().into(), staff.id.into(), Utc::now().to_rfc3339().into(), float.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(shift(db, &id).await?.expect("just inserted"))
}

/// A stored sale or refund with what its receipt needs.
#[derive(Debug, Clone)]
pub struct Stored {
    pub sale: Sale,
    pub staff_id: i64,
    pub tendered: Option<i64>,
    /// Display names of the lines, in order.
    pub names: Vec<String>,
    pub synced: bool,
    pub rejected: Option<String>,
}

fn stored_of(r: &sea_orm::QueryResult) -> Result<Stored, PosError> {
    let payload: String = r.try_get("", "payload")?;
    let names: String = r.try_get("", "names")?;
    Ok(Stored {
        sale: serde_json::from_str(&payload)?,
        staff_id: r.try_get("", "staff_id")?,
        tendered: r.try_get("", "tendered")?,
        names: serde_json::from_str(&names)?,
        synced: r.try_get::<Option<String>>("", "sent_at")?.is_some(),
        rejected: r.try_get("", "rejected")?,
    })
}

const STORED: &str = "SELECT s.payload, s.names, s.staff_id, s.tendered, o.sent_at, o.rejected FROM sales s \
                      LEFT JOIN outbox o ON o.ref_id = s.id";

pub async fn by_receipt(db: &impl ConnectionTrait, receipt_no: &str) -> Result<Option<Stored>, PosError> {
    let row =
        db.query_one_raw(stmt(&format!("{STORED} WHERE s.receipt_no = ?"), vec![receipt_no.trim().into()])).await?;
    row.as_ref().map(stored_of).transpose()
}

pub async fn of_shift(db: &impl ConnectionTrait, shift_id: &str) -> Result<Vec<Stored>, PosError> {
    let rows =
        db.query_all_raw(stmt(&format!("{STORED} WHERE s.shift_id = ? ORDER BY o.seq"), vec![shift_id.into()])).await?;
    rows.iter().map(stored_of).collect()
}

/// Refunds already made of a sale, oldest first.
pub async fn refunds_of(db: &impl ConnectionTrait, sale_id: &str) -> Result<Vec<Stored>, PosError> {
    let rows = db
        .query_all_raw(stmt(&format!("{STORED} WHERE s.refund_of = ? ORDER BY s.receipt_no"), vec![sale_id.into()]))
        .await?;
    rows.iter().map(stored_of).collect()
}

pub async fn by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<Stored>, PosError> {
    let row = db.query_one_raw(stmt(&format!("{STORED} WHERE s.id = ?"), vec![id.into()])).await?;
    row.as_ref().map(stored_of).transpose()
}

/// Sales whose receipt number is what was typed, or ends with it ("000001", "12"), newest first.
pub async fn find_sales(db: &impl ConnectionTrait, typed: &str) -> Result<Vec<Stored>, PosError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    if let Some(exact) = by_receipt(db, typed).await?.filter(|s| s.sale.kind == SaleKind::Sale) {
        return Ok(vec![exact]);
    }
    // LIKE's wildcards in what was typed match only themselves.
    let escaped = typed.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let rows = db
        .query_all_raw(stmt(
            &format!(
                "{STORED} WHERE s.kind = 'sale' AND s.receipt_no LIKE ? ESCAPE '\\' ORDER BY s.receipt_no DESC LIMIT 20"
            ),
            vec![format!("%{escaped}").into()],
        ))
        .await?;
    rows.iter().map(stored_of).collect()
}

/// The SKUs sold most at this till over its last 2.000 sales, best first.
pub async fn best_sellers(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<String>, PosError> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT json_extract(l.value, '$.sku') AS sku, SUM(json_extract(l.value, '$.qty')) AS n \
             FROM (SELECT payload FROM sales WHERE kind = 'sale' ORDER BY rowid DESC LIMIT 2000) s, json_each(s.payload, '$.lines') l \
             GROUP BY 1 ORDER BY n DESC, sku LIMIT ?",
            vec![(limit as i64).into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<String>("", "sku")?)).collect()
}

/// The cash a shift moved, from its sales and refunds.
pub fn cash_of(float: i64, sales: &[Stored]) -> ShiftCash {
    let mut cash = ShiftCash { float, ..Default::default() };
    for s in sales {
        for p in &s.sale.payments {
            match (s.sale.kind, p.method) {
                (SaleKind::Sale, PosMethod::Cash) => cash.cash_sales += p.amount,
                (SaleKind::Refund, PosMethod::Cash) => cash.cash_refunds += p.amount,
                (kind, PosMethod::Vietqr) => {
                    let signed = if kind == SaleKind::Refund { -p.amount } else { p.amount };
                    cash.transfers += signed;
                    if !p.confirmed {
                        cash.unconfirmed_transfers += signed;
                    }
                }
            }
        }
    }
    cash
}

pub async fn close_shift(
    db: &DatabaseConnection,
    shift_id: &str,
    staff: &Staff,
    notes: &[(i64, u32)],
) -> Result<bool, PosError> {
    let counted = domain::shift::counted(notes).map_err(std::io::Error::other)?;
    let notes = notes.iter().filter(|(_, n)| *n > 0).map(|(d, n)| format!("{d}x{n}")).collect::<Vec<_>>().join(" ");
    let r = db
        .execute_raw(stmt(
            "UPDATE shifts SET closed_at = ?, closed_by = ?, counted = ?, counted_notes = ? WHERE id = ? AND closed_at IS NULL",
            vec![Utc::now().to_rfc3339().into(), staff.id.into(), counted.into(), notes.into(), shift_id.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}

/// How the customer pays what the cart comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tender {
    /// The part paid by VietQR transfer (0 for cash only, the total for transfer only).
    pub transfer: i64,
    pub transfer_confirmed: bool,
    /// Cash handed over; None means exactly the cash part.
    pub tendered: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    EmptyCart,
    NoShift,
    TransferTooLarge,
    Short {
        missing: i64,
    },
    NotOnSale(String),
    Refund(domain::refund::RefundProblem),
    /// The sale breaks a rule the marketplace would refuse it for (e.g. more than 100 lines).
    Invalid(String, String),
}

impl Refusal {
    pub fn message(&self) -> (String, String) {
        let money = |v: i64| domain::money::Vnd(v).to_string();
        match self {
            Refusal::EmptyCart => ("Chưa có hàng nào.".into(), "Nothing has been added yet.".into()),
            Refusal::NoShift => ("Chưa mở ca.".into(), "No shift is open.".into()),
            Refusal::TransferTooLarge => {
                ("Phần chuyển khoản lớn hơn tổng tiền.".into(), "The transfer is more than the total.".into())
            }
            Refusal::Short { missing } => (
                format!("Khách đưa thiếu {}.", money(*missing)),
                format!("The customer handed over {} too little.", money(*missing)),
            ),
            Refusal::NotOnSale(name) => (format!("{name} đang ngừng bán."), format!("{name} is not on sale.")),
            Refusal::Refund(p) => p.message(),
            Refusal::Invalid(vi, en) => (vi.clone(), en.clone()),
        }
    }
}

/// The next receipt number, taken inside the sale's transaction so two sales never share one.
async fn next_receipt_no(txn: &impl ConnectionTrait) -> Result<String, PosError> {
    let seq: i64 = setting(txn, "seq").await?.and_then(|s| s.parse().ok()).unwrap_or(0) + 1;
    set_setting(txn, "seq", &seq.to_string()).await?;
    let prefix = setting(txn, "prefix").await?.unwrap_or_else(|| "POS".into());
    Ok(format!("{prefix}-{seq:06}"))
}

/// The receipt number the next sale will get (for a VietQR purpose shown before it is taken).
pub async fn peek_receipt_no(db: &impl ConnectionTrait) -> Result<String, PosError> {
    let seq: i64 = setting(db, "seq").await?.and_then(|s| s.parse().ok()).unwrap_or(0) + 1;
    let prefix = setting(db, "prefix").await?.unwrap_or_else(|| "POS".into());
    Ok(format!("{prefix}-{seq:06}"))
}

fn payments(total: i64, tender: &Tender) -> Result<Vec<SalePayment>, Refusal> {
    if tender.transfer < 0 || tender.transfer > total {
        return Err(Refusal::TransferTooLarge);
    }
    let cash = total - tender.transfer;
    if let Some(t) = tender.tendered {
        domain::shift::change_due(cash, t).map_err(|e| match e {
            domain::shift::TenderError::Short { missing } => Refusal::Short { missing },
            domain::shift::TenderError::Negative => Refusal::Short { missing: cash },
        })?;
    }
    let mut out = Vec::new();
    if cash > 0 || tender.transfer == 0 {
        out.push(SalePayment { id: uuid(), method: PosMethod::Cash, amount: cash, confirmed: true });
    }
    if tender.transfer > 0 {
        out.push(SalePayment {
            id: uuid(),
            method: PosMethod::Vietqr,
            amount: tender.transfer,
            confirmed: tender.transfer_confirmed,
        });
    }
    Ok(out)
}

/// Whether a tender would settle the total, before the transfer's QR code is shown.
pub fn payments_check(total: i64, transfer: i64, tendered: Option<i64>) -> Result<(), Refusal> {
    payments(total, &Tender { transfer, transfer_confirmed: false, tendered }).map(|_| ())
}

/// Commits the cart as a sale: the sale, its outbox entry, the shelf's stock and the emptied cart in
/// one transaction. Returns the receipt number.
pub async fn sell(db: &DatabaseConnection, staff: &Staff, tender: Tender) -> Result<Result<String, Refusal>, PosError> {
    let txn = crate::db::write_txn(db).await?;
    let Some(shift) = open_shift(&txn).await? else { return Ok(Err(Refusal::NoShift)) };
    let cart = cart(&txn).await?;
    if cart.lines.is_empty() {
        return Ok(Err(Refusal::EmptyCart));
    }
    if let Some(l) = cart.lines.iter().find(|l| !l.item.on_sale) {
        return Ok(Err(Refusal::NotOnSale(l.item.label())));
    }
    // A recall may have arrived with a pull since the line was scanned.
    for l in cart.lines.iter().filter(|l| l.item.parts.is_empty()) {
        let named = l.batch.as_deref().filter(|_| !l.batch_assumed);
        if let Err((vi, en)) = crate::batches::pick(&txn, &l.item.sku, named, crate::batches::today()).await? {
            return Ok(Err(Refusal::Invalid(format!("{}: {vi}", l.item.label()), format!("{}: {en}", l.item.label()))));
        }
    }
    let total = cart.total();
    let payments = match payments(total, &tender) {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let receipt_no = next_receipt_no(&txn).await?;
    let sale = Sale {
        id: uuid(),
        kind: SaleKind::Sale,
        refund_of: None,
        receipt_no: receipt_no.clone(),
        shift_id: shift.id,
        sold_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        lines: cart
            .lines
            .iter()
            .map(|l| SaleLine {
                id: uuid(),
                sku: l.item.sku.clone(),
                qty: l.qty as i32,
                unit_price: l.item.price,
                line_total: l.item.price * l.qty,
                batch: l.batch.clone(),
                batch_assumed: l.batch.is_some() && l.batch_assumed,
            })
            .collect(),
        discount: cart.discount.min(cart.subtotal()),
        total,
        payments,
    };
    if let Err(p) = sale.check() {
        return Ok(Err(Refusal::Invalid(p.message_vi, p.message_en)));
    }
    let names: Vec<String> = cart.lines.iter().map(|l| l.item.label()).collect();
    let moves: Vec<(String, i64)> = cart.lines.iter().flat_map(|l| catalog::stock_moves(&l.item, -l.qty)).collect();
    let cash_part = total - tender.transfer;
    let tendered = tender.tendered.filter(|t| *t > cash_part);
    store_sale(&txn, &sale, staff, tendered, &names, &moves, None).await?;
    clear_cart(&txn).await?;
    txn.commit().await?;
    Ok(Ok(receipt_no))
}

async fn store_sale(
    txn: &impl ConnectionTrait,
    sale: &Sale,
    staff: &Staff,
    tendered: Option<i64>,
    names: &[String],
    moves: &[(String, i64)],
    approved_by: Option<i64>,
) -> Result<(), PosError> {
    txn.execute_raw(stmt(
        "INSERT INTO sales (id, receipt_no, shift_id, staff_id, kind, refund_of, total, tendered, names, payload, approved_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            sale.id.clone().into(),
            sale.receipt_no.clone().into(),
            sale.shift_id.clone().into(),
            staff.id.into(),
            if sale.kind == SaleKind::Refund { "refund" } else { "sale" }.into(),
            sale.refund_of.clone().into(),
            sale.total.into(),
            tendered.into(),
            serde_json::to_string(names)?.into(),
            serde_json::to_string(sale)?.into(),
            approved_by.into(),
        ],
    ))
    .await?;
    txn.execute_raw(stmt(
        "INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('sale', ?, ?)",
        vec![sale.id.clone().into(), Utc::now().to_rfc3339().into()],
    ))
    .await?;
    for (sku, delta) in moves {
        txn.execute_raw(stmt(
            "UPDATE items SET stock = stock + ? WHERE sku = ?",
            vec![(*delta).into(), sku.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

/// What staff asked to give back: units per line id of the original sale, how, and the refund's
/// id, made when the refund was shown for review, so confirming twice refunds once.
pub struct RefundAsk<'a> {
    pub refund_id: &'a str,
    pub qty: &'a std::collections::HashMap<String, i64>,
    pub method: PosMethod,
    /// The manager who approved it with their PIN, when the amount called for one.
    pub approved_by: Option<i64>,
}

/// Gives money back for some of a sale's units, as many times as goods come back and never more than
/// was sold (`domain::refund`); the units go back on the shelf. Returns the slip's number.
pub async fn refund(
    db: &DatabaseConnection,
    staff: &Staff,
    original: &Stored,
    ask: RefundAsk<'_>,
) -> Result<Result<String, Refusal>, PosError> {
    let txn = crate::db::write_txn(db).await?;
    if let Some(done) = by_id(&txn, ask.refund_id).await? {
        return Ok(match done.sale.refund_of.as_deref() == Some(original.sale.id.as_str()) {
            true => Ok(done.sale.receipt_no),
            false => Err(Refusal::Invalid("Mã hoàn tiền đã dùng.".into(), "This refund id is already used.".into())),
        });
    }
    let Some(shift) = open_shift(&txn).await? else { return Ok(Err(Refusal::NoShift)) };
    let before: Vec<Sale> = refunds_of(&txn, &original.sale.id).await?.into_iter().map(|s| s.sale).collect();
    let plan = match domain::refund::plan(&original.sale, &before, ask.qty) {
        Ok(p) => p,
        Err(p) => return Ok(Err(Refusal::Refund(p))),
    };
    let mut lines = Vec::new();
    let mut names = Vec::new();
    let mut moves = Vec::new();
    for &(i, n) in &plan.lines {
        let l = &original.sale.lines[i];
        lines.push(SaleLine {
            id: uuid(),
            sku: l.sku.clone(),
            qty: n as i32,
            unit_price: l.unit_price,
            line_total: l.unit_price * n,
            batch: l.batch.clone(),
            batch_assumed: l.batch_assumed,
        });
        names.push(original.names.get(i).cloned().unwrap_or_else(|| l.sku.clone()));
        match catalog::by_code(&txn, &l.sku).await? {
            Some(item) => moves.extend(catalog::stock_moves(&item, n)),
            None => moves.push((l.sku.clone(), n)),
        }
    }
    let receipt_no = next_receipt_no(&txn).await?;
    let sale = Sale {
        id: ask.refund_id.to_string(),
        kind: SaleKind::Refund,
        refund_of: Some(original.sale.id.clone()),
        receipt_no: receipt_no.clone(),
        shift_id: shift.id,
        sold_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        lines,
        discount: plan.discount,
        total: plan.total,
        payments: vec![SalePayment { id: uuid(), method: ask.method, amount: plan.total, confirmed: true }],
    };
    if let Err(p) = sale.check() {
        return Ok(Err(Refusal::Invalid(p.message_vi, p.message_en)));
    }
    store_sale(&txn, &sale, staff, None, &names, &moves, ask.approved_by).await?;
    txn.commit().await?;
    Ok(Ok(receipt_no))
}

/// Stock received or counted at the showroom: the till's shelf changes now, the marketplace's ledger
/// when the outbox gets through.
pub async fn stock_event(
    db: &DatabaseConnection,
    staff: &Staff,
    sku: &str,
    kind: domain::sale::StockKind,
    qty: i64,
) -> Result<(), PosError> {
    let txn = crate::db::write_txn(db).await?;
    let id = uuid();
    let now = Utc::now();
    txn.execute_raw(stmt(
        "INSERT INTO stock_events (id, sku, kind, qty, at, staff_id) VALUES (?, ?, ?, ?, ?, ?)",
        vec![
            id.clone().into(),
            sku.into(),
            kind.code().into(),
            qty.into(),
            now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
            staff.id.into(),
        ],
    ))
    .await?;
    txn.execute_raw(stmt(
        "INSERT INTO outbox (kind, ref_id, queued_at) VALUES ('stock', ?, ?)",
        vec![id.into(), now.to_rfc3339().into()],
    ))
    .await?;
    let sql = match kind {
        domain::sale::StockKind::Received => "UPDATE items SET stock = stock + ? WHERE sku = ?",
        domain::sale::StockKind::Counted => "UPDATE items SET stock = ? WHERE sku = ?",
    };
    txn.execute_raw(stmt(sql, vec![qty.into(), sku.into()])).await?;
    txn.commit().await?;
    Ok(())
}

/// Entries the marketplace has not acknowledged yet (rejected ones are counted apart).
pub async fn unsynced(db: &impl ConnectionTrait) -> Result<(i64, i64), PosError> {
    let r = db
        .query_one_raw(stmt(
            "SELECT COUNT(*) FILTER (WHERE sent_at IS NULL AND rejected IS NULL) AS waiting, \
             COUNT(*) FILTER (WHERE rejected IS NOT NULL) AS rejected FROM outbox",
            vec![],
        ))
        .await?;
    Ok(match r {
        Some(r) => (r.try_get("", "waiting")?, r.try_get("", "rejected")?),
        None => (0, 0),
    })
}
