//! Setting the till up, signing in, and the manager's staff list.

use leptos::prelude::*;

use super::flash;
use crate::staff::Staff;

/// What was typed on the setup form, kept when it is refused (never the PIN).
#[derive(Debug, Clone, Default)]
pub struct SetupForm {
    pub manager_name: String,
    pub server_url: String,
    pub code: String,
    /// Which field the error is about: `manager_name`, `manager_pin`, `server_url` or `code`.
    pub bad: Option<&'static str>,
}

pub fn setup(err: Option<String>, f: SetupForm) -> impl IntoView + use<> {
    let bad = |name: &'static str| if f.bad == Some(name) { "true" } else { "false" };
    view! {
        {flash(err, None)}
        <p>"Quầy chưa được thiết lập. Ghép với chợ OCOP bằng mã của văn phòng, hoặc dùng thử với danh mục mẫu."</p>
        <p lang="en">"This till is not set up yet. Pair it with the marketplace using the office's code, or try it with the sample catalogue."</p>
        <form method="post" action="/setup" class="narrow">
            <fieldset>
                <legend>"Quản lý quầy / Till manager"</legend>
                <div class="row">
                    <label class="stack">"Tên / Name" <input name="manager_name" required maxlength="60" value=f.manager_name aria-invalid=bad("manager_name") /></label>
                    <label class="stack">"Mã PIN (4–8 số) / PIN (4-8 digits)" <input name="manager_pin" type="password" inputmode="numeric" required aria-invalid=bad("manager_pin") /></label>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Ghép máy / Pair"</legend>
                <div class="row">
                    <label class="stack">"Địa chỉ chợ / Marketplace address"
                        <input name="server_url" value=f.server_url size="34" placeholder="cho-ocop.example.vn hoặc / or 192.168.1.10:3000" aria-invalid=bad("server_url") />
                    </label>
                    <label class="stack">"Mã ghép / Pairing code" <input name="code" value=f.code placeholder="XXXXX-XXXXX" autocomplete="off" aria-invalid=bad("code") /></label>
                </div>
                <p><button type="submit" name="mode" value="pair" class="primary">"Ghép máy / Pair"</button></p>
            </fieldset>
            <p><button type="submit" name="mode" value="demo">"Dùng thử / Demo mode"</button></p>
        </form>
    }
}

pub fn signin(staff: Vec<Staff>, err: Option<String>, notice: Option<String>) -> impl IntoView + use<> {
    view! {
        <div class="signin">
            {flash(err, notice)}
            <form method="post" action="/signin" class="card">
                <label class="stack">"Nhân viên / Staff"
                    <select name="staff_id">
                        {staff.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                    </select>
                </label>
                <p><label class="stack">"PIN" <input name="pin" type="password" inputmode="numeric" autofocus required /></label></p>
                <button type="submit" class="primary big">"Đăng nhập / Sign in"</button>
            </form>
        </div>
    }
}

pub fn staff_admin(staff: Vec<Staff>, err: Option<String>, notice: Option<String>) -> impl IntoView + use<> {
    let rows = staff
        .into_iter()
        .map(|s| view! { <tr><td>{s.name}</td><td>{if s.manager { "Quản lý / Manager" } else { "Nhân viên / Staff" }}</td></tr> })
        .collect_view();
    view! {
        {flash(err, notice)}
        <div class="two">
            <table>{rows}</table>
            <form method="post" action="/staff" class="card">
                <h2>"Thêm nhân viên / Add staff"</h2>
                <label class="stack">"Tên / Name" <input name="name" required maxlength="60" /></label>
                <label class="stack">"PIN" <input name="pin" type="password" inputmode="numeric" required /></label>
                <p><label><input type="checkbox" name="manager" value="1" />" Quản lý / Manager"</label></p>
                <button type="submit" class="primary">"Thêm / Add"</button>
            </form>
        </div>
    }
}
