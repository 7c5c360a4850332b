//! The producer portal: a home with what needs doing, the product editor (product, variants, stock,
//! photos), a new-product form and the orders to pack and ship. Every form is a plain post; a
//! refused one comes back from the server with messages beside the fields and the typed values.

use crate::raw_text::{PageTitle, TextArea};
use domain::listing_edit::{ProductForm, StockReason};
use domain::ocop::OcopGroup;
use domain::portal::{EditVariant, FulfilmentView, PortalHome, ProductEditor};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{get_portal, get_portal_orders, get_product_editor};
use crate::components::{Notice, stars_text};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::vnd;
use crate::i18n::{Lang, use_lang};

fn notice(lang: Lang) -> Option<impl IntoView + use<>> {
    let (vi, en) = match use_query_map().read_untracked().get("notice").as_deref() {
        Some("photo") => ("Đã nhận ảnh; ảnh hiện ra sau vài giây.", "Photo received; it appears in a few seconds."),
        Some("created") => (
            "Đã tạo sản phẩm. Thêm quy cách, tồn kho và ảnh bên dưới.",
            "Product created. Add sizes, stock and photos below.",
        ),
        Some("saved") => ("Đã lưu.", "Saved."),
        Some("stock") => ("Đã ghi tồn kho.", "Stock recorded."),
        Some("packed") => ("Đã đánh dấu đóng gói.", "Marked as packed."),
        Some("shipped") => ("Đã gửi hàng.", "Marked as shipped."),
        _ => return None,
    };
    Some(view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })
}

fn sign_in_first(lang: Lang) -> AnyView {
    view! { <p><a class="button primary" href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }.into_any()
}

#[component]
pub fn PortalPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle text=lang.t("Cổng chủ thể — OCOP", "Producer portal — OCOP")/>
        <h1>{lang.t("Cổng chủ thể OCOP", "Producer portal")}</h1>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match get_portal().await {
                    Ok(None) => sign_in_first(lang),
                    Ok(Some((_, None, _))) => view! {
                        <p>{lang.t("Tài khoản này không thuộc chủ thể OCOP nào.", "This account belongs to no OCOP producer.")}</p>
                    }.into_any(),
                    Ok(Some((_, Some(home), _))) => portal_home(lang, home).into_any(),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}

