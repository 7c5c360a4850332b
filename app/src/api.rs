//! Server functions behind the pages. Arguments arrive as strings and are parsed here, so a bad
//! value is a readable 400, never a decode failure.

use domain::listing::{
    CatalogPage, CatalogQuery, CertView, ComboView, Facets, ProducerView, ProductCard, ProductDetail, QueryError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HomeData {
    pub featured: Vec<ProductCard>,
    pub combos: Vec<ComboView>,
    pub facets: Facets,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogData {
    pub query: CatalogQuery,
    pub page: CatalogPage,
    pub facets: Facets,
}

#[cfg(feature = "ssr")]
pub(crate) fn store() -> Result<store::Store, ServerFnError> {
    use_context::<store::Store>().ok_or_else(|| ServerFnError::new("store missing from context"))
}

#[cfg(feature = "ssr")]
pub(crate) fn internal(e: store::StoreError) -> ServerFnError {
    tracing::error!(error = %e, "storefront query failed");
    ServerFnError::new("internal error")
}

/// Parses a raw URL query string the way the JSON API does.
pub fn parse_catalog_query(raw: &str) -> Result<CatalogQuery, QueryError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).map_err(|_| QueryError {
        param: "query".into(),
        message_vi: "địa chỉ tìm kiếm không đọc được".into(),
        message_en: "the search address could not be read".into(),
    })?;
    CatalogQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[server(prefix = "/sfn", endpoint = "home")]
pub async fn get_home() -> Result<HomeData, ServerFnError> {
    let store = store()?;
    let featured_q = CatalogQuery { valid_only: true, per_page: 10, ..Default::default() };
    let featured = store.catalog_page(&featured_q).await.map_err(internal)?;
    let all = store.catalog_page(&CatalogQuery { per_page: 1, ..Default::default() }).await.map_err(internal)?;
    Ok(HomeData {
        featured: featured.items,
        combos: store::catalog::combos(&store.db, None).await.map_err(internal)?,
        facets: store.facets().await.map_err(internal)?,
        total: all.total,
    })
}

#[server(prefix = "/sfn", endpoint = "catalog")]
pub async fn get_catalog(raw_query: String) -> Result<Result<CatalogData, QueryError>, ServerFnError> {
    let store = store()?;
    let query = match parse_catalog_query(&raw_query) {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    let page = store.catalog_page(&query).await.map_err(internal)?;
    let facets = store.facets().await.map_err(internal)?;
    Ok(Ok(CatalogData { query, page, facets }))
}

#[server(prefix = "/sfn", endpoint = "product")]
pub async fn get_product(slug: String) -> Result<Option<ProductDetail>, ServerFnError> {
    let store = store()?;
    store::catalog::product_detail(&store.db, &slug, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "producer")]
pub async fn get_producer(slug: String) -> Result<Option<(ProducerView, Vec<ProductCard>)>, ServerFnError> {
    let store = store()?;
    store::catalog::producer_page(&store.db, &slug, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "certificate")]
pub async fn get_certificate(number: String) -> Result<Option<CertView>, ServerFnError> {
    let store = store()?;
    if number.len() > 64 {
        return Ok(None);
    }
    store::catalog::certificate_by_number(&store.db, &number, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "combo")]
pub async fn get_combo(slug: String) -> Result<Option<ComboView>, ServerFnError> {
    let store = store()?;
    Ok(store::catalog::combos(&store.db, Some(&slug)).await.map_err(internal)?.into_iter().next())
}

/// Absolute base URL for links printed on packages (the certificate QR code).
#[server(prefix = "/sfn", endpoint = "public_url")]
pub async fn get_public_url() -> Result<String, ServerFnError> {
    Ok(use_context::<PublicUrl>().map(|u| u.0).unwrap_or_else(|| "http://127.0.0.1:3000".to_string()))
}

/// Provided by the server from `PUBLIC_URL`.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

/// The agency that makes the programme's reports, as its printed header names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeName {
    pub vi: String,
    pub en: String,
}

impl Default for OfficeName {
    fn default() -> Self {
        OfficeName {
            vi: "Văn phòng Điều phối Chương trình OCOP tỉnh Lâm Đồng".into(),
            en: "OCOP Programme Coordination Office, Lâm Đồng province".into(),
        }
    }
}

/// What the cart page shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CartData {
    pub cart: domain::cart::CartView,
    pub csrf: String,
    pub free_from: Option<i64>,
}

