//! Sign-up, sign-in and sign-out. A refused form is answered with its page rendered again (with a
//! 4xx status), the messages beside the fields and the typed values kept, never the password.

use app::pages::account::FormState;
use app::session::{SESSION_COOKIE, csrf_ok, header_cookie};
use axum::Router;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::account::{Account, Role};
use domain::address::FieldError;
use serde::Deserialize;
use store::accounts::{NewAccount, SignIn};

use crate::forms::{again, get_request, read_form};
use crate::{AppError, AppState};

/// Password checks (sign-in, sign-up, reset) one source may have under way at once: a person signs
/// in once; a loop from one machine must not take the whole hashing pool from everyone else.
pub const HASHING_PER_SOURCE: usize = 2;

/// A slot for a password check from this request's source, or the answer that it must wait.
fn hashing_slot(state: &AppState, req: &Request) -> Result<security::in_flight::Slot, (StatusCode, FieldError)> {
    state.hashing.enter(&crate::client::source(state, req)).ok_or_else(|| {
        (
            StatusCode::TOO_MANY_REQUESTS,
            message(
                "password",
                "Mạng của bạn đang gửi nhiều yêu cầu đăng nhập cùng lúc. Vui lòng thử lại sau vài giây.",
                "Your network is sending many sign-in requests at once. Please try again in a few seconds.",
            ),
        )
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/sign-up", post(sign_up))
        .route("/account/sign-in", post(sign_in))
        .route("/account/sign-out", post(sign_out))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
        .route("/account/reset", post(request_reset))
        .route("/account/reset/{token}", post(reset))
}

#[derive(Deserialize)]
struct ResetRequest {
    #[serde(default)]
    login: String,
}

async fn request_reset(State(state): State<AppState>, Form(f): Form<ResetRequest>) -> Result<Response, AppError> {
    store::accounts::request_reset(&state.store, &f.login, &state.public_url).await?;
    Ok(Redirect::to("/account/reset?notice=sent").into_response())
}

#[derive(Deserialize)]
struct NewPassword {
    #[serde(default)]
    password: String,
}

async fn reset(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    let slot = hashing_slot(&state, &req);
    let (parts, f): (_, NewPassword) = read_form(req).await?;
    let _slot = match slot {
        Ok(s) => s,
        Err(refusal) => return Ok(refuse(&state, &parts, refusal, Vec::new()).await),
    };
    match store::accounts::reset_password(&state.store, &token, &f.password).await {
        Ok(Ok(())) => Ok(Redirect::to("/account/sign-in?notice=reset").into_response()),
        Ok(Err(e)) => Ok(refuse(&state, &parts, (StatusCode::UNPROCESSABLE_ENTITY, e), Vec::new()).await),
        Err(store::StoreError::Busy) => Ok(refuse(&state, &parts, busy("password"), Vec::new()).await),
        Err(e) => Err(e.into()),
    }
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let c = format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&c).expect("cookie is ASCII")
}

/// Remembers this browser as one its owner signs in from: an HMAC of the account and its password
/// hash, so it names no one to anyone else and a new password forgets it.
const DEVICE_COOKIE: &str = "dev";

fn device_token(state: &AppState, user_id: i64, password_hash: &str) -> String {
    app::session::csrf_token(&state.secret, &format!("device:{user_id}:{password_hash}"))
}

/// Whether the request's device cookie proves an earlier sign-in to this account.
fn known_device<'a>(state: &'a AppState, headers: &'a HeaderMap) -> impl Fn(i64, &str) -> bool + Sync + 'a {
    let cookie = header_cookie(headers, DEVICE_COOKIE).map(str::to_string);
    move |id, hash| {
        cookie.as_deref().is_some_and(|c| app::session::csrf_ok(&state.secret, &format!("device:{id}:{hash}"), c))
    }
}

/// The session cookie lives as long as the session can (its cap); the server ends it sooner when it
/// idles. The device cookie stays a year.
fn signed_in(state: &AppState, to: &str, token: &str, account: &Account, password_hash: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let age = account.role.session_limits().max.num_seconds();
    res.headers_mut().append(header::SET_COOKIE, session_cookie(token, age, state.secure_cookies));
    let device = format!(
        "{DEVICE_COOKIE}={}; Path=/account; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
        device_token(state, account.id, password_hash),
        if state.secure_cookies { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&device) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn message(field: &str, vi: impl Into<String>, en: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }
}

/// What a form says when password hashing is at capacity: nothing happened, try again.
fn busy(field: &str) -> (StatusCode, FieldError) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        message(
            field,
            "Hệ thống đang bận. Vui lòng thử lại sau vài giây.",
            "We are busy right now. Please try again in a few seconds.",
        ),
    )
}