fn portal_home(lang: Lang, h: PortalHome) -> impl IntoView + use<> {
    let low = h
        .low_stock
        .into_iter()
        .map(|l| {
            view! {
                <li><a href=format!("/portal/products/{}", l.product_id)>{l.name_vi}</a>" ("{l.sku}"): "
                    {lang.t("còn ", "")}{l.available}{lang.t(" có thể bán", " left to sell")}</li>
            }
        })
        .collect_view();
    let expiring = h.expiring.into_iter().map(|e| view! {
        <li>{e.product}" — "{e.number}": "{lang.t("hết hạn ", "expires ")}{e.expires_on}" ("{e.days_left}{lang.t(" ngày", " days")}")"</li>
    }).collect_view();
    let rows = h.products.into_iter().map(|p| view! {
        <tr>
            <td><a href=format!("/portal/products/{}", p.id)>{p.name_vi.clone()}</a>
                {(!p.listed).then(|| view! { " " <span class="muted">{lang.t("(đang ẩn)", "(hidden)")}</span> })}</td>
            <td>{p.stars.map(stars_text).unwrap_or_else(|| "—".into())}</td>
            <td class="num">{p.variants}</td>
            <td class="num">{p.available_online}</td>
            <td class="num">{p.photos}</td>
            <td><a href=format!("/products/{}", p.slug)>{lang.t("Xem", "View")}</a></td>
        </tr>
    }).collect_view();
    view! {
        <p class="muted" id="producer-name">{h.producer_name}</p>
        <section class="todo" aria-labelledby="todo-h">
            <h2 id="todo-h">{lang.t("Việc cần làm", "To do")}</h2>
            <ul>
                <li><a href="/portal/orders" id="orders-to-pack">{h.orders_to_pack}{lang.t(" đơn hàng cần đóng gói hoặc gửi", " orders to pack or ship")}</a></li>
            </ul>
            <h3>{lang.t("Sắp hết hàng (bán trực tuyến)", "Low stock (online)")}</h3>
            <ul id="low-stock">{low}</ul>
            <h3>{lang.t("Giấy chứng nhận hết hạn trong 90 ngày", "Certificates expiring within 90 days")}</h3>
            <ul id="expiring">{expiring}</ul>
        </section>
        <h2>{lang.t("Sản phẩm", "Products")}</h2>
        <p><a class="button primary" href="/portal/products/new">{lang.t("Thêm sản phẩm", "New product")}</a>" "
           <a class="button ghost" href="/portal/products.csv">{lang.t("Tải CSV sản phẩm", "Export products (CSV)")}</a>" "
           <a class="button ghost" href="/portal/import">{lang.t("Nhập từ CSV", "Import from CSV")}</a>" "
           <a class="button ghost" href="/portal/combos">{lang.t("Combo quà tặng", "Gift combos")}</a>" "
           <a class="button ghost" href="/portal/channels">{lang.t("Kênh bán khác", "Other channels")}</a>" "
           <a class="button ghost" href="/portal/sales" id="portal-sales">{lang.t("Doanh số và đối soát", "Sales and settlement")}</a></p>
        <div class="table-wrap"><table class="cart" id="portal-products">
            <thead><tr><th>{lang.t("Sản phẩm", "Product")}</th><th>"OCOP"</th><th class="num">{lang.t("Quy cách", "Sizes")}</th>
                <th class="num">{lang.t("Có thể bán", "Available")}</th><th class="num">{lang.t("Ảnh", "Photos")}</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

fn group_select(lang: Lang, selected: String) -> impl IntoView + use<> {
    let options = OcopGroup::ALL
        .into_iter()
        .map(|g| {
            let code = g.code();
            view! { <option value=code selected=selected == code>{lang.t(g.name_vi(), g.name_en())}</option> }
        })
        .collect_view();
    view! { <select id="group" name="group">{options}</select> }
}

/// The product's own fields, for the new-product form and the editor.
fn product_fields(lang: Lang, s: &FormState, p: &ProductForm) -> impl IntoView + use<> {
    let v = |name: &str, cur: &str| if s.form.is_some() { s.value(name) } else { cur.to_string() };
    let listed = v("status", &p.status) != "hidden";
    view! {
        <label for="name_vi">{lang.t("Tên tiếng Việt", "Vietnamese name")}</label>
        <input id="name_vi" name="name_vi" value=v("name_vi", &p.name_vi) maxlength="200" required/>
        {error_for(lang, s, "name_vi")}
        <label for="name_en">{lang.t("Tên tiếng Anh", "English name")}</label>
        <input id="name_en" name="name_en" value=v("name_en", &p.name_en) maxlength="200" required/>
        {error_for(lang, s, "name_en")}
        <label for="group">{lang.t("Nhóm sản phẩm OCOP", "OCOP product group")}</label>
        {group_select(lang, v("group", &p.group))}
        {error_for(lang, s, "group")}
        <label for="category">{lang.t("Loại (ví dụ: Nước mắm, Thanh long)", "Category (e.g. Nước mắm, Thanh long)")}</label>
        <input id="category" name="category" value=v("category", &p.category) maxlength="100" required/>
        {error_for(lang, s, "category")}
        <label for="description_vi">{lang.t("Mô tả tiếng Việt", "Vietnamese description")}</label>
        <TextArea id="description_vi" rows=4 maxlength=5000 value=v("description_vi", &p.description_vi)/>
        {error_for(lang, s, "description_vi")}
        <label for="description_en">{lang.t("Mô tả tiếng Anh", "English description")}</label>
        <TextArea id="description_en" rows=4 maxlength=5000 value=v("description_en", &p.description_en)/>
        {error_for(lang, s, "description_en")}
        <label for="status">{lang.t("Hiển thị", "Visibility")}</label>
        <select id="status" name="status">
            <option value="active" selected=listed>{lang.t("Đang bán", "Listed")}</option>
            <option value="hidden" selected=!listed>{lang.t("Ẩn", "Hidden")}</option>
        </select>
    }
}

/// Variant fields; `id` prefixes the element ids so several forms can sit on one page.
fn variant_fields(lang: Lang, s: &FormState, id: &str, v: Option<&EditVariant>) -> impl IntoView + use<> {
    let val = |name: &str, cur: String| if s.form.is_some() { s.value(name) } else { cur };
    let price = v.map(|v| v.price_vnd.to_string()).unwrap_or_default();
    let active = if s.form.is_some() { !s.value("active").is_empty() } else { v.is_none_or(|v| v.active) };
    view! {
        <label for=format!("{id}-sku")>"SKU"</label>
        <input id=format!("{id}-sku") name="sku" value=val("sku", v.map(|v| v.sku.clone()).unwrap_or_default()) maxlength="40" required/>
        {error_for(lang, s, "sku")}
        <label for=format!("{id}-barcode")>{lang.t("Mã vạch EAN-13 (nếu có)", "EAN-13 barcode (if any)")}</label>
        <input id=format!("{id}-barcode") name="barcode" value=val("barcode", v.map(|v| v.barcode.clone()).unwrap_or_default()) inputmode="numeric" maxlength="13"/>
        {error_for(lang, s, "barcode")}
        <label for=format!("{id}-size_vi")>{lang.t("Quy cách (tiếng Việt)", "Size (Vietnamese)")}</label>
        <input id=format!("{id}-size_vi") name="size_vi" value=val("size_vi", v.map(|v| v.size_vi.clone()).unwrap_or_default()) maxlength="100" required/>
        {error_for(lang, s, "size_vi")}
        <label for=format!("{id}-size_en")>{lang.t("Quy cách (tiếng Anh)", "Size (English)")}</label>
        <input id=format!("{id}-size_en") name="size_en" value=val("size_en", v.map(|v| v.size_en.clone()).unwrap_or_default()) maxlength="100"/>
        {error_for(lang, s, "size_en")}
        <label for=format!("{id}-price")>{lang.t("Giá (đồng)", "Price (đồng)")}</label>
        <input id=format!("{id}-price") name="price" value=val("price", price) inputmode="numeric" maxlength="16" required/>
        {error_for(lang, s, "price")}
        <label class="check"><input type="checkbox" name="active" checked=active/>" "{lang.t("Đang bán", "On sale")}</label>
    }
}

#[component]
pub fn NewProductPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Thêm sản phẩm — OCOP", "New product — OCOP")/>
        <h1>{lang.t("Thêm sản phẩm", "New product")}</h1>
        <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match crate::api::get_account().await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((a, _))) if a.role != domain::account::Role::Producer => view! {
                            <p>{lang.t("Chỉ thành viên của chủ thể OCOP mới thêm được sản phẩm.", "Only members of an OCOP producer can add products.")}</p>
                        }.into_any(),
                        Ok(Some((_, csrf))) => view! {
                            {other_errors(lang, &s, &["name_vi", "name_en", "group", "category", "description_vi", "description_en", "status", "sku", "barcode", "size_vi", "size_en", "price"])}
                            <form method="post" action="/portal/products/new" class="checkout-form" id="new-product">
                                <input type="hidden" name="csrf" value=csrf/>
                                {product_fields(lang, &s, &ProductForm::default())}
                                <h2>{lang.t("Quy cách đầu tiên", "First size")}</h2>
                                {variant_fields(lang, &s, "v", None)}
                                <button type="submit" class="button primary">{lang.t("Tạo sản phẩm", "Create product")}</button>
                            </form>
                        }.into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn ProductEditPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Sửa sản phẩm — OCOP", "Edit product — OCOP")/>
        <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
        {notice(lang)}
        {super::record_page(move || get_product_editor(id.clone()), move |(e, csrf): (ProductEditor, String)| editor(lang, &s, e, csrf))}
    }
}

