//! The office's JSON API for orders and payments, until office accounts arrive (issue 4): a bearer
//! token from `OFFICE_TOKEN`, off when unset. Not cookie-based, so cross-site forms cannot use it.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use domain::order::{OrderStatus, PaymentMethod};
use serde::Deserialize;
use serde_json::json;

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/api/orders/{number}/status", post(set_status))
        .route("/office/api/orders/{number}/mark-paid", post(mark_paid))
        .route("/office/api/statements", post(import_statement))
        .route("/office/api/expire-unpaid", post(expire_now))
        .route("/office/certificates/{number}/revoke", post(revoke))
        .route("/office/certificates", post(record))
        .route("/office/producers", post(create_producer))
        .route("/office/producers/{id}", post(update_producer))
        .route("/office/producers/{id}/tax", post(set_tax))
        .route("/office/users/{id}/role", post(set_role))
        .route("/office/users/invite", post(invite))
        .route("/office/showrooms", post(create_showroom))
        .route("/office/showrooms/{id}/devices", post(add_device))
        .route("/office/devices/{id}/revoke", post(revoke_device))
        .route("/office/channels/{id}/review", post(review_channel))
        .route("/portal/channels", post(declare_channel))
}

use crate::forms::Posted;
use store::admin::{ProducerForm, RoleForm, ShowroomForm};

/// Reads an office form and checks the session, its CSRF token and the office role.
pub(crate) async fn office_form<T: serde::de::DeserializeOwned + Default>(
    state: &AppState,
    req: axum::extract::Request,
) -> Result<(axum::http::request::Parts, domain::account::Account, T), AppError> {
    let (parts, f): (_, Posted<T>) = crate::forms::read_form(req).await?;
    let actor = crate::portal::acting(state, &parts.headers, &f.csrf).await?;
    if actor.role != domain::account::Role::Admin {
        return Err(AppError::Forbidden);
    }
    Ok((parts, actor, f.form))
}

fn producer_values(f: &ProducerForm) -> Vec<(String, String)> {
    [
        ("name", &f.name),
        ("kind", &f.kind),
        ("district", &f.district),
        ("province", &f.province),
        ("commune", &f.commune),
        ("contact_name", &f.contact_name),
        ("phone", &f.phone),
        ("email", &f.email),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn save_producer(state: AppState, id: Option<i64>, req: axum::extract::Request) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, ProducerForm) = office_form(&state, req).await?;
    let form = id.map(|id| format!("producer-{id}")).unwrap_or_else(|| "producer-new".into());
    match store::admin::save_producer(&state.store, &actor, id, &f).await? {
        Ok(_) => Ok(axum::response::Redirect::to("/office/producers?notice=saved").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/office/producers", &form, producer_values(&f), r).await,
    }
}

async fn create_producer(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    save_producer(state, None, req).await
}

async fn update_producer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    save_producer(state, Some(id), req).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct TaxForm {
    status: String,
    tax_code: String,
    reason: String,
}

/// The producer's withholding status and tax code (Decree 117), on its statement's page.
async fn set_tax(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, TaxForm) = office_form(&state, req).await?;
    let Some(status) = domain::tax::TaxStatus::parse(&f.status) else {
        return Err(AppError::BadForm("status", "Tình trạng thuế không hợp lệ.", "Unknown tax status."));
    };
    let page = format!("/office/producers/{id}/statement");
    let typed = vec![
        ("status".into(), f.status.clone()),
        ("tax_code".into(), f.tax_code.clone()),
        ("reason".into(), f.reason.clone()),
    ];
    match store::tax::set_status(&state.store, &actor, id, status, &f.tax_code, &f.reason).await? {
        Ok(()) => Ok(axum::response::Redirect::to(&format!("{page}?notice=saved#tax")).into_response()),
        Err(r) => crate::portal::refused(&state, &parts, &page, "tax", typed, r).await,
    }
}

async fn set_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, RoleForm) = office_form(&state, req).await?;
    match store::admin::set_role(&state.store, &actor, id, &f).await? {
        Ok(()) => Ok(axum::response::Redirect::to("/office/users?notice=saved").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/office/users", &format!("user-{id}"), Vec::new(), r).await,
    }
}