/// What the checkout page shows: the form as last typed, its errors, and a fresh one-time token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckoutData {
    pub cart: domain::cart::CartView,
    pub form: domain::address::CheckoutForm,
    pub errors: Vec<domain::address::FieldError>,
    pub token: String,
    pub csrf: String,
    pub methods: Vec<domain::order::PaymentMethod>,
    pub summary: Option<domain::order::Summary>,
    pub fees: domain::order::FeeTable,
}

#[cfg(feature = "ssr")]
fn csrf_for(cart_id: &str) -> Result<String, ServerFnError> {
    let secret = use_context::<crate::session::Secret>().ok_or_else(|| ServerFnError::new("secret missing"))?;
    Ok(crate::session::csrf_token(&secret.0, cart_id))
}

#[server(prefix = "/sfn", endpoint = "cart")]
pub async fn get_cart() -> Result<CartData, ServerFnError> {
    let store = store()?;
    let free_from = store.commerce.fees.free_from.map(|v| v.0);
    let Some(id) = crate::session::request_cart_id() else {
        return Ok(CartData { cart: Default::default(), csrf: String::new(), free_from });
    };
    let cart = store::cart::view(&store.db, &id).await.map_err(internal)?;
    Ok(CartData { cart, csrf: csrf_for(&id)?, free_from })
}

#[server(prefix = "/sfn", endpoint = "checkout")]
pub async fn get_checkout() -> Result<Option<CheckoutData>, ServerFnError> {
    let store = store()?;
    let Some(id) = crate::session::request_cart_id() else { return Ok(None) };
    let Some(cart_row) = store::cart::find(&store.db, &id).await.map_err(internal)? else { return Ok(None) };
    let cart = store::cart::view(&store.db, &id).await.map_err(internal)?;
    let methods = store.commerce.methods();
    let form = store::orders::draft_of(&cart_row);
    // A draft exists only once the form was sent: then its problems are shown beside the fields.
    let errors = match cart_row.draft {
        Some(_) => form.validate(&methods).err().unwrap_or_default(),
        None => Vec::new(),
    };
    let province = domain::address::province(&form.province).map(|p| p.0);
    let summary = Some(store.commerce.fees.summary(province, domain::Vnd(cart.subtotal())));
    Ok(Some(CheckoutData {
        cart,
        form,
        errors,
        token: cart_row.checkout_token.unwrap_or_default(),
        csrf: csrf_for(&id)?,
        methods,
        summary,
        fees: store.commerce.fees.clone(),
    }))
}

#[server(prefix = "/sfn", endpoint = "order")]
pub async fn get_order(number: String, key: String) -> Result<Option<domain::order::OrderView>, ServerFnError> {
    let store = store()?;
    let Some(number) = domain::order::parse_order_number(&number) else { return Ok(None) };
    store::payments::view(&store, &number, &key).await.map_err(internal)
}

/// The signed-in account and the CSRF token for its forms, from the `sid` cookie.
#[server(prefix = "/sfn", endpoint = "account")]
pub async fn get_account() -> Result<Option<(domain::account::Account, String)>, ServerFnError> {
    session().await
}

/// The signed-in shopper's own orders, newest first (the account page's "My orders").
#[server(prefix = "/sfn", endpoint = "my-orders")]
pub async fn get_my_orders() -> Result<Vec<domain::order::OrderSummary>, ServerFnError> {
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(Vec::new()) };
    store::payments::for_account(&store, account.id, 50).await.map_err(internal)
}

/// The signed-in account and its session's CSRF token, if the request has a live session.
#[cfg(feature = "ssr")]
pub(crate) async fn session() -> Result<Option<(domain::account::Account, String)>, ServerFnError> {
    let store = store()?;
    let Some(sid) = crate::session::request_cookie(crate::session::SESSION_COOKIE) else { return Ok(None) };
    match store::accounts::session_account(&store.db, &sid).await.map_err(internal)? {
        Some(a) => Ok(Some((a, csrf_for(&format!("sid:{sid}"))?))),
        None => Ok(None),
    }
}

/// The portal's home for a producer member: None when signed out; no home when the account is
/// not a producer member.
#[server(prefix = "/sfn", endpoint = "portal")]
pub async fn get_portal()
-> Result<Option<(domain::account::Account, Option<domain::portal::PortalHome>, String)>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    let home = match account.producer_id.filter(|_| account.role == domain::account::Role::Producer) {
        Some(p) => store::portal::home(&store.db, p, store.today()).await.map_err(internal)?,
        None => None,
    };
    Ok(Some((account, home, csrf)))
}