fn editor(lang: Lang, s: &FormState, e: ProductEditor, csrf: String) -> impl IntoView + use<> {
    let product_state = s.for_form("product");
    let variants = e.variants.iter().map(|v| variant_block(lang, s, &e, v, &csrf)).collect_view();
    let new_state = s.for_form("variant-new");
    view! {
        <h1>{e.form.name_vi.clone()}</h1>
        <p><a href=format!("/products/{}", e.slug)>{lang.t("Xem trên cửa hàng", "View in the store")}</a></p>
        <section>
            <h2>{lang.t("Thông tin sản phẩm", "Product")}</h2>
            <form method="post" action=format!("/portal/products/{}", e.id) class="checkout-form" id="product-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                {product_fields(lang, &product_state, &e.form)}
                <button type="submit" class="button primary">{lang.t("Lưu", "Save")}</button>
            </form>
        </section>
        <section>
            <h2>{lang.t("Quy cách, giá và tồn kho", "Sizes, prices and stock")}</h2>
            {variants}
            <details open=new_state.form.is_some()>
                <summary>{lang.t("Thêm quy cách", "Add a size")}</summary>
                <form method="post" action=format!("/portal/products/{}/variants", e.id) class="checkout-form" id="new-variant">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    {variant_fields(lang, &new_state, "new", None)}
                    <button type="submit" class="button">{lang.t("Thêm quy cách", "Add size")}</button>
                </form>
            </details>
        </section>
        <section>
            <h2>{lang.t("Ảnh", "Photos")}</h2>
            <p id="photo-count">{e.photos.len()}{lang.t(" ảnh", " photos")}</p>
            {(e.photos_waiting > 0).then(|| view! {
                <p id="photos-waiting">{e.photos_waiting}{lang.t(" ảnh đang xử lý — tải lại trang sau ít giây.", " being processed — reload in a few seconds.")}</p>
            })}
            <ul id="photo-failures">{e.photo_failures.iter().map(|m| {
                let (vi, en) = m.split_once(" / ").unwrap_or((m.as_str(), m.as_str()));
                view! { <li class="field-error">{format!("{}{}", lang.t("Ảnh không xử lý được: ", "A photo could not be made: "), lang.pick(vi, en))}</li> }
            }).collect_view()}</ul>
            <p class="muted">{lang.t("JPEG, PNG hoặc WebP, tối đa 15 MB và 50 megapixel.", "JPEG, PNG or WebP, at most 15 MB and 50 megapixels.")}</p>
            <form method="post" action=format!("/portal/products/{}/photos", e.id) enctype="multipart/form-data" class="add-form">
                <input type="hidden" name="csrf" value=csrf/>
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-label=lang.t("Ảnh sản phẩm", "Product photo")/>
                <button type="submit" class="button">{lang.t("Tải ảnh lên", "Upload photo")}</button>
            </form>
        </section>
    }
}

