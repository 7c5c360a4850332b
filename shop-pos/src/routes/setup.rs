//! Setting the till up (pairing or demo), staff signing in and out, and the manager's staff list.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect};

use super::{COOKIE, F, PosState, Res, at_till, cookie, field, pin_of, refused, render};
use crate::db::{set_setting, setting};
use crate::pages::{self, Screen, SetupForm};
use crate::sync::SyncError;
use crate::{PosError, catalog, staff, till};

const SETUP: &str = "Thiết lập quầy / Set up the till";

pub(super) async fn setup_page(State(s): State<PosState>) -> Res {
    if setting(&s.db, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let form = SetupForm { server_url: s.config.server_url.clone().unwrap_or_default(), ..Default::default() };
    render(&s, Screen::Other, SETUP, None, pages::setup(None, form)).await
}

pub(super) async fn setup(State(s): State<PosState>, Form(f): F) -> Res {
    if setting(&s.db, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let name = field(&f, "manager_name");
    let pin = field(&f, "manager_pin");
    // What was typed stays on the form (the PIN aside), with the field at fault marked.
    let typed = SetupForm {
        manager_name: name.to_string(),
        server_url: field(&f, "server_url").to_string(),
        code: field(&f, "code").to_string(),
        bad: None,
    };
    let again = |bad: &'static str, msg: String| {
        refused(&s, Screen::Other, SETUP, None, pages::setup(Some(msg), SetupForm { bad: Some(bad), ..typed.clone() }))
    };
    if name.is_empty() || name.chars().count() > 60 {
        return again(
            "manager_name",
            "Cần tên quản lý (tối đa 60 ký tự). / The manager's name is needed (at most 60 characters).".into(),
        )
        .await;
    }
    if !staff::pin_ok(pin) {
        return again("manager_pin", "PIN gồm 4–8 chữ số. / A PIN is 4-8 digits.".into()).await;
    }
    let pairing = match field(&f, "mode") {
        "pair" => {
            let url = match crate::sync::marketplace_url(&typed.server_url) {
                Ok(u) => u,
                Err(p) => return again("server_url", p.message()).await,
            };
            if typed.code.is_empty() {
                return again(
                    "code",
                    "Cần mã ghép do văn phòng OCOP cấp. / The pairing code from the OCOP office is needed.".into(),
                )
                .await;
            }
            match crate::sync::exchange_code(&s.link, &url, &typed.code).await {
                Ok(p) => Some(p),
                Err(SyncError::Server { status, body }) if (400..500).contains(&status) => {
                    return again(
                        "code",
                        format!("Mã ghép không dùng được: {body} / The pairing code was not accepted."),
                    )
                    .await;
                }
                Err(e @ SyncError::Network(_)) => {
                    return again(
                        "server_url",
                        format!("Không kết nối được tới {url}. / Could not reach {url}. ({e})"),
                    )
                    .await;
                }
                Err(e) => return again("server_url", e.to_string()).await,
            }
        }
        "demo" => None,
        _ => return again("manager_name", "Chọn ghép máy hoặc dùng thử. / Choose pair or demo.".into()).await,
    };
    // Settings and manager together, the mode last: a till is either set up or can be set up again.
    let txn = crate::db::write_txn(&s.db).await?;
    if setting(&txn, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    match &pairing {
        Some(p) => crate::sync::save_pairing(&txn, p).await?,
        None => catalog::seed_demo_till(&txn).await?,
    }
    staff::create(&txn, name, pin, true).await?;
    set_setting(&txn, "mode", if pairing.is_some() { "paired" } else { "demo" }).await?;
    txn.commit().await?;
    // The first catalogue pull, now, so the till can sell at once; if it fails or is slow the sync
    // task retries it, and the till is set up either way.
    if pairing.is_some() {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(15), s.link.round(&s.db)).await;
    }
    Ok(Redirect::to("/signin").into_response())
}

pub(super) async fn signin_page(State(s): State<PosState>) -> Res {
    if setting(&s.db, "mode").await?.is_none() {
        return Ok(Redirect::to("/setup").into_response());
    }
    render(&s, Screen::Other, "Đăng nhập / Sign in", None, pages::signin(staff::list(&s.db).await?, None, None)).await
}

pub(super) async fn signin(State(s): State<PosState>, Form(f): F) -> Res {
    let id: i64 = field(&f, "staff_id").parse().unwrap_or(0);
    match pin_of(&s, id, field(&f, "pin")).await? {
        Ok(st) => {
            let token = staff::start_session(&s.db, st.id).await?;
            let mut r = Redirect::to("/").into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"))
                    .expect("cookie is ASCII"),
            );
            Ok(r)
        }
        Err(msg) => {
            let list = staff::list(&s.db).await?;
            refused(&s, Screen::Other, "Đăng nhập / Sign in", None, pages::signin(list, Some(msg), None)).await
        }
    }
}

pub(super) async fn signout(State(s): State<PosState>, headers: HeaderMap) -> Res {
    if let Some(t) = cookie(&headers) {
        staff::end_session(&s.db, &t).await?;
    }
    let (unsynced, _) = till::unsynced(&s.db).await?;
    let note = (unsynced > 0).then(|| {
        format!("Đã đăng xuất. {unsynced} giao dịch chưa đồng bộ vẫn được giữ trên quầy. / Signed out. {unsynced} unsynced entries are kept on this till.")
    });
    let mut r = render(
        &s,
        Screen::Other,
        "Đăng nhập / Sign in",
        None,
        pages::signin(staff::list(&s.db).await?, None, note.or_else(|| Some("Đã đăng xuất. / Signed out.".into()))),
    )
    .await?;
    r.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static("pos_sid=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    Ok(r)
}

pub(super) async fn staff_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let st = staff_or_redirect!(s, headers);
    if !st.manager {
        return Err(PosError::Forbidden);
    }
    render(&s, Screen::Staff, "Nhân viên / Staff", Some(&st), pages::staff_admin(staff::list(&s.db).await?, None, None))
        .await
}

pub(super) async fn add_staff(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    if !st.manager {
        return Err(PosError::Forbidden);
    }
    let name = field(&f, "name");
    let pin = field(&f, "pin");
    let taken = staff::list(&s.db).await?.iter().any(|x| x.name == name);
    let err = if name.is_empty() || name.chars().count() > 60 {
        Some("Cần tên (tối đa 60 ký tự). / A name is needed (at most 60 characters).")
    } else if taken {
        Some("Tên này đã có. / This name is taken.")
    } else if !staff::pin_ok(pin) {
        Some("PIN gồm 4–8 chữ số. / A PIN is 4-8 digits.")
    } else {
        None
    };
    if let Some(e) = err {
        return refused(
            &s,
            Screen::Staff,
            "Nhân viên / Staff",
            Some(&st),
            pages::staff_admin(staff::list(&s.db).await?, Some(e.into()), None),
        )
        .await;
    }
    staff::create(&s.db, name, pin, field(&f, "manager") == "1").await?;
    let notice = format!("Đã thêm {name}. / Added.");
    render(
        &s,
        Screen::Staff,
        "Nhân viên / Staff",
        Some(&st),
        pages::staff_admin(staff::list(&s.db).await?, None, Some(notice)),
    )
    .await
}