/// The product editor, when the signed-in account may edit the product (else None: the page says
/// it is not found, as it would for a product that does not exist).
#[server(prefix = "/sfn", endpoint = "portal-product")]
pub async fn get_product_editor(id: String) -> Result<Option<(domain::portal::ProductEditor, String)>, ServerFnError> {
    let store = store()?;
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    Ok(store::portal::editor(&store.db, &account, id).await.map_err(internal)?.ok().map(|e| (e, csrf)))
}

/// A product import's progress, for the producer it belongs to.
#[server(prefix = "/sfn", endpoint = "portal-import")]
pub async fn get_import(id: String) -> Result<Option<domain::portal::ImportView>, ServerFnError> {
    let store = store()?;
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let Some((account, _)) = session().await? else { return Ok(None) };
    store::imports::view(&store, &account, id).await.map_err(internal)
}

/// The combos the signed-in account may edit (a member its producer's; the office all).
#[server(prefix = "/sfn", endpoint = "portal-combos")]
pub async fn get_combos() -> Result<Option<(Vec<domain::portal::ComboRow>, String)>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    use domain::account::Role;
    if !matches!(account.role, Role::Producer | Role::Admin) {
        return Ok(None);
    }
    Ok(Some((store::combos::list(&store.db, &account).await.map_err(internal)?, csrf)))
}

/// The combo picker's sizes: those matching `q` (name, SKU or barcode) and those already `chosen`.
#[server(prefix = "/sfn", endpoint = "combo-pick")]
pub async fn get_pickable(
    q: String,
    chosen: Vec<String>,
) -> Result<(Vec<domain::portal::PickItem>, Vec<domain::portal::PickItem>), ServerFnError> {
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok((vec![], vec![])) };
    store::combos::pickable(&store.db, &account, &q, &chosen, 12).await.map_err(internal)
}

/// The office's records (producers, users, showrooms and devices), for an office session only.
#[server(prefix = "/sfn", endpoint = "office")]
pub async fn get_office() -> Result<Option<(domain::portal::OfficeData, String)>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let mut data = store::admin::office_data(&store.db).await.map_err(internal)?;
    data.market_url = get_public_url().await?;
    Ok(Some((data, csrf)))
}

/// The newest 300 audit entries, optionally of one kind of record, for an office session only.
#[server(prefix = "/sfn", endpoint = "office-audit")]
pub async fn get_audit(entity: String) -> Result<Option<Vec<domain::portal::AuditRow>>, ServerFnError> {
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let entity = (!entity.is_empty()).then_some(entity);
    Ok(Some(store::admin::audit_log(&store.db, entity.as_deref(), 1000).await.map_err(internal)?))
}

/// The producer's orders to pack and ship, and those it shipped.
#[server(prefix = "/sfn", endpoint = "portal-orders")]
pub async fn get_portal_orders() -> Result<Option<(Vec<domain::portal::FulfilmentView>, String)>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    let Some(p) = account.producer_id.filter(|_| account.role == domain::account::Role::Producer) else {
        return Ok(None);
    };
    Ok(Some((store::fulfilment::list(&store.db, p, store.today()).await.map_err(internal)?, csrf)))
}

/// A certificate as the office's list shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeCert {
    pub number: String,
    pub product_id: i64,
    pub product: String,
    pub producer: String,
    pub stars: i32,
    pub score: Option<i32>,
    pub kind: String,
    pub status: domain::CertStatus,
    pub decided_on: Option<chrono::NaiveDate>,
    /// Earliest and latest possible last valid day (inclusive).
    pub last_valid_day_range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub revoked_on: Option<chrono::NaiveDate>,
    pub revoke_reason: Option<String>,
}