fn variant_block(lang: Lang, s: &FormState, e: &ProductEditor, v: &EditVariant, csrf: &str) -> impl IntoView + use<> {
    let vs = s.for_form(&format!("variant-{}", v.id));
    let ss = s.for_form(&format!("stock-{}", v.id));
    let stock = v
        .stock
        .iter()
        .map(|l| {
            view! {
                <tr><td>{l.location.clone()}</td><td class="num">{l.on_hand}</td><td class="num">{l.reserved}</td></tr>
            }
        })
        .collect_view();
    let locations = e
        .locations
        .iter()
        .map(|(id, name)| {
            let chosen = ss.value("location_id") == id.to_string();
            view! { <option value=id.to_string() selected=chosen>{name.clone()}</option> }
        })
        .collect_view();
    let reasons = [StockReason::Received, StockReason::Counted, StockReason::Damaged]
        .into_iter()
        .map(|r| {
            let (vi, en) = r.label();
            view! { <option value=r.code() selected=ss.value("reason") == r.code()>{lang.t(vi, en)}</option> }
        })
        .collect_view();
    let vid = format!("v{}", v.id);
    view! {
        <article class="variant" id=format!("variant-{}", v.sku)>
            <h3>{v.size_vi.clone()}" · "{v.sku.clone()}" · "{vnd(v.price_vnd)}</h3>
            <table class="cart stock"><thead><tr><th>{lang.t("Nơi", "Location")}</th><th class="num">{lang.t("Tồn", "On hand")}</th>
                <th class="num">{lang.t("Đơn giữ", "Held by orders")}</th></tr></thead><tbody>{stock}</tbody></table>
            <form method="post" action=format!("/portal/products/{}/stock", e.id) class="checkout-form stock-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <input type="hidden" name="variant_id" value=v.id.to_string()/>
                <label for=format!("{vid}-loc")>{lang.t("Nơi", "Location")}</label>
                <select id=format!("{vid}-loc") name="location_id">{locations}</select>
                <label for=format!("{vid}-reason")>{lang.t("Lý do", "Reason")}</label>
                <select id=format!("{vid}-reason") name="reason">{reasons}</select>
                <label for=format!("{vid}-qty")>{lang.t("Số lượng (kiểm kê: số đếm được)", "Quantity (count: what is on the shelf)")}</label>
                <input id=format!("{vid}-qty") name="qty" inputmode="numeric" value=ss.value("qty") maxlength="7" required/>
                {error_for(lang, &ss, "qty")}
                <button type="submit" class="button">{lang.t("Ghi tồn kho", "Record stock")}</button>
            </form>
            <details open=vs.form.is_some()>
                <summary>{lang.t("Sửa quy cách", "Edit this size")}</summary>
                <form method="post" action=format!("/portal/products/{}/variants/{}", e.id, v.id) class="checkout-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    {variant_fields(lang, &vs, &vid, Some(v))}
                    <button type="submit" class="button">{lang.t("Lưu quy cách", "Save size")}</button>
                </form>
            </details>
        </article>
    }
}

