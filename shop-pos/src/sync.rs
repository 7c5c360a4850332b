//! The till's link to the marketplace: a background task pushes the outbox in order (sales and stock
//! events, one kind per push, at most 200) and pulls catalogue changes since its cursor. Failures
//! back off from 1 s to ten sync intervals (30 s by default); the outbox entry is marked sent only after the server answered, and
//! the server stores every id once, so a lost answer or a kill mid-push is just a resend.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::pos_catalog::CatalogDelta;
use domain::sale::{MAX_SALES_PER_PUSH, Push, PushResults, Sale, SaleOutcome, StockEvent, StockKind};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::PosError;
use crate::db::{set_setting, setting, stmt};

#[derive(Debug, Clone, Default)]
pub struct Status {
    /// None before the first attempt (or in demo mode).
    pub online: Option<bool>,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

#[derive(Clone)]
pub struct Link {
    pub status: Arc<Mutex<Status>>,
    pub poke: Arc<tokio::sync::Notify>,
    http: reqwest::Client,
}

impl Default for Link {
    fn default() -> Self {
        Link {
            status: Default::default(),
            poke: Default::default(),
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(3))
                .timeout(Duration::from_secs(20))
                .build()
                .expect("HTTP client"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("không kết nối được máy chủ / cannot reach the marketplace: {0}")]
    Network(#[from] reqwest::Error),
    #[error("máy chủ trả lời {status}: {body}")]
    Server { status: u16, body: String },
    #[error(transparent)]
    Local(#[from] PosError),
}

impl From<sea_orm::DbErr> for SyncError {
    fn from(e: sea_orm::DbErr) -> Self {
        SyncError::Local(e.into())
    }
}

pub struct Paired {
    pub server: String,
    pub token: String,
    pub showroom_code: String,
}

pub async fn paired(db: &impl ConnectionTrait) -> Result<Option<Paired>, PosError> {
    if setting(db, "mode").await?.as_deref() != Some("paired") {
        return Ok(None);
    }
    Ok(Some(Paired {
        server: setting(db, "server_url").await?.unwrap_or_default(),
        token: setting(db, "token").await?.unwrap_or_default(),
        showroom_code: setting(db, "showroom_code").await?.unwrap_or_default(),
    }))
}

impl Link {
    /// Runs until the process ends: a round now, after each sale (poked), and every `every` otherwise.
    /// Runs sync rounds for ever; product photos for the selling screen's grid are fetched into
    /// `photos_dir` after a round that got through.
    pub fn spawn(&self, db: DatabaseConnection, every: Duration, photos_dir: std::path::PathBuf) {
        let link = self.clone();
        tokio::spawn(async move {
            let mut backoff = Duration::from_secs(1);
            loop {
                let wait = match link.round(&db).await {
                    Ok(()) => {
                        backoff = Duration::from_secs(1);
                        if let Err(e) = link.fetch_photos(&db, &photos_dir).await {
                            tracing::warn!(error = %e, "product photos not fetched");
                        }
                        every
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "sync round failed");
                        let w = backoff;
                        // At most ten sync intervals (30 s by default): a till back online catches up soon.
                        backoff =
                            (backoff * 2).min((every * 10).clamp(Duration::from_secs(1), Duration::from_secs(60)));
                        w
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = link.poke.notified() => {}
                }
            }
        });
    }

    fn note(&self, result: &Result<(), SyncError>) {
        let mut s = self.status.lock().expect("status lock");
        match result {
            Ok(()) => {
                s.online = Some(true);
                s.last_sync = Some(Utc::now());
                s.last_error = None;
            }
            Err(SyncError::Local(_)) => {}
            Err(e) => {
                s.online = Some(false);
                s.last_error = Some(e.to_string());
            }
        }
    }

    pub async fn round(&self, db: &DatabaseConnection) -> Result<(), SyncError> {
        let Some(p) = paired(db).await? else { return Ok(()) };
        let result = async {
            self.push_all(db, &p).await?;
            self.pull(db, &p).await
        }
        .await;
        self.note(&result);
        if result.is_ok() {
            set_setting(db, "last_sync_at", &Utc::now().to_rfc3339()).await?;
        }
        result
    }

    async fn push_all(&self, db: &DatabaseConnection, p: &Paired) -> Result<(), SyncError> {
        // Halved when the marketplace finds a push too large (a body limit lower than ours).
        let mut limit = MAX_SALES_PER_PUSH as i64;
        loop {
            let rows = db
                .query_all_raw(stmt(
                    "SELECT kind, ref_id FROM outbox WHERE sent_at IS NULL AND rejected IS NULL ORDER BY seq LIMIT ?",
                    vec![limit.into()],
                ))
                .await?;
            let Some(first) = rows.first() else { return Ok(()) };
            let kind: String = first.try_get("", "kind")?;
            // One kind per push, in outbox order: a count taken after a sale is applied after it.
            let mut ids = Vec::new();
            for r in &rows {
                if r.try_get::<String>("", "kind")? != kind {
                    break;
                }
                ids.push(r.try_get::<String>("", "ref_id")?);
            }
            let mut push = Push { showroom_code: p.showroom_code.clone(), sales: vec![], stock: vec![] };
            if kind == "sale" {
                push.sales = sales_by_id(db, &ids).await?;
            } else {
                push.stock = stock_by_id(db, &ids).await?;
            }
            db.execute_raw(stmt(
                &format!(
                    "UPDATE outbox SET attempts = attempts + 1 WHERE ref_id IN ({})",
                    vec!["?"; ids.len()].join(",")
                ),
                ids.iter().map(|i| i.clone().into()).collect(),
            ))
            .await?;
            // What is still to send, this push included, for the marketplace's metrics. A header, so
            // a marketplace that does not know it ignores it.
            let backlog: i64 = db
                .query_one_raw(stmt(
                    "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND rejected IS NULL",
                    vec![],
                ))
                .await?
                .map(|r| r.try_get("", "n"))
                .transpose()?
                .unwrap_or(0);
            let res = self
                .http
                .post(format!("{}/sync/v1/sales", p.server.trim_end_matches('/')))
                .bearer_auth(&p.token)
                .header(domain::sale::BACKLOG_HEADER, backlog.to_string())
                .json(&push)
                .send()
                .await?;
            let status = res.status();
            if status == reqwest::StatusCode::PAYLOAD_TOO_LARGE && limit > 1 {
                limit = (limit / 2).max(1);
                continue;
            }
            if !status.is_success() {
                let body = res.text().await.unwrap_or_default();
                return Err(SyncError::Server { status: status.as_u16(), body: body.chars().take(300).collect() });
            }
            let answer: PushResults = res.json().await?;
            // Every id sent must be answered; otherwise back off rather than resend in a tight loop.
            let answered: std::collections::HashSet<&str> =
                answer.results.iter().chain(&answer.stock_results).map(SaleOutcome::id).collect();
            if let Some(missing) = ids.iter().find(|i| !answered.contains(i.as_str())) {
                return Err(SyncError::Server { status: 200, body: format!("no answer for {missing}") });
            }
            let now = Utc::now().to_rfc3339();
            // One transaction for the whole answer: one disk flush per push, not one per sale.
            let txn = crate::db::write_txn(db).await?;
            for outcome in answer.results.iter().chain(&answer.stock_results) {
                match outcome {
                    SaleOutcome::Accepted { id } | SaleOutcome::Duplicate { id } => {
                        txn.execute_raw(stmt(
                            "UPDATE outbox SET sent_at = ? WHERE ref_id = ? AND sent_at IS NULL",
                            vec![now.clone().into(), id.clone().into()],
                        ))
                        .await?;
                    }
                    SaleOutcome::Rejected { id, message_vi, message_en } => {
                        txn.execute_raw(stmt(
                            "UPDATE outbox SET rejected = ? WHERE ref_id = ?",
                            vec![format!("{message_vi} / {message_en}").into(), id.clone().into()],
                        ))
                        .await?;
                    }
                }
            }
            txn.commit().await?;
        }
    }

    /// A few photos per round, so a first pull of a large catalogue never holds up selling; each is
    /// kept under a name made from its marketplace path (which changes when the photo does).
    async fn fetch_photos(&self, db: &DatabaseConnection, dir: &std::path::Path) -> Result<(), SyncError> {
        let Some(p) = paired(db).await? else { return Ok(()) };
        let wanted = crate::catalog::photos_to_fetch(db, 20).await?;
        if wanted.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(dir).map_err(PosError::from)?;
        for (sku, photo) in wanted {
            let res = self.http.get(format!("{}{photo}", p.server.trim_end_matches('/'))).send().await?;
            let image = res
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(photo_extension);
            let (true, Some(ext)) = (res.status().is_success(), image) else {
                tracing::warn!(%photo, status = %res.status(), "photo not fetched");
                continue;
            };
            let bytes = res.bytes().await?;
            if bytes.len() > MAX_PHOTO_BYTES {
                continue;
            }
            let name =
                format!("{}.{ext}", &hex::encode(<sha2::Sha256 as sha2::Digest>::digest(photo.as_bytes()))[..24]);
            let tmp = dir.join(format!(".{name}.part"));
            std::fs::write(&tmp, &bytes)
                .and_then(|_| std::fs::rename(&tmp, dir.join(&name)))
                .map_err(PosError::from)?;
            crate::catalog::set_photo_file(db, &sku, &photo, &name).await?;
        }
        Ok(())
    }

    async fn pull(&self, db: &DatabaseConnection, p: &Paired) -> Result<(), SyncError> {
        let cursor = setting(db, "cursor").await?.unwrap_or_default();
        let res = self
            .http
            .get(format!("{}/sync/v1/catalog", p.server.trim_end_matches('/')))
            .query(&[("since", cursor.as_str())])
            .bearer_auth(&p.token)
            .send()
            .await?;
        let status = res.status();
        if !status.is_success() {
            let body = res.text().await.unwrap_or_default();
            return Err(SyncError::Server { status: status.as_u16(), body: body.chars().take(300).collect() });
        }
        let delta: CatalogDelta = res.json().await?;
        apply_catalog(db, &delta).await?;
        Ok(())
    }
}

/// The marketplace's stock figure for the showroom includes only the sales it has received; the
/// till's own unsent sales and stock events are applied on top so its shelf count stays right.
pub async fn apply_catalog(db: &DatabaseConnection, delta: &CatalogDelta) -> Result<(), PosError> {
    let txn = crate::db::write_txn(db).await?;
    for item in &delta.items {
        crate::catalog::upsert_item(&txn, item).await?;
        crate::batches::replace(&txn, &item.sku, &item.batches).await?;
    }
    for c in &delta.combos {
        crate::catalog::upsert_combo(&txn, c).await?;
    }
    if !delta.items.is_empty() {
        reapply_pending(&txn, &delta.items.iter().map(|i| i.sku.clone()).collect::<Vec<_>>()).await?;
    }
    set_setting(&txn, "cursor", &delta.cursor).await?;
    set_setting(&txn, "showroom_name", &delta.showroom_name).await?;
    set_setting(&txn, "showroom_address", &delta.showroom_address).await?;
    match &delta.bank {
        Some(b) => set_setting(&txn, "bank", &serde_json::to_string(b)?).await?,
        None => {
            txn.execute_raw(stmt("DELETE FROM settings WHERE key = 'bank'", vec![])).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

async fn reapply_pending(txn: &impl ConnectionTrait, skus: &[String]) -> Result<(), PosError> {
    let rows = txn
        .query_all_raw(stmt(
            "SELECT o.kind, o.ref_id FROM outbox o WHERE o.sent_at IS NULL AND o.rejected IS NULL ORDER BY o.seq",
            vec![],
        ))
        .await?;
    let fresh: std::collections::HashSet<&str> = skus.iter().map(String::as_str).collect();
    for r in rows {
        let kind: String = r.try_get("", "kind")?;
        let id: String = r.try_get("", "ref_id")?;
        if kind == "sale" {
            for sale in sales_by_id(txn, std::slice::from_ref(&id)).await? {
                let sign = if sale.kind == domain::sale::SaleKind::Refund { 1 } else { -1 };
                for l in &sale.lines {
                    let item = crate::catalog::by_code(txn, &l.sku).await?;
                    let moves = match &item {
                        Some(i) => crate::catalog::stock_moves(i, sign * l.qty as i64),
                        None => vec![(l.sku.clone(), sign * l.qty as i64)],
                    };
                    for (sku, d) in moves.into_iter().filter(|(s, _)| fresh.contains(s.as_str())) {
                        txn.execute_raw(stmt(
                            "UPDATE items SET stock = stock + ? WHERE sku = ?",
                            vec![d.into(), sku.into()],
                        ))
                        .await?;
                    }
                }
            }
        } else {
            for e in stock_by_id(txn, std::slice::from_ref(&id)).await? {
                if !fresh.contains(e.sku.as_str()) {
                    continue;
                }
                let sql = match e.kind {
                    StockKind::Received => "UPDATE items SET stock = stock + ? WHERE sku = ?",
                    StockKind::Counted => "UPDATE items SET stock = ? WHERE sku = ?",
                };
                txn.execute_raw(stmt(sql, vec![e.qty.into(), e.sku.into()])).await?;
            }
        }
    }
    Ok(())
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

async fn sales_by_id(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<Sale>, PosError> {
    let rows = db
        .query_all_raw(stmt(
            &format!("SELECT payload FROM sales WHERE id IN ({})", placeholders(ids.len())),
            ids.iter().map(|i| i.clone().into()).collect(),
        ))
        .await?;
    let mut by_id = std::collections::HashMap::new();
    for r in rows {
        let s: Sale = serde_json::from_str(&r.try_get::<String>("", "payload")?)?;
        by_id.insert(s.id.clone(), s);
    }
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

async fn stock_by_id(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<StockEvent>, PosError> {
    let rows = db
        .query_all_raw(stmt(
            &format!("SELECT id, sku, kind, qty, at FROM stock_events WHERE id IN ({})", placeholders(ids.len())),
            ids.iter().map(|i| i.clone().into()).collect(),
        ))
        .await?;
    let mut by_id = std::collections::HashMap::new();
    for r in rows {
        let kind: String = r.try_get("", "kind")?;
        let e = StockEvent {
            id: r.try_get("", "id")?,
            sku: r.try_get("", "sku")?,
            kind: if kind == "counted" { StockKind::Counted } else { StockKind::Received },
            qty: r.try_get("", "qty")?,
            at: r.try_get("", "at")?,
        };
        by_id.insert(e.id.clone(), e);
    }
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

/// What the marketplace hands a till for its one-time pairing code.
pub struct Pairing {
    pub server: String,
    pub token: String,
    pub device_id: i64,
    pub showroom_code: String,
    pub showroom_name: String,
}

/// Exchanges the office's one-time code for a device token; nothing is stored here (the caller saves
/// it with the manager in one transaction, so a failure half-way leaves a till that can be set up again).
pub async fn exchange_code(link: &Link, server: &str, code: &str) -> Result<Pairing, SyncError> {
    let server = server.trim().trim_end_matches('/').to_string();
    let res =
        link.http.post(format!("{server}/sync/v1/pair")).json(&serde_json::json!({"code": code.trim()})).send().await?;
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    if !status.is_success() {
        let msg = body["message"].as_str().unwrap_or("Ghép máy thất bại / Pairing failed").to_string();
        return Err(SyncError::Server { status: status.as_u16(), body: msg });
    }
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    Ok(Pairing {
        server,
        token: text("token"),
        device_id: body["device_id"].as_i64().unwrap_or(0),
        showroom_code: text("showroom_code"),
        showroom_name: text("showroom_name"),
    })
}

/// A grid photo is a small rendition (320 px); anything larger is not what was asked for.
const MAX_PHOTO_BYTES: usize = 512 * 1024;

/// The file extension a photo is kept under, for the image types the till serves back.
pub fn photo_extension(content_type: &str) -> Option<&'static str> {
    match content_type.split(';').next().unwrap_or_default().trim() {
        "image/webp" => Some("webp"),
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        _ => None,
    }
}

/// What is wrong with a typed marketplace address, in words for the setup form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    Scheme(String),
    Host(String),
    Port(String),
}

impl AddressProblem {
    pub fn message(&self) -> String {
        match self {
            AddressProblem::Empty => "Cần địa chỉ chợ, ví dụ cho-ocop.example.vn hoặc 192.168.1.10:3000. / The marketplace address is needed, e.g. cho-ocop.example.vn or 192.168.1.10:3000.".into(),
            AddressProblem::Scheme(s) => format!("Địa chỉ chợ chỉ dùng http:// hoặc https://, không phải “{s}://”. / The address must use http:// or https://, not “{s}://”."),
            AddressProblem::Host(h) => format!("Phần tên máy “{h}” không hợp lệ. / The host part “{h}” is not valid."),
            AddressProblem::Port(p) => format!("Cổng “{p}” không hợp lệ (1–65535). / The port “{p}” is not valid (1-65535)."),
        }
    }
}

/// The marketplace's base URL from what staff typed: a URL, or just `host` / `host:port`. Without a
/// scheme, a name on the local network (an IP address, `localhost`, a name without dots or ending
/// in `.local`) is reached over http and anything else over https.
pub fn marketplace_url(typed: &str) -> Result<String, AddressProblem> {
    let typed = typed.trim().trim_end_matches('/');
    if typed.is_empty() {
        return Err(AddressProblem::Empty);
    }
    let (scheme, rest) = match typed.split_once("://") {
        Some((s, rest)) => {
            let s = s.to_ascii_lowercase();
            if s != "http" && s != "https" {
                return Err(AddressProblem::Scheme(s));
            }
            (Some(s), rest)
        }
        None => (None, typed),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') && h.ends_with(']') => (h, Some(p)),
        _ => (authority, None),
    };
    if let Some(p) = port
        && !matches!(p.parse::<u32>(), Ok(1..=65535))
    {
        return Err(AddressProblem::Port(p.to_string()));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let ip = bare.parse::<std::net::IpAddr>().ok();
    let name_ok = !bare.is_empty()
        && bare.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
        });
    if ip.is_none() && !name_ok {
        return Err(AddressProblem::Host(host.to_string()));
    }
    let local =
        ip.is_some() || bare.eq_ignore_ascii_case("localhost") || !bare.contains('.') || bare.ends_with(".local");
    let scheme = scheme.unwrap_or_else(|| if local { "http".into() } else { "https".into() });
    let url = format!("{scheme}://{rest}");
    reqwest::Url::parse(&url).map_err(|_| AddressProblem::Host(host.to_string()))?;
    Ok(url)
}

/// Receipt numbers start with the showroom's code (cut to 12 characters, so a number stays within
/// the 40 the marketplace accepts) and the device id, which no other till has.
pub fn receipt_prefix(showroom_code: &str, device_id: i64) -> String {
    format!("{}-{device_id}", showroom_code.chars().take(12).collect::<String>())
}

pub async fn save_pairing(txn: &impl ConnectionTrait, p: &Pairing) -> Result<(), PosError> {
    set_setting(txn, "server_url", &p.server).await?;
    set_setting(txn, "token", &p.token).await?;
    set_setting(txn, "showroom_code", &p.showroom_code).await?;
    set_setting(txn, "showroom_name", &p.showroom_name).await?;
    set_setting(txn, "device_id", &p.device_id.to_string()).await?;
    set_setting(txn, "prefix", &receipt_prefix(&p.showroom_code, p.device_id)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn receipt_numbers_fit_what_the_marketplace_accepts_whatever_the_showroom_code() {
        let long = "SR-".to_string() + &"X".repeat(29);
        let no = format!("{}-{:06}", super::receipt_prefix(&long, 123_456), 999_999);
        assert!(no.len() <= 40, "{no}");
        assert_eq!(super::receipt_prefix("SR-MUINE", 3), "SR-MUINE-3");
    }
    #[test]
    fn a_marketplace_address_is_read_as_staff_type_it() {
        use super::{AddressProblem, marketplace_url};
        assert_eq!(marketplace_url("127.0.0.1:3000").unwrap(), "http://127.0.0.1:3000");
        assert_eq!(marketplace_url("localhost:3000/").unwrap(), "http://localhost:3000");
        assert_eq!(marketplace_url("quay-chinh.local:8080").unwrap(), "http://quay-chinh.local:8080");
        assert_eq!(marketplace_url("cho-ocop.example.vn").unwrap(), "https://cho-ocop.example.vn");
        assert_eq!(marketplace_url(" HTTPS://cho.example.vn/ ").unwrap(), "https://cho.example.vn");
        assert_eq!(marketplace_url("http://10.0.0.5:3000").unwrap(), "http://10.0.0.5:3000");
        assert_eq!(marketplace_url(""), Err(AddressProblem::Empty));
        assert_eq!(marketplace_url("ftp://cho.example.vn"), Err(AddressProblem::Scheme("ftp".into())));
        assert_eq!(marketplace_url("cho.example.vn:99999"), Err(AddressProblem::Port("99999".into())));
        assert_eq!(marketplace_url("127.0.0.1:abc"), Err(AddressProblem::Port("abc".into())));
        assert_eq!(marketplace_url("chợ ocop"), Err(AddressProblem::Host("chợ ocop".into())));
    }
}