/// The office's certificate page: every certificate, the products to record one for (id, name,
/// producer), and the CSRF token. None unless an office account is signed in.
#[server(prefix = "/sfn", endpoint = "office-certificates")]
pub async fn get_office_certificates() -> Result<Option<(Vec<OfficeCert>, Vec<(i64, String)>, String)>, ServerFnError> {
    use sea_orm::{EntityTrait, QueryOrder};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let producers: std::collections::HashMap<i64, String> = store::entity::producer::Entity::find()
        .all(&store.db)
        .await
        .map_err(|e| internal(e.into()))?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let products = store::entity::product::Entity::find()
        .order_by_asc(store::entity::product::Column::NameVi)
        .all(&store.db)
        .await
        .map_err(|e| internal(e.into()))?;
    let names: std::collections::HashMap<i64, (String, String)> = products
        .iter()
        .map(|p| {
            (p.id, (p.name_vi.clone(), p.producer_id.and_then(|id| producers.get(&id)).cloned().unwrap_or_default()))
        })
        .collect();
    let today = store.today();
    let certs = store::entity::certificate::Entity::find()
        .order_by_asc(store::entity::certificate::Column::Number)
        .all(&store.db)
        .await
        .map_err(|e| internal(e.into()))?
        .into_iter()
        .map(|c| {
            let dc = store::catalog::domain_cert(&c);
            OfficeCert {
                product: names.get(&c.product_id).map(|n| n.0.clone()).unwrap_or_default(),
                producer: names.get(&c.product_id).map(|n| n.1.clone()).unwrap_or_default(),
                product_id: c.product_id,
                score: c.score,
                decided_on: c.decided_on,
                status: dc.status_on(today),
                last_valid_day_range: dc.last_valid_range(),
                number: c.number,
                stars: c.stars,
                kind: c.kind,
                revoked_on: c.revoked_on,
                revoke_reason: c.revoke_reason,
            }
        })
        .collect();
    let choices = products
        .into_iter()
        .map(|p| {
            let by = p.producer_id.and_then(|id| producers.get(&id)).cloned().unwrap_or_default();
            (p.id, format!("{} — {by}", p.name_vi))
        })
        .collect();
    Ok(Some((certs, choices, csrf)))
}

/// What the programme dashboard shows for a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dashboard {
    pub participation: domain::participation::Participation,
    pub targets: Vec<domain::targets::Target>,
    pub counts: domain::targets::Counts,
    /// SVG charts by the id of the table holding their numbers.
    pub charts: Vec<(String, String)>,
    /// The server's today, around which the period picker offers its choices.
    pub today: chrono::NaiveDate,
    /// Who makes the printed report: the office's name, configured (`OFFICE_NAME_VI`, `OFFICE_NAME_EN`).
    pub office: OfficeName,
}

/// Participation in modern channels for a period (`2026-H1`, `2026`, `2026-01-01..2026-03-31`; the
/// current half-year when empty), for an office session only. Err(message) when the period is unreadable.
#[server(prefix = "/sfn", endpoint = "office-participation")]
pub async fn get_participation(period: String) -> Result<Option<Result<Dashboard, String>>, ServerFnError> {
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let period = match domain::participation::Period::chosen(&period, store.today()) {
        Ok(p) => p,
        Err(e) => return Ok(Some(Err(e))),
    };
    let participation = store::dashboard::participation(&store.db, period).await.map_err(internal)?;
    let (targets, counts) =
        store::dashboard::targets(&store.db, &participation, store.today()).await.map_err(internal)?;
    let charts = dashboard_charts(&participation, &counts);
    let office = use_context::<OfficeName>().unwrap_or_default();
    Ok(Some(Ok(Dashboard { participation, targets, counts, charts, today: store.today(), office })))
}

/// A producer's settlement statement for a period, with where its exports live.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettlementPage {
    pub producer: String,
    pub statement: domain::settlement::Statement,
    /// `/portal/sales/export` for a producer's own, the office's per-producer path otherwise.
    pub export_base: String,
    /// The server's today, around which the period picker offers its choices.
    pub today: chrono::NaiveDate,
    /// For the office: the producer's tax status as it stands (and from tomorrow), its tax code,
    /// its changes (from, status, reason), and the form's token.
    #[serde(default)]
    pub tax: Option<TaxPanel>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaxPanel {
    pub status: domain::tax::TaxStatus,
    pub tax_code: Option<String>,
    pub changes: Vec<(chrono::NaiveDate, domain::tax::TaxStatus, String)>,
    pub csrf: String,
}

/// A producer member's own statement (`producer` None: the session's producer, never another), or
/// any producer's for the office. None when the session may not see it; Err(message) for a bad period.
#[server(prefix = "/sfn", endpoint = "settlement")]
pub async fn get_settlement(
    period: String,
    producer: Option<i64>,
) -> Result<Option<Result<SettlementPage, String>>, ServerFnError> {
    use domain::account::Role;
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    let (id, export_base) = match (producer, account.role, account.producer_id) {
        (Some(id), Role::Admin, _) => (id, format!("/office/producers/{id}/statement/export")),
        (None, Role::Producer, Some(own)) => (own, "/portal/sales/export".to_string()),
        _ => return Ok(None),
    };
    let Some(name) = store::settlement::producer_name(&store.db, id).await.map_err(internal)? else {
        return Ok(None);
    };
    let period = match domain::participation::Period::chosen(&period, store.today()) {
        Ok(p) => p,
        Err(e) => return Ok(Some(Err(e))),
    };
    let statement =
        store::settlement::statement(&store.db, id, period, store.commerce.commission_bps).await.map_err(internal)?;
    let tax = match account.role {
        Role::Admin => {
            let Some((history, tax_code)) = store::tax::history(&store.db, id).await.map_err(internal)? else {
                return Ok(None);
            };
            let changes = store::tax::changes(&store.db, id).await.map_err(internal)?;
            Some(TaxPanel {
                status: history.on(store.today().succ_opt().unwrap_or(store.today())),
                tax_code,
                changes,
                csrf,
            })
        }
        _ => None,
    };
    Ok(Some(Ok(SettlementPage { producer: name, statement, export_base, today: store.today(), tax })))
}