async fn create_showroom(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, ShowroomForm) = office_form(&state, req).await?;
    let typed =
        vec![("code".into(), f.code.clone()), ("name".into(), f.name.clone()), ("address".into(), f.address.clone())];
    match store::admin::create_showroom(&state.store, &actor, &f).await? {
        Ok(_) => Ok(axum::response::Redirect::to("/office/showrooms?notice=saved").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/office/showrooms", "showroom-new", typed, r).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeviceForm {
    name: String,
}

/// Adds a device and shows its pairing code on the showrooms page, this once.
async fn add_device(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, DeviceForm) = office_form(&state, req).await?;
    let form = format!("device-{id}");
    match store::admin::add_device(&state.store, &actor, id, &f.name).await? {
        Ok(code) => {
            let shown = app::form::FormState {
                values: vec![("pairing_code".into(), code), ("name".into(), f.name)],
                form: Some(form),
                ..Default::default()
            };
            let mut res = crate::forms::again(
                &state,
                crate::forms::get_request_at(&parts, "/office/showrooms"),
                axum::http::StatusCode::OK,
                shown,
            )
            .await;
            // The code is a secret: never stored by a browser or proxy cache.
            res.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(r) => {
            crate::portal::refused(&state, &parts, "/office/showrooms", &form, vec![("name".into(), f.name)], r).await
        }
    }
}

/// Invites a person by email: their account, and a link to set a password through the outbox.
async fn invite(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, store::invitations::InviteForm) = office_form(&state, req).await?;
    match store::invitations::invite(&state.store, &actor, &f, &state.public_url).await? {
        Ok(_) => {
            let to = format!("/office/users?notice=invited&q={}", app::format::encode(f.email.trim()));
            Ok(axum::response::Redirect::to(&to).into_response())
        }
        Err(r) => {
            let typed = [
                ("name", &f.name),
                ("email", &f.email),
                ("role", &f.role),
                ("producer_id", &f.producer_id),
                ("showroom_id", &f.showroom_id),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            crate::portal::refused(&state, &parts, "/office/users", "invite", typed, r).await
        }
    }
}

async fn revoke_device(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (_, actor, _): (_, _, DeviceForm) = office_form(&state, req).await?;
    store::admin::revoke_device(&state.store, &actor, id).await?.map_err(crate::portal::refusal_status)?;
    Ok(axum::response::Redirect::to("/office/showrooms?notice=revoked").into_response())
}

/// Records a new certificate, a renewal or an upgrade.
async fn record(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    let (parts, f): (_, Posted<domain::cert_record::CertForm>) = crate::forms::read_form(req).await?;
    let actor = crate::portal::acting(&state, &parts.headers, &f.csrf).await?;
    if actor.role != domain::account::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let c = &f.form;
    let typed = [
        ("product_id", &c.product_id),
        ("kind", &c.kind),
        ("number", &c.number),
        ("stars", &c.stars),
        ("score", &c.score),
        ("decided_on", &c.decided_on),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let outcome = match c.parse(state.store.today()) {
        Ok(input) => store::certificates::record(&state.store, &actor, &input).await?,
        Err(errors) => Err(store::listings::Refusal::Invalid(errors)),
    };
    match outcome {
        Ok(_) => Ok(axum::response::Redirect::to("/office/certificates?notice=recorded").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/office/certificates", "record", typed, r).await,
    }
}

#[derive(Deserialize, Default)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

/// Revokes a certificate from its confirmation page: an office session, its CSRF token, and a
/// reason; a missing reason brings the confirmation back with the message beside the field.
async fn revoke(
    State(state): State<AppState>,
    Path(number): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, RevokeForm) = office_form(&state, req).await?;
    use store::office::Refused;
    match store::office::revoke_certificate(&state.store, &actor, &number, &f.reason, state.store.today()).await? {
        Ok(()) => Ok(axum::response::Redirect::to("/office/certificates?notice=revoked").into_response()),
        Err(Refused::NotOffice) => Err(AppError::Forbidden),
        Err(Refused::NoSuchCertificate) => Err(AppError::NotFound),
        Err(Refused::AlreadyRevoked) => {
            Err(AppError::Conflict("Giấy chứng nhận đã bị thu hồi / already revoked".into()))
        }
        Err(Refused::ReasonNeeded) => {
            let form = app::form::FormState {
                values: vec![("reason".into(), f.reason)],
                errors: vec![domain::address::FieldError {
                    field: "reason".into(),
                    message_vi: "Cần ghi lý do thu hồi (5–500 ký tự).".into(),
                    message_en: "A reason for revoking is needed (5-500 characters).".into(),
                }],
                form: Some("revoke".into()),
                ..Default::default()
            };
            let at = format!("/office/certificates/{}/revoke", app::format::encode(&number));
            let req = crate::forms::get_request_at(&parts, &at);
            Ok(crate::forms::again(&state, req, axum::http::StatusCode::UNPROCESSABLE_ENTITY, form).await)
        }
    }
}

pub(crate) fn authorise(state: &AppState, headers: &HeaderMap) -> Result<String, AppError> {
    let Some(expected) = &state.office_token else { return Err(AppError::NotFound) };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if store::sql::same_secret(given, expected) {
        Ok("văn phòng OCOP / OCOP office".into())
    } else {
        Err(AppError::Unauthorised)
    }
}

async fn order_id(state: &AppState, number: &str) -> Result<store::entity::order::Model, AppError> {
    let number = domain::order::parse_order_number(number).ok_or(AppError::NotFound)?;
    store::orders::find_by_number(&state.store.db, &number).await?.ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
    note: Option<String>,
}

async fn set_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Json(body): Json<StatusBody>,
) -> Result<Response, AppError> {
    let actor = authorise(&state, &headers)?;
    let to = OrderStatus::parse(&body.status).ok_or(AppError::BadForm(
        "status",
        "Trạng thái không hợp lệ.",
        "Unknown status.",
    ))?;
    if to == OrderStatus::Paid {
        return Err(AppError::BadForm("status", "Dùng mark-paid để ghi nhận tiền.", "Use mark-paid to record money."));
    }
    let order = order_id(&state, &number).await?;
    match store::orders::transition(&state.store, order.id, to, &actor, body.note.as_deref()).await? {
        Ok(()) => Ok(Json(json!({"number": order.number, "status": to.code()})).into_response()),
        Err(store::orders::Refused::NotAllowed { from, to }) => {
            Err(AppError::Conflict(format!("Không thể chuyển từ {from} sang {to} / cannot move from {from} to {to}")))
        }
        Err(store::orders::Refused::NoSuchOrder) => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct MarkPaid {
    /// Defaults to what is still owed.
    amount: Option<i64>,
    /// The bank's or cashier's reference: the same reference twice is one payment.
    reference: String,
}

async fn mark_paid(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Json(body): Json<MarkPaid>,
) -> Result<Response, AppError> {
    let actor = authorise(&state, &headers)?;
    let order = order_id(&state, &number).await?;
    let reference = body.reference.trim();
    if reference.is_empty() || reference.len() > 120 {
        return Err(AppError::BadForm(
            "reference",
            "Cần mã tham chiếu (1–120 ký tự).",
            "A reference (1-120 characters) is needed.",
        ));
    }
    let external_ref = format!("office:{reference}");
    if store::payments::known(&state.store, &external_ref).await? {
        return Ok(
            Json(json!({"number": order.number, "outcome": store::payments::Outcome::Duplicate})).into_response()
        );
    }
    let amount = body.amount.unwrap_or(order.total - order.paid_amount);
    if amount <= 0 {
        return Err(AppError::BadForm("amount", "Số tiền phải lớn hơn 0.", "The amount must be above 0."));
    }
    let outcome = store::payments::record(
        &state.store,
        store::payments::PaymentIn {
            order_number: Some(order.number.clone()),
            method: PaymentMethod::parse(&order.payment_method).unwrap_or(PaymentMethod::VietQr),
            source: "office".into(),
            external_ref,
            amount,
            detail: None,
            actor,
        },
    )
    .await?;
    Ok(Json(json!({"number": order.number, "outcome": outcome})).into_response())
}

async fn import_statement(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    let actor = authorise(&state, &headers)?;
    match store::statement::import(&state.store, &body, &actor).await? {
        Ok(rows) => Ok(Json(json!({"rows": rows})).into_response()),
        Err(errors) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": "bad_rows",
                "message": "Tệp có dòng lỗi, chưa ghi nhận gì / the file has bad rows; nothing was recorded",
                "rows": errors,
            })),
        )
            .into_response()),
    }
}

