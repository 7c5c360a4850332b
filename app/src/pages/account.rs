//! Sign-up, sign-in and the account page. A refused form is rendered again by the server with the
//! messages beside their fields and what was typed (never the password) kept.

use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::get_account;
use crate::components::Notice;
use crate::i18n::{Lang, use_lang};

pub use crate::form::FormState;
use crate::form::{error_for, form_state};

fn notices(lang: Lang, s: &FormState) -> impl IntoView + use<> {
    let from_query = match use_query_map().read_untracked().get("notice").as_deref() {
        Some("signed_out") => Some(("ok", "Bạn đã đăng xuất.", "You are signed out.")),
        Some("everywhere") => Some(("ok", "Đã đăng xuất trên mọi thiết bị.", "Signed out on every device.")),
        Some("welcome") => Some(("ok", "Tài khoản đã được tạo.", "Your account is ready.")),
        Some("sent") => Some((
            "ok",
            "Nếu tài khoản có email, chúng tôi đã gửi liên kết đặt lại mật khẩu (hiệu lực 60 phút).",
            "If the account has an email address, a reset link is on its way (valid 60 minutes).",
        )),
        Some("reset") => Some(("ok", "Đã đổi mật khẩu. Hãy đăng nhập lại.", "Password changed. Please sign in again.")),
        _ => None,
    };
    s.notice.or(from_query).map(|(kind, vi, en)| view! { <Notice kind=kind><p>{lang.t(vi, en)}</p></Notice> })
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Đăng nhập — OCOP", "Sign in — OCOP")/>
        <h1>{lang.t("Đăng nhập", "Sign in")}</h1>
        {notices(lang, &s)}
        <form method="post" action="/account/sign-in" class="lookup">
            <label for="login">{lang.t("Email hoặc số điện thoại", "Email or phone")}</label>
            <input id="login" name="login" value=s.value("login") maxlength="254" autocomplete="username" required/>
            {error_for(lang, &s, "login")}
            <label for="password">{lang.t("Mật khẩu", "Password")}</label>
            <input id="password" name="password" type="password" maxlength="128" autocomplete="current-password" required/>
            {error_for(lang, &s, "password")}
            <button type="submit" class="button primary">{lang.t("Đăng nhập", "Sign in")}</button>
        </form>
        <p>{lang.t("Chưa có tài khoản? ", "No account yet? ")}<a href="/account/sign-up">{lang.t("Đăng ký", "Sign up")}</a>
           " · "<a href="/account/reset">{lang.t("Quên mật khẩu?", "Forgot your password?")}</a></p>
    }
}

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Quên mật khẩu — OCOP", "Forgot password — OCOP")/>
        <h1>{lang.t("Quên mật khẩu", "Forgot your password")}</h1>
        {notices(lang, &s)}
        <form method="post" action="/account/reset" class="lookup">
            <label for="login">{lang.t("Email hoặc số điện thoại", "Email or phone")}</label>
            <input id="login" name="login" maxlength="254" autocomplete="username" required/>
            <button type="submit" class="button primary">{lang.t("Gửi liên kết đặt lại", "Send a reset link")}</button>
        </form>
        <p class="muted">{lang.t("Tài khoản chỉ có số điện thoại: liên hệ văn phòng OCOP để đặt lại.", "Phone-only accounts: ask the OCOP office to reset it.")}</p>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let token = leptos_router::hooks::use_params_map().read_untracked().get("token").unwrap_or_default();
    view! {
        <PageTitle text=lang.t("Đặt mật khẩu mới — OCOP", "New password — OCOP")/>
        <h1>{lang.t("Đặt mật khẩu mới", "Choose a new password")}</h1>
        {notices(lang, &s)}
        {error_for(lang, &s, "token")}
        <form method="post" action=format!("/account/reset/{token}") class="lookup">
            <label for="password">{lang.t("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)")}</label>
            <input id="password" name="password" type="password" maxlength="128" autocomplete="new-password" required/>
            {error_for(lang, &s, "password")}
            <button type="submit" class="button primary">{lang.t("Đổi mật khẩu", "Change password")}</button>
        </form>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Đăng ký — OCOP", "Sign up — OCOP")/>
        <h1>{lang.t("Tạo tài khoản", "Create an account")}</h1>
        {notices(lang, &s)}
        <form method="post" action="/account/sign-up" class="lookup">
            <label for="name">{lang.t("Họ và tên", "Full name")}</label>
            <input id="name" name="name" value=s.value("name") maxlength="100" autocomplete="name" required/>
            {error_for(lang, &s, "name")}
            <label for="login">{lang.t("Email hoặc số điện thoại", "Email or phone")}</label>
            <input id="login" name="login" value=s.value("login") maxlength="254" autocomplete="username" required/>
            {error_for(lang, &s, "login")}
            <label for="password">{lang.t("Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)")}</label>
            <input id="password" name="password" type="password" maxlength="128" autocomplete="new-password" required/>
            {error_for(lang, &s, "password")}
            <button type="submit" class="button primary">{lang.t("Đăng ký", "Sign up")}</button>
        </form>
        <p>{lang.t("Đã có tài khoản? ", "Have an account? ")}<a href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Tài khoản — OCOP", "Account — OCOP")/>
        {notices(lang, &s)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match get_account().await {
                    Ok(Some((a, csrf))) => {
                        let (rvi, ren) = a.role.label();
                        view! {
                            <h1>{lang.t("Tài khoản", "Account")}</h1>
                            <dl class="bank" id="account">
                                <dt>{lang.t("Họ tên", "Name")}</dt><dd id="account-name">{a.name.clone()}</dd>
                                <dt>{lang.t("Đăng nhập bằng", "Signs in with")}</dt><dd>{a.email.clone().or(a.phone.clone())}</dd>
                                <dt>{lang.t("Vai trò", "Role")}</dt><dd id="account-role">{lang.t(rvi, ren)}</dd>
                            </dl>
                            {match a.role {
                                domain::account::Role::Producer => Some(view! {
                                    <p><a class="button primary" href="/portal" id="to-portal">{lang.t("Vào cổng chủ thể", "Open the producer portal")}</a></p>
                                }.into_any()),
                                domain::account::Role::Admin => Some(view! {
                                    <p><a class="button primary" href="/office" id="to-office">{lang.t("Vào trang văn phòng OCOP", "Open the OCOP office pages")}</a>" "
                                       <a class="button ghost" href="/portal/combos">{lang.t("Combo tuyển chọn", "Curated combos")}</a></p>
                                }.into_any()),
                                _ => None,
                            }}
                            <form method="post" action="/account/sign-out">
                                <input type="hidden" name="csrf" value=csrf.clone()/>
                                <button type="submit" class="button">{lang.t("Đăng xuất", "Sign out")}</button>
                            </form>
                            <form method="post" action="/account/sign-out-everywhere">
                                <input type="hidden" name="csrf" value=csrf/>
                                <button type="submit" class="button ghost">{lang.t("Đăng xuất trên mọi thiết bị", "Sign out on every device")}</button>
                            </form>
                        }
                        .into_any()
                    }
                    Ok(None) => view! {
                        <h1>{lang.t("Tài khoản", "Account")}</h1>
                        <p><a class="button primary" href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a>" "
                           <a class="button ghost" href="/account/sign-up">{lang.t("Đăng ký", "Sign up")}</a></p>
                    }
                    .into_any(),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}
