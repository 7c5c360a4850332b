//! Sign-up, sign-in and sign-out. A refused form is answered with its page rendered again (with a
//! 4xx status), the messages beside the fields and the typed values kept, never the password.

use app::pages::account::FormState;
use app::session::{SESSION_COOKIE, csrf_ok, header_cookie};
use axum::Router;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::account::Role;
use domain::address::FieldError;
use serde::Deserialize;
use store::accounts::{NewAccount, SignIn};

use crate::forms::{again, get_request, read_form};
use crate::{AppError, AppState};

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
    let (parts, f): (_, NewPassword) = read_form(req).await?;
    match store::accounts::reset_password(&state.store, &token, &f.password).await? {
        Ok(()) => Ok(Redirect::to("/account/sign-in?notice=reset").into_response()),
        Err(e) => {
            let form = FormState { values: Vec::new(), errors: vec![e], notice: None, form: None };
            Ok(again(&state, get_request(&parts), StatusCode::UNPROCESSABLE_ENTITY, form).await)
        }
    }
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let c = format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&c).expect("cookie is ASCII")
}

fn signed_in(to: &str, token: &str, secure: bool) -> Response {
    let mut res = Redirect::to(to).into_response();
    let age = store::accounts::SESSION_IDLE * 24 * 3600;
    res.headers_mut().append(header::SET_COOKIE, session_cookie(token, age, secure));
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
    let (parts, f): (_, SignUpForm) = read_form(req).await?;
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
    .await?;
    match created {
        Ok(_) => match store::accounts::sign_in(&state.store, &f.login, &f.password).await? {
            SignIn::Ok { token, .. } => Ok(signed_in("/account?notice=welcome", &token, state.secure_cookies)),
            _ => Ok(Redirect::to("/account/sign-in").into_response()),
        },
        Err(errors) => {
            let values = vec![("name".into(), f.name), ("login".into(), f.login)];
            let form = FormState { values, errors, notice: None, form: None };
            Ok(again(&state, get_request(&parts), StatusCode::UNPROCESSABLE_ENTITY, form).await)
        }
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
    let (parts, f): (_, SignInForm) = read_form(req).await?;
    let values = vec![("login".to_string(), f.login.clone())];
    let (status, error) = match store::accounts::sign_in(&state.store, &f.login, &f.password).await? {
        SignIn::Ok { token, .. } => return Ok(signed_in("/account", &token, state.secure_cookies)),
        SignIn::BadCredentials => (
            StatusCode::UNAUTHORIZED,
            FieldError {
                field: "password".into(),
                message_vi: "Sai email/số điện thoại hoặc mật khẩu.".into(),
                message_en: "Wrong email/phone or password.".into(),
            },
        ),
        SignIn::Throttled { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            FieldError {
                field: "password".into(),
                message_vi: format!("Sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."),
                message_en: format!("Too many failed attempts. Please try again in {minutes} minutes."),
            },
        ),
    };
    Ok(again(&state, get_request(&parts), status, FormState { values, errors: vec![error], notice: None, form: None })
        .await)
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