/// Runs the expiry job now (it also runs every `JOBS_SECS`).
async fn expire_now(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    authorise(&state, &headers)?;
    let n = store::orders::expire_unpaid(&state.store, chrono::Utc::now()).await?;
    Ok(Json(json!({"expired": n})).into_response())
}

/// A producer member declares a channel outside the marketplace.
async fn declare_channel(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    let (parts, f): (_, Posted<store::channels::ChannelForm>) = crate::forms::read_form(req).await?;
    let actor = crate::portal::acting(&state, &parts.headers, &f.csrf).await?;
    let c = &f.form;
    let typed =
        [("kind", &c.kind), ("name", &c.name), ("evidence", &c.evidence), ("from", &c.from), ("until", &c.until)]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    match store::channels::declare(&state.store, &actor, c).await? {
        Ok(_) => Ok(axum::response::Redirect::to("/portal/channels?notice=saved").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/portal/channels", "channel-new", typed, r).await,
    }
}

async fn review_channel(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, store::channels::ReviewForm) = office_form(&state, req).await?;
    let typed = vec![("note".to_string(), f.note.clone())];
    match store::channels::review(&state.store, &actor, id, &f).await? {
        Ok(()) => Ok(axum::response::Redirect::to("/office/channels?notice=saved").into_response()),
        Err(r) => crate::portal::refused(&state, &parts, "/office/channels", &format!("channel-{id}"), typed, r).await,
    }
}
