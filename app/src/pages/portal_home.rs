//! The producer portal's home: what is waiting today (orders to pack, sizes running low,
//! certificates ending), then every product with each size's price and stock, the price editable
//! in place.

use domain::portal::{PortalHome, PortalProduct, PortalSize};
use leptos::prelude::*;

use super::portal::{notice, sign_in_first};
use crate::api::get_portal;
use crate::components::stars_text;
use crate::form::{FormState, error_for, form_state};
use crate::format::{date, number, vnd};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools};

#[component]
pub fn PortalPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let q = ListQuery::from_url();
    let portal = crate::once::once(get_portal());
    view! {
        <PageTitle text=lang.t("Cổng chủ thể — OCOP", "Producer portal — OCOP")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let (s, q) = (s.clone(), q.clone());
                Suspend::new(async move {
                    match portal.await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((_, None, _))) => view! {
                            <EmptyState title=lang.t("Tài khoản này không thuộc chủ thể OCOP nào.", "This account belongs to no OCOP producer.")
                                hint=lang.t("Nhờ văn phòng OCOP gắn tài khoản với chủ thể của bạn.", "Ask the OCOP office to link this account to your producer.")/>
                        }.into_any(),
                        Ok(Some((_, Some(home), csrf))) => portal_home(lang, home, &csrf, &s, &q).into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn portal_home(lang: Lang, h: PortalHome, csrf: &str, s: &FormState, q: &ListQuery) -> impl IntoView + use<> {
    let listed = h.products.iter().filter(|p| p.listed).count();
    let low = h
        .low_stock
        .iter()
        .map(|l| {
            view! {
                <li><a href=format!("/portal/products/{}#stock", l.product_id)>{l.name_vi.clone()}</a>
                    " · "<span class="mono">{l.sku.clone()}</span>
                    <span class="count warn">{number(l.available)}</span></li>
            }
        })
        .collect_view();
    let expiring = h
        .expiring
        .iter()
        .map(|e| {
            view! {
                <li>{e.product.clone()}" · "<span class="mono">{e.number.clone()}</span><br/>
                    <span class="muted small">{lang.t("hiệu lực đến hết ngày ", "valid through ")}{date(e.last_valid_on)}
                    " ("{number(e.days_left)}{lang.t(" ngày nữa", " days left")}")"</span></li>
            }
        })
        .collect_view();
    let (no_low, no_expiring, orders) = (h.low_stock.is_empty(), h.expiring.is_empty(), h.orders_to_pack);
    let products: Vec<&PortalProduct> = h.products.iter().filter(|p| q.matches(&[&p.name_vi])).collect();
    let product_rows = if products.is_empty() {
        view! {
            <EmptyState title=lang.t("Chưa có sản phẩm nào.", "No products yet.")
                hint=lang.t("Thêm sản phẩm đầu tiên, hoặc nhập cả danh mục từ tệp CSV.", "Add your first product, or import a whole catalogue from a CSV file.")>
                <a class="button" href="/portal/products/new">{lang.t("Thêm sản phẩm", "New product")}</a>
                <a class="button ghost" href="/portal/import">{lang.t("Nhập từ CSV", "Import from CSV")}</a>
            </EmptyState>
        }
        .into_any()
    } else {
        let rows = products.into_iter().map(|p| product_rows(lang, p, h.online_location, csrf, s)).collect_view();
        view! {
            <div class="table-wrap"><table class="data sizes" id="portal-products">
                <thead><tr><th>{lang.t("Sản phẩm · quy cách", "Product · size")}</th>
                    <th class="num">{lang.t("Giá", "Price")}</th>
                    <th class="num">{lang.t("Có thể bán · kiểm kê", "Available · count")}</th>
                    <th><span class="sr-only">{lang.t("Thao tác", "Actions")}</span></th></tr></thead>
                {rows}
            </table></div>
        }
        .into_any()
    };
    view! {
        <WsHead title=h.producer_name.clone() lead=lang.t("Cổng chủ thể OCOP", "OCOP producer portal")>
            <a class="button" href="/portal/products/new">{lang.t("Thêm sản phẩm", "New product")}</a>
            <a class="button ghost" href="/portal/import">{lang.t("Nhập CSV", "Import CSV")}</a>
            <a class="button ghost" href="/portal/products.csv">{lang.t("Tải CSV", "Export CSV")}</a>
        </WsHead>
        <div class="kpis">
            <a class=kpi_class(orders > 0) href="/portal/orders" id="orders-to-pack">
                <span class="kpi-value">{number(orders as i64)}</span>
                <span class="kpi-label">{lang.t("đơn cần đóng gói hoặc gửi", "orders to pack or ship")}</span>
            </a>
            <a class=kpi_class(!no_low) href="#low-stock">
                <span class="kpi-value">{number(h.low_stock.len() as i64)}</span>
                <span class="kpi-label">{lang.t("quy cách sắp hết hàng", "sizes running low")}</span>
            </a>
            <a class=kpi_class(!no_expiring) href="#expiring">
                <span class="kpi-value">{number(h.expiring.len() as i64)}</span>
                <span class="kpi-label">{lang.t("giấy chứng nhận sắp hết hiệu lực", "certificates ending soon")}</span>
            </a>
            <a class="kpi" href="#portal-products">
                <span class="kpi-value">{number(listed as i64)}" / "{number(h.products.len() as i64)}</span>
                <span class="kpi-label">{lang.t("sản phẩm đang bán", "products on sale")}</span>
            </a>
        </div>
        <div class="ws-cols">
            <section class="panel" aria-labelledby="low-h">
                <h2 id="low-h">{lang.t("Sắp hết hàng (bán trực tuyến)", "Low stock (online)")}</h2>
                {if no_low {
                    view! { <p class="muted" id="low-stock">{lang.t("Mọi quy cách đang bán còn trên 5 đơn vị.", "Every size on sale has more than 5 units.")}</p> }.into_any()
                } else {
                    view! { <ul class="plain-list" id="low-stock">{low}</ul> }.into_any()
                }}
            </section>
            <section class="panel" aria-labelledby="exp-h">
                <h2 id="exp-h">{lang.t("Giấy chứng nhận sắp hết hiệu lực", "Certificates ending soon")}</h2>
                {if no_expiring {
                    view! { <p class="muted" id="expiring">{lang.t("Không có giấy chứng nhận nào hết hiệu lực trong 90 ngày tới.", "No certificate ends in the next 90 days.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" id="expiring">{expiring}</ul>
                        <p class="small">{lang.t("Lập hồ sơ đánh giá lại trước ngày hết hiệu lực để sản phẩm giữ hạng sao.", "File a re-evaluation dossier before the last valid day to keep the product's stars.")}</p>
                        <p><a class="button" href="/portal/dossiers#start" id="file-reevaluation">{lang.t("Lập hồ sơ đánh giá lại", "File a re-evaluation")}</a></p>
                    }.into_any()
                }}
            </section>
        </div>
        <section aria-labelledby="products-h">
            <h2 id="products-h">{lang.t("Sản phẩm, giá và tồn kho", "Products, prices and stock")}</h2>
            {list_tools(lang, "/portal", q, lang.t("Tìm sản phẩm…", "Find a product…"), &[])}
            {product_rows}
        </section>
    }
}

fn kpi_class(warn: bool) -> &'static str {
    if warn { "kpi warn" } else { "kpi" }
}

fn product_rows(
    lang: Lang,
    p: &PortalProduct,
    online: Option<i64>,
    csrf: &str,
    s: &FormState,
) -> impl IntoView + use<> {
    let sizes = p.sizes.iter().map(|z| size_row(lang, p.id, z, online, csrf, s)).collect_view();
    view! {
        <tbody id=format!("p-{}", p.id)>
            <tr class="group-row">
                <th colspan="3" scope="rowgroup">
                    <a href=format!("/portal/products/{}", p.id)>{p.name_vi.clone()}</a>
                    " "{p.stars.map(|n| view! { <span class="stars-inline">{stars_text(n)}</span> })}
                    {(!p.listed).then(|| view! { " " <span class="pill">{lang.t("đang ẩn", "hidden")}</span> })}
                    {(p.photos == 0).then(|| view! { " " <span class="pill expiring">{lang.t("chưa có ảnh", "no photo")}</span> })}
                </th>
                <td class="row-actions">
                    <a href=format!("/portal/products/{}", p.id)>{lang.t("Sửa", "Edit")}</a>
                    <a href=format!("/products/{}", p.slug)>{lang.t("Xem", "View")}</a>
                </td>
            </tr>
            {sizes}
        </tbody>
    }
}

/// One size: its price in a field saved in place (the size's other fields ride along unchanged), and
/// a count of the online warehouse's shelf recorded in place as a stock-take.
fn size_row(
    lang: Lang,
    product: i64,
    z: &PortalSize,
    online: Option<i64>,
    csrf: &str,
    s: &FormState,
) -> impl IntoView + use<> {
    let ss = s.for_form(&format!("stock-{}", z.id));
    let counted = if ss.form.is_some() { ss.value("qty") } else { z.on_hand_online.to_string() };
    let count_form = online.map(|loc| view! {
        <form method="post" action=format!("/portal/products/{product}/stock") class="inline-price inline-count" id=format!("count-{}", z.id)>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <input type="hidden" name="back" value="portal"/>
            <input type="hidden" name="variant_id" value=z.id.to_string()/>
            <input type="hidden" name="location_id" value=loc.to_string()/>
            <input type="hidden" name="reason" value="counted"/>
            <input name="qty" value=counted inputmode="numeric" maxlength="7" size="4"
                aria-label=format!("{} {}", lang.t("Số đếm được trong kho trực tuyến", "Counted in the online warehouse"), z.sku)/>
            <button type="submit" class="button ghost small">{lang.t("Ghi kiểm kê", "Record count")}</button>
        </form>
    });
    let key = format!("variant-{}", z.id);
    let vs = s.for_form(&key);
    let price = if vs.form.is_some() { vs.value("price") } else { number(z.price_vnd) };
    let form_id = format!("price-{}", z.id);
    let size = lang.pick(&z.size_vi, &z.size_en).to_string();
    let low = z.active && z.available_online <= domain::portal::LOW_STOCK;
    view! {
        <tr id=format!("size-{}", z.id)>
            <td class="size-cell">{size}" · "<span class="mono muted">{z.sku.clone()}</span>
                {(!z.active).then(|| view! { " " <span class="pill">{lang.t("ngừng bán", "off sale")}</span> })}</td>
            <td class="num">
                <form method="post" action=format!("/portal/products/{product}/variants/{}", z.id) id=form_id.clone() class="inline-price">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <input type="hidden" name="back" value="portal"/>
                    <input type="hidden" name="sku" value=z.sku.clone()/>
                    <input type="hidden" name="barcode" value=z.barcode.clone()/>
                    <input type="hidden" name="size_vi" value=z.size_vi.clone()/>
                    <input type="hidden" name="size_en" value=z.size_en.clone()/>
                    {z.active.then(|| view! { <input type="hidden" name="active" value="on"/> })}
                    <input name="price" value=price inputmode="numeric" maxlength="16" size="9"
                        aria-label=format!("{} {}", lang.t("Giá", "Price"), z.sku) title=vnd(z.price_vnd)/>
                    <span class="unit">"₫"</span>
                    <button type="submit" class="button small">{lang.t("Lưu", "Save")}</button>
                </form>
                {error_for(lang, &vs, "price")}
            </td>
            <td class="num"><span class:count=low class:warn=low>{number(z.available_online)}</span>
                {count_form}{error_for(lang, &ss, "qty")}</td>
            <td class="row-actions"><a href=format!("/portal/products/{product}#stock-{}", z.id)>{lang.t("Kho", "Stock")}</a></td>
        </tr>
    }
}