/// A refused account form, its page rendered again with `values` kept; a 503 says when to retry.
async fn refuse(
    state: &AppState,
    parts: &axum::http::request::Parts,
    (status, error): (StatusCode, FieldError),
    values: Vec<(String, String)>,
) -> Response {
    let form = FormState { values, errors: vec![error], notice: None, form: None };
    let mut res = again(state, get_request(parts), status, form).await;
    if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    res
}

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn sign_up(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let source = crate::client::source(&state, &req);
    let slot = hashing_slot(&state, &req);
    let (parts, f): (_, SignUpForm) = read_form(req).await?;
    let values = vec![("name".to_string(), f.name.clone()), ("login".to_string(), f.login.clone())];
    let _slot = match slot {
        Ok(s) => s,
        Err(refusal) => return Ok(refuse(&state, &parts, refusal, values).await),
    };
    let limit = store::accounts::SIGN_UP;
    // Counted first: sign-up must say when a login is taken, so how often a source may ask is limited.
    if !store::limits::allow(&state.store.db, &format!("sign-up:{source}"), limit, chrono::Utc::now()).await? {
        let error = message(
            "login",
            format!("Quá nhiều lần đăng ký từ mạng của bạn. Vui lòng thử lại sau {} phút.", limit.minutes()),
            format!("Too many sign-ups from your network. Please try again in {} minutes.", limit.minutes()),
        );
        return Ok(refuse(&state, &parts, (StatusCode::TOO_MANY_REQUESTS, error), values).await);
    }
    let created = store::accounts::create(
        &state.store.db,
        NewAccount {
            name: &f.name,
            login: &f.login,
            password: &f.password,
            role: Role::Shopper,
            producer_id: None,
            showroom_id: None,
        },
    )
    .await;
    match created {
        Ok(Ok(_)) => match store::accounts::sign_in(&state.store, &f.login, &f.password, &|_, _| false).await {
            Ok(SignIn::Ok { token, account, password_hash }) => {
                Ok(signed_in(&state, "/account?notice=welcome", &token, &account, &password_hash))
            }
            _ => Ok(Redirect::to("/account/sign-in").into_response()),
        },
        Ok(Err(errors)) => {
            let form = FormState { values, errors, notice: None, form: None };
            Ok(again(&state, get_request(&parts), StatusCode::UNPROCESSABLE_ENTITY, form).await)
        }
        Err(store::StoreError::Busy) => Ok(refuse(&state, &parts, busy("password"), values).await),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn sign_in(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let slot = hashing_slot(&state, &req);
    let (parts, f): (_, SignInForm) = read_form(req).await?;
    let values = vec![("login".to_string(), f.login.clone())];
    let _slot = match slot {
        Ok(s) => s,
        Err(refusal) => return Ok(refuse(&state, &parts, refusal, values).await),
    };
    let known = known_device(&state, &parts.headers);
    let refusal = match store::accounts::sign_in(&state.store, &f.login, &f.password, &known).await {
        Ok(SignIn::Ok { token, account, password_hash }) => {
            return Ok(signed_in(&state, account.home(), &token, &account, &password_hash));
        }
        Ok(SignIn::BadCredentials) => (
            StatusCode::UNAUTHORIZED,
            message("password", "Sai email/số điện thoại hoặc mật khẩu.", "Wrong email/phone or password."),
        ),
        Ok(SignIn::Throttled { minutes }) => (
            StatusCode::TOO_MANY_REQUESTS,
            message(
                "password",
                format!("Sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."),
                format!("Too many failed attempts. Please try again in {minutes} minutes."),
            ),
        ),
        Err(store::StoreError::Busy) => busy("password"),
        Err(e) => return Err(e.into()),
    };
    Ok(refuse(&state, &parts, refusal, values).await)
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn session_token(state: &AppState, headers: &HeaderMap, csrf: &str) -> Result<String, AppError> {
    let sid = header_cookie(headers, SESSION_COOKIE).ok_or(AppError::Forbidden)?;
    if !csrf_ok(&state.secret, &format!("sid:{sid}"), csrf) {
        return Err(AppError::Forbidden);
    }
    Ok(sid.to_string())
}

fn signed_out(to: &str, secure: bool) -> Response {
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(header::SET_COOKIE, session_cookie("", 0, secure));
    res
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let sid = session_token(&state, &headers, &f.csrf)?;
    store::accounts::sign_out(&state.store.db, &sid).await?;
    Ok(signed_out("/account/sign-in?notice=signed_out", state.secure_cookies))
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let sid = session_token(&state, &headers, &f.csrf)?;
    if let Some(a) = store::accounts::session_account(&state.store.db, &sid).await? {
        store::accounts::sign_out_everywhere(&state.store.db, a.id).await?;
    }
    Ok(signed_out("/account/sign-in?notice=everywhere", state.secure_cookies))
}