/// Declared channels: a producer member's own (`office` false), or everyone's for the office.
#[server(prefix = "/sfn", endpoint = "channels")]
pub async fn get_channels(office: bool) -> Result<Option<(Vec<domain::portal::ChannelRow>, String)>, ServerFnError> {
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    let scope = match (office, account.role, account.producer_id) {
        (true, domain::account::Role::Admin, _) => None,
        (false, domain::account::Role::Producer, Some(p)) => Some(p),
        _ => return Ok(None),
    };
    Ok(Some((store::channels::list(&store.db, scope).await.map_err(internal)?, csrf)))
}

#[cfg(feature = "ssr")]
fn dashboard_charts(
    p: &domain::participation::Participation,
    counts: &domain::targets::Counts,
) -> Vec<(String, String)> {
    use crate::charts::{Legend, channel_colour, part_of_whole};
    use domain::participation::TARGET_PERCENT;
    let rows = |rows: &[domain::participation::Row], name: &dyn Fn(&str) -> String| {
        (
            rows.iter().map(|r| name(&r.key)).collect::<Vec<_>>(),
            rows.iter().map(|r| r.producers as i64).collect::<Vec<_>>(),
            rows.iter().map(|r| r.selling as i64).collect::<Vec<_>>(),
        )
    };
    let kind = |k: &str| {
        domain::ocop::ProducerKind::parse(k).map(|k| k.name_vi().to_string()).unwrap_or_else(|_| "Chưa rõ".into())
    };
    let stars = |k: &str| k.to_string();
    let mut out = Vec::new();
    let target = Some(TARGET_PERCENT as f64);
    let legend = Legend {
        whole: "Chủ thể OCOP / OCOP producers",
        part: "Đang bán / selling",
        target: Some("Mục tiêu 50% / 50% target"),
    };
    let total = (vec!["Tất cả / All".to_string()], vec![p.producers as i64], vec![p.selling as i64]);
    out.push((
        "participation".to_string(),
        part_of_whole("Kênh hiện đại / Modern channels", &total.0, &total.1, &total.2, target, &legend, None),
    ));
    let (l, w, s) = rows(&p.by_channel, &|k: &str| match k.split_once(':') {
        None => "Trực tuyến / Online".to_string(),
        Some((_, code)) => code.to_string(),
    });
    let colours: Vec<_> = p.by_channel.iter().map(|r| channel_colour(&r.key)).collect();
    let by_channel = Legend { target: None, ..legend };
    out.push((
        "by-channel".into(),
        part_of_whole("Theo kênh / by channel", &l, &w, &s, None, &by_channel, Some(&colours)),
    ));
    let (l, w, s) = rows(&p.by_kind, &kind);
    out.push(("by-kind".into(), part_of_whole("Theo loại chủ thể / by kind", &l, &w, &s, target, &legend, None)));
    let (l, w, s) = rows(&p.by_stars, &stars);
    out.push(("by-stars".into(), part_of_whole("Theo hạng sao / by stars", &l, &w, &s, target, &legend, None)));
    let labels: Vec<String> = counts.showrooms.iter().map(|s| s.code.clone()).collect();
    let sales: Vec<i64> = counts.showrooms.iter().map(|s| s.sales).collect();
    let colours: Vec<_> = counts.showrooms.iter().map(|s| channel_colour(&format!("showroom:{}", s.code))).collect();
    let showrooms = Legend { whole: "", part: "Lần bán (trừ hoàn) / sales less refunds", target: None };
    out.push((
        "showroom-sales".into(),
        part_of_whole(
            "Lần bán theo điểm bán / sales per showroom",
            &labels,
            &sales,
            &sales,
            None,
            &showrooms,
            Some(&colours),
        ),
    ));
    out
}