#[component]
pub fn PortalOrdersPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Đơn hàng cần gửi — OCOP", "Orders to ship — OCOP")/>
        <h1>{lang.t("Đơn hàng của chủ thể", "Your orders")}</h1>
        <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match get_portal_orders().await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((orders, _))) if orders.is_empty() => view! {
                            <p>{lang.t("Chưa có đơn hàng nào.", "No orders yet.")}</p>
                        }.into_any(),
                        Ok(Some((orders, csrf))) => orders.into_iter().map(|o| fulfilment(lang, &s, o, &csrf)).collect_view().into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn fulfilment(lang: Lang, s: &FormState, o: FulfilmentView, csrf: &str) -> impl IntoView + use<> {
    let fs = s.for_form(&o.number);
    let lines = o
        .lines
        .iter()
        .map(|l| view! { <li>{l.quantity}" × "{l.name_vi.clone()}" ("{l.sku.clone()}")"</li> })
        .collect_view();
    let (svi, sen) = match o.status.as_str() {
        "packed" => ("Đã đóng gói", "Packed"),
        "shipped" => ("Đã gửi", "Shipped"),
        _ => ("Cần đóng gói", "To pack"),
    };
    let shipped = o.status == "shipped";
    let number = o.number.clone();
    view! {
        <article class="fulfilment" id=format!("f-{}", o.number)>
            <h2>{o.number.clone()}" — "<span class="status">{lang.t(svi, sen)}</span></h2>
            <p class="muted">{o.placed.clone()}" · "{o.ship_to.clone()}</p>
            <ul>{lines}</ul>
            {o.tracking.clone().map(|t| view! { <p>{lang.t("Mã vận đơn: ", "Tracking: ")}<strong>{t}</strong></p> })}
            {other_errors(lang, &fs, &["tracking"])}
            {(!shipped).then(|| view! {
                {(o.status == "to_pack").then(|| view! {
                    <form method="post" action=format!("/portal/orders/{number}/pack") class="add-form">
                        <input type="hidden" name="csrf" value=csrf.to_string()/>
                        <button type="submit" class="button">{lang.t("Đã đóng gói", "Mark packed")}</button>
                    </form>
                })}
                <form method="post" action=format!("/portal/orders/{number}/ship") class="add-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <label for=format!("t-{number}")>{lang.t("Mã vận đơn", "Tracking number")}</label>
                    <input id=format!("t-{number}") name="tracking" value=fs.value("tracking") maxlength="40" required/>
                    <label for=format!("c-{number}")>{lang.t("Đơn vị vận chuyển", "Courier")}</label>
                    <select id=format!("c-{number}") name="carrier">
                        <option value="">{lang.t("Khác / không rõ", "Other / not listed")}</option>
                        {domain::order_tracking::Carrier::ALL.into_iter().map(|c| {
                            let chosen = fs.value("carrier") == c.code();
                            view! { <option value=c.code() selected=chosen>{c.name()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button primary">{lang.t("Đã gửi hàng", "Mark shipped")}</button>
                </form>
                {error_for(lang, &fs, "tracking")}
            })}
        </article>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Nhập sản phẩm từ CSV — OCOP", "Import products from CSV — OCOP")/>
        <h1>{lang.t("Nhập sản phẩm từ CSV", "Import products from CSV")}</h1>
        <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
        {(!s.errors.is_empty()).then(|| view! {
            <Notice kind="warn"><p>{lang.t(
                "Tệp chưa được nhập: sửa các dòng dưới đây rồi tải lên lại. Không có gì được ghi.",
                "The file was not imported: fix the rows below and upload it again. Nothing was written.")}</p></Notice>
        })}
        <div id="import-errors">{other_errors(lang, &s, &[])}</div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match crate::api::get_account().await {
                    Ok(Some((_, csrf))) => view! {
                        <p class="muted">{lang.t(
                            "Mỗi dòng là một quy cách; các dòng cùng product_slug là một sản phẩm. Cột: ",
                            "One row per size; rows with the same product_slug are one product. Columns: ")}
                            <code>{store_columns()}</code></p>
                        <p><a href="/portal/products.csv">{lang.t("Tải tệp hiện tại làm mẫu", "Download the current file as a template")}</a></p>
                        <form method="post" action="/portal/import" enctype="multipart/form-data" class="add-form" id="import-form">
                            <input type="hidden" name="csrf" value=csrf/>
                            <input type="file" name="file" accept=".csv,text/csv" required aria-label=lang.t("Tệp CSV", "CSV file")/>
                            <button type="submit" class="button primary">{lang.t("Nhập", "Import")}</button>
                        </form>
                    }.into_any(),
                    Ok(None) => sign_in_first(lang),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}

fn store_columns() -> String {
    domain::listing_edit::CSV_COLUMNS.join(",")
}

#[component]
pub fn ImportStatusPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    view! {
        <PageTitle text=lang.t("Tiến độ nhập — OCOP", "Import progress — OCOP")/>
        <h1>{lang.t("Nhập sản phẩm", "Product import")}</h1>
        {super::record_page(move || crate::api::get_import(id.clone()), move |v: domain::portal::ImportView| {
            let running = v.status == "running";
            let pct = if v.total > 0 { v.done * 100 / v.total } else { 100 };
            view! {
                // Reloads itself every two seconds while running: progress without JavaScript.
                {running.then(|| view! { <meta http-equiv="refresh" content="2"/> })}
                <p id="import-status" data-status=v.status.clone()>{match v.status.as_str() {
                    "done" => lang.t("Đã nhập xong.", "Import finished."),
                    "failed" => lang.t("Không nhập được; không có gì được ghi.", "The import failed; nothing was written."),
                    _ => lang.t("Đang nhập…", "Importing…"),
                }}</p>
                <progress max=v.total.to_string() value=v.done.to_string()>{pct}"%"</progress>
                <p id="import-count">{format!("{} / {}{}", v.done, v.total, lang.t(" dòng", " rows"))}</p>
                // Line 0 is about the whole file (an interrupted import, a server error), not a row.
                <ul>{v.report.iter().map(|e| {
                    let at = (e.line > 0).then(|| format!("{}{}: ", lang.t("Dòng ", "Line "), e.line));
                    view! { <li>{at}{lang.pick(&e.message_vi, &e.message_en).to_string()}</li> }
                }).collect_view()}</ul>
                <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
            }
        })}
    }
}

fn combo_fields(lang: Lang, s: &FormState, c: &domain::listing_edit::ComboForm) -> impl IntoView + use<> {
    let v = |name: &str, cur: &str| if s.form.is_some() { s.value(name) } else { cur.to_string() };
    let active =
        if s.form.is_some() { !s.value("active").is_empty() } else { c.active.is_some() || c.name_vi.is_empty() };
    let rows = c.rows().into_iter().enumerate().map(|(i, (sku, qty))| {
        let n = i + 1;
        view! {
            <div class="combo-row">
                <label for=format!("sku_{n}")>{format!("SKU {n}")}</label>
                <input id=format!("sku_{n}") name=format!("sku_{n}") value=v(&format!("sku_{n}"), sku) maxlength="40"/>
                <label for=format!("qty_{n}")>{lang.t("Số lượng", "Qty")}</label>
                <input id=format!("qty_{n}") name=format!("qty_{n}") value=v(&format!("qty_{n}"), if qty.is_empty() && !sku.is_empty() { "1" } else { qty }) inputmode="numeric" maxlength="2"/>
                {error_for(lang, s, &format!("sku_{n}"))}
            </div>
        }
    }).collect_view();
    view! {
        <label for="name_vi">{lang.t("Tên tiếng Việt", "Vietnamese name")}</label>
        <input id="name_vi" name="name_vi" value=v("name_vi", &c.name_vi) maxlength="200" required/>
        {error_for(lang, s, "name_vi")}
        <label for="name_en">{lang.t("Tên tiếng Anh", "English name")}</label>
        <input id="name_en" name="name_en" value=v("name_en", &c.name_en) maxlength="200" required/>
        {error_for(lang, s, "name_en")}
        <label for="story_vi">{lang.t("Câu chuyện (tiếng Việt)", "Story (Vietnamese)")}</label>
        <TextArea id="story_vi" rows=3 maxlength=3000 value=v("story_vi", &c.story_vi)/>
        {error_for(lang, s, "story_vi")}
        <label for="story_en">{lang.t("Câu chuyện (tiếng Anh)", "Story (English)")}</label>
        <TextArea id="story_en" rows=3 maxlength=3000 value=v("story_en", &c.story_en)/>
        {error_for(lang, s, "story_en")}
        <label for="price">{lang.t("Giá combo (đồng)", "Combo price (đồng)")}</label>
        <input id="price" name="price" value=v("price", &c.price) inputmode="numeric" maxlength="16" required/>
        {error_for(lang, s, "price")}
        <fieldset><legend>{lang.t("Sản phẩm trong combo (SKU và số lượng)", "Products in the combo (SKU and quantity)")}</legend>{rows}</fieldset>
        <label class="check"><input type="checkbox" name="active" checked=active/>" "{lang.t("Đang bán", "On sale")}</label>
    }
}

#[component]
pub fn CombosPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Combo quà tặng — OCOP", "Gift combos — OCOP")/>
        <h1>{lang.t("Combo quà tặng", "Gift combos")}</h1>
        <p><a href="/portal">{lang.t("← Cổng chủ thể", "← Producer portal")}</a></p>
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match crate::api::get_combos().await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((combos, csrf))) => {
                            let rows = combos.into_iter().map(|c| view! {
                                <tr><td><a href=format!("/portal/combos/{}", c.id)>{c.name_vi.clone()}</a>
                                    {c.curated.then(|| view! { " " <span class="muted">{lang.t("(văn phòng tuyển chọn)", "(office curated)")}</span> })}</td>
                                    <td class="num">{vnd(c.price_vnd)}</td><td class="num">{c.available}</td>
                                    <td>{if c.active { lang.t("Đang bán", "On sale") } else { lang.t("Ngừng bán", "Off sale") }}</td></tr>
                            }).collect_view();
                            let ns = s.for_form("combo");
                            view! {
                                <div class="table-wrap"><table class="cart" id="combos">
                                    <thead><tr><th>{lang.t("Combo", "Combo")}</th><th class="num">{lang.t("Giá", "Price")}</th>
                                        <th class="num">{lang.t("Có thể bán", "Available")}</th><th></th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table></div>
                                <h2>{lang.t("Tạo combo", "New combo")}</h2>
                                {other_errors(lang, &ns, &["name_vi", "name_en", "story_vi", "story_en", "price", "sku_1", "sku_2", "sku_3", "sku_4", "sku_5", "sku_6"])}
                                <form method="post" action="/portal/combos" class="checkout-form" id="new-combo">
                                    <input type="hidden" name="csrf" value=csrf/>
                                    {combo_fields(lang, &ns, &Default::default())}
                                    <button type="submit" class="button primary">{lang.t("Tạo combo", "Create combo")}</button>
                                </form>
                            }.into_any()
                        }
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn ComboEditPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").unwrap_or_default().parse::<i64>().unwrap_or(0);
    let s = form_state();
    let load = move || async move {
        Ok::<_, ServerFnError>(
            crate::api::get_combos()
                .await?
                .and_then(|(list, csrf)| list.into_iter().find(|c| c.id == id).map(|c| (c, csrf))),
        )
    };
    view! {
        <PageTitle text=lang.t("Sửa combo — OCOP", "Edit combo — OCOP")/>
        <p><a href="/portal/combos">{lang.t("← Combo quà tặng", "← Gift combos")}</a></p>
        {notice(lang)}
        {super::record_page(load, move |(c, csrf): (domain::portal::ComboRow, String)| {
            let cs = s.for_form("combo");
            view! {
                <h1>{c.name_vi.clone()}</h1>
                <p><a href=format!("/combos/{}", c.slug)>{lang.t("Xem trên cửa hàng", "View in the store")}</a>
                   " · "{lang.t("Có thể bán: ", "Available: ")}<span id="combo-available">{c.available}</span></p>
                {other_errors(lang, &cs, &["name_vi", "name_en", "story_vi", "story_en", "price", "sku_1", "sku_2", "sku_3", "sku_4", "sku_5", "sku_6"])}
                <form method="post" action=format!("/portal/combos/{}", c.id) class="checkout-form" id="combo-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    {combo_fields(lang, &cs, &c.form)}
                    <button type="submit" class="button primary">{lang.t("Lưu", "Save")}</button>
                </form>
                <h2>{lang.t("Ảnh combo", "Combo photo")}</h2>
                <p>{if c.has_photo { lang.t("Đã có ảnh; tải ảnh mới để thay.", "Has a photo; upload a new one to replace it.") } else { lang.t("Chưa có ảnh.", "No photo yet.") }}</p>
                <form method="post" action=format!("/portal/combos/{}/photo", c.id) enctype="multipart/form-data" class="add-form">
                    <input type="hidden" name="csrf" value=csrf/>
                    <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-label=lang.t("Ảnh combo", "Combo photo")/>
                    <button type="submit" class="button">{lang.t("Tải ảnh lên", "Upload photo")}</button>
                </form>
            }
        })}
    }
}
