//! Sign-up, sign-in and the account page. A refused form is rendered again by the server with the
//! messages beside their fields and what was typed (never the password) kept.

use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{get_account, get_my_orders};
use crate::components::Notice;
use crate::format::vnd;
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
    let account = crate::once::once(get_account());
    view! {
        <PageTitle text=lang.t("Tài khoản — OCOP", "Account — OCOP")/>
        {notices(lang, &s)}
        <Suspense fallback=|| ()>
            {move || { let account = account; Suspend::new(async move {
                match account.await {
                    Ok(Some((a, csrf))) => {
                        let (rvi, ren) = a.role.label();
                        view! {
                            <h1>{lang.t("Tài khoản", "Account")}</h1>
                            <dl class="bank" id="account">
                                <dt>{lang.t("Họ tên", "Name")}</dt><dd id="account-name">{a.name.clone()}</dd>
                                <dt>{lang.t("Đăng nhập bằng", "Signs in with")}</dt><dd>{a.email.clone().or(a.phone.clone())}</dd>
                                <dt>{lang.t("Vai trò", "Role")}</dt><dd id="account-role">{lang.t(rvi, ren)}</dd>
                            </dl>
                            {(a.role == domain::account::Role::Shopper).then(|| view! { <MyOrders/> })}
                            {match a.role {
                                domain::account::Role::Producer => Some(view! {
                                    <p><a class="button primary" href="/portal" id="to-portal">{lang.t("Vào cổng chủ thể", "Open the producer portal")}</a></p>
                                }.into_any()),
                                domain::account::Role::Admin => Some(view! {
                                    <p><a class="button primary" href="/office" id="to-office">{lang.t("Vào trang văn phòng OCOP", "Open the OCOP office pages")}</a>" "
                                       <a class="button ghost" href="/portal/combos">{lang.t("Combo tuyển chọn", "Curated combos")}</a></p>
                                }.into_any()),
                                domain::account::Role::Commune | domain::account::Role::Council => Some(view! {
                                    <p><a class="button primary" href="/office/dossiers" id="to-dossiers">{lang.t("Vào hồ sơ OCOP", "Open the OCOP dossiers")}</a></p>
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
            })}}
        </Suspense>
    }
}

/// "Đơn hàng của tôi": orders placed while signed in, each a link to its page.
#[component]
fn MyOrders() -> impl IntoView {
    let lang = use_lang();
    let orders = crate::once::once(get_my_orders());
    view! {
        <section class="my-orders" id="my-orders">
            <h2>{lang.t("Đơn hàng của tôi", "My orders")}</h2>
            <Suspense fallback=|| ()>
                {move || { let orders = orders; Suspend::new(async move {
                    match orders.await {
                        Ok(orders) if orders.is_empty() => view! {
                            <p class="muted">{lang.t("Bạn chưa có đơn hàng nào. ", "No orders yet. ")}
                                <a href="/products">{lang.t("Xem sản phẩm", "Browse products")}</a></p>
                        }.into_any(),
                        Ok(orders) => view! {
                            <ul class="order-list">
                                {orders.into_iter().map(|o| {
                                    let (svi, sen) = o.status.label();
                                    let href = format!("/orders/{}?key={}", o.number, o.access_key);
                                    let more = (o.more_items > 0).then(|| {
                                        format!("{}{}{}", lang.t(" và ", " and "), o.more_items, lang.t(" sản phẩm khác", " more"))
                                    });
                                    view! {
                                        <li>
                                            <a href=href class="order-row">
                                                <span class="mono">{o.number.clone()}</span>
                                                <span class=format!("badge status-{}", o.status.code())>{lang.t(svi, sen)}</span>
                                                <span class="order-items">{lang.pick(&o.first_item_vi, &o.first_item_en).to_string()}{more}</span>
                                                <span class="muted">{o.placed_at.clone()}</span>
                                                <span class="price">{vnd(o.total)}</span>
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => super::server_error(),
                    }
                })}}
            </Suspense>
        </section>
    }
}
