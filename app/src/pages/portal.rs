//! The producer portal: a home with what needs doing, the product editor (product, variants, stock,
//! photos), a new-product form and the orders to pack and ship. Every form is a plain post; a
//! refused one comes back from the server with messages beside the fields and the typed values.

use crate::raw_text::{PageTitle, TextArea};
use domain::listing_edit::{ProductForm, StockReason};
use domain::ocop::OcopGroup;
use domain::portal::{EditVariant, ProductEditor};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::get_product_editor;
use crate::components::Notice;
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::number;
use crate::i18n::{Lang, use_lang};
use crate::workspace::WsHead;

pub(super) fn notice(lang: Lang) -> Option<impl IntoView + use<>> {
    let (vi, en) = match use_query_map().read_untracked().get("notice").as_deref() {
        Some("photo") => ("Đã nhận ảnh; ảnh hiện ra sau vài giây.", "Photo received; it appears in a few seconds."),
        Some("created") => (
            "Đã tạo sản phẩm. Thêm quy cách, tồn kho và ảnh bên dưới.",
            "Product created. Add sizes, stock and photos below.",
        ),
        Some("saved") => ("Đã lưu.", "Saved."),
        Some("refunded") => (
            "Cổng thanh toán đã nhận lệnh hoàn tiền; đơn chuyển sang Đã hoàn tiền.",
            "The gateway accepted the refund; the order is now Refunded.",
        ),
        Some("stock") => ("Đã ghi tồn kho.", "Stock recorded."),
        Some("packed") => ("Đã đánh dấu đóng gói.", "Marked as packed."),
        Some("shipped") => ("Đã gửi hàng.", "Marked as shipped."),
        Some("started") => (
            "Đã tạo hồ sơ. Điền thông tin, đính kèm giấy tờ rồi nộp.",
            "Dossier started. Fill it in, attach the documents, then submit.",
        ),
        Some("attached") => ("Đã đính kèm tệp.", "File attached."),
        Some("removed") => ("Đã bỏ tệp.", "File removed."),
        Some("step") => ("Đã chuyển bước; chủ thể được báo qua email.", "Step taken; the producer is told by email."),
        Some("samples") => ("Đã ghi nhận mẫu sản phẩm.", "Samples recorded as received."),
        Some("draft") => ("Đã lưu nháp phiếu chấm.", "Score sheet saved as a draft."),
        Some("scored") => ("Đã nộp phiếu chấm.", "Score sheet submitted."),
        Some("opened") => ("Đã mở kỳ đánh giá.", "Round opened."),
        Some("seated") => ("Đã phân công thành viên hội đồng.", "Council member seated."),
        Some("ranked") => ("Đã đưa các hồ sơ đã chấm vào bảng kết quả.", "Scored dossiers put on the results sheet."),
        Some("decided") => {
            ("Đã ghi quyết định; giấy chứng nhận đã được cấp.", "Decision recorded; the certificates are issued.")
        }
        Some("loaded") => ("Đã nạp phiếu đánh giá.", "Criteria sheet loaded."),
        Some("recorded") => (
            "Đã ghi lô sản xuất. In tem QR để dán lên sản phẩm.",
            "Batch recorded. Print its QR labels for the packages.",
        ),
        Some("recalled") => (
            "Đã mở thu hồi: lô bị chặn bán trực tuyến ngay, các máy bán hàng chặn ở lần đồng bộ tới; người mua đã được báo qua email.",
            "Recall opened: the batch is blocked online now and on every till at its next sync; its buyers are emailed.",
        ),
        Some("withdrawn") => ("Đã ghi rút hàng khỏi kệ.", "Withdrawal from the shelf recorded."),
        Some("closed") => ("Đã kết thúc thu hồi.", "Recall closed."),
        _ => return None,
    };
    Some(view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })
}

pub(super) fn sign_in_first(lang: Lang) -> AnyView {
    view! { <p><a class="button primary" href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }.into_any()
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

fn tax_kind_select(lang: Lang, current: String) -> impl IntoView + use<> {
    use domain::tax::TaxKind;
    let options = [TaxKind::Goods, TaxKind::Service, TaxKind::Transport]
        .into_iter()
        .map(|k| {
            let (vi, en) = k.label();
            view! { <option value=k.code() selected=current == k.code()>{lang.t(vi, en)}</option> }
        })
        .collect_view();
    view! {
        <select id="tax_kind" name="tax_kind">
            <option value="" selected=current.is_empty()>{lang.t("Theo nhóm OCOP (mặc định)", "From the OCOP group (default)")}</option>
            {options}
        </select>
    }
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
        <label for="tax_kind">{lang.t("Thuế khấu trừ: loại doanh thu", "Tax withheld: kind of revenue")}</label>
        {tax_kind_select(lang, v("tax_kind", &p.tax_kind))}
        <p class="hint">{lang.t("Mặc định nhóm 6 (du lịch cộng đồng) là dịch vụ, các nhóm khác là hàng hoá. Quyết định mức thuế sàn khấu trừ cho hộ kinh doanh: hàng hoá 1% + 0,5%, dịch vụ 5% + 2%, vận tải 3% + 1,5%.", "By default group 6 (community tourism) is services, the others goods. It sets the rate the marketplace withholds for household sellers: goods 1% + 0,5%, services 5% + 2%, transport 3% + 1,5%.")}</p>
        {error_for(lang, s, "tax_kind")}
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
        <div><label for=format!("{id}-sku")>"SKU"</label>
        <input id=format!("{id}-sku") name="sku" value=val("sku", v.map(|v| v.sku.clone()).unwrap_or_default()) maxlength="40" required/>
        {error_for(lang, s, "sku")}</div>
        <div><label for=format!("{id}-barcode")>{lang.t("Mã vạch EAN-13 (nếu có)", "EAN-13 barcode (if any)")}</label>
        <input id=format!("{id}-barcode") name="barcode" value=val("barcode", v.map(|v| v.barcode.clone()).unwrap_or_default()) inputmode="numeric" maxlength="13"/>
        {error_for(lang, s, "barcode")}</div>
        <div><label for=format!("{id}-size_vi")>{lang.t("Quy cách (tiếng Việt)", "Size (Vietnamese)")}</label>
        <input id=format!("{id}-size_vi") name="size_vi" value=val("size_vi", v.map(|v| v.size_vi.clone()).unwrap_or_default()) maxlength="100" required/>
        {error_for(lang, s, "size_vi")}</div>
        <div><label for=format!("{id}-size_en")>{lang.t("Quy cách (tiếng Anh)", "Size (English)")}</label>
        <input id=format!("{id}-size_en") name="size_en" value=val("size_en", v.map(|v| v.size_en.clone()).unwrap_or_default()) maxlength="100"/>
        {error_for(lang, s, "size_en")}</div>
        <div><label for=format!("{id}-price")>{lang.t("Giá (đồng)", "Price (đồng)")}</label>
        <input id=format!("{id}-price") name="price" value=val("price", price) inputmode="numeric" maxlength="16" required/>
        {error_for(lang, s, "price")}</div>
        <label class="check"><input type="checkbox" name="active" checked=active/>" "{lang.t("Đang bán", "On sale")}</label>
    }
}

#[component]
pub fn NewProductPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let account = crate::once::once(crate::api::get_account());
    view! {
        <PageTitle text=lang.t("Thêm sản phẩm — OCOP", "New product — OCOP")/>
        <h1>{lang.t("Thêm sản phẩm", "New product")}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match account.await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((a, _))) if a.role != domain::account::Role::Producer => view! {
                            <p>{lang.t("Chỉ thành viên của chủ thể OCOP mới thêm được sản phẩm.", "Only members of an OCOP producer can add products.")}</p>
                        }.into_any(),
                        Ok(Some((_, csrf))) => view! {
                            {other_errors(lang, &s, &["name_vi", "name_en", "group", "tax_kind", "category", "description_vi", "description_en", "status", "sku", "barcode", "size_vi", "size_en", "price"])}
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
        {notice(lang)}
        {super::record_page(move || get_product_editor(id.clone()), move |(e, csrf): (ProductEditor, String)| editor(lang, &s, e, csrf))}
    }
}

fn editor(lang: Lang, s: &FormState, e: ProductEditor, csrf: String) -> impl IntoView + use<> {
    let product_state = s.for_form("product");
    let variants = e.variants.iter().map(|v| variant_block(lang, s, &e, v, &csrf)).collect_view();
    let new_state = s.for_form("variant-new");
    view! {
        <WsHead title=e.form.name_vi.clone()>
            <a class="button ghost" href=format!("/products/{}", e.slug)>{lang.t("Xem trên cửa hàng", "View in the store")}</a>
        </WsHead>
        <section>
            <h2>{lang.t("Thông tin sản phẩm", "Product")}</h2>
            <form method="post" action=format!("/portal/products/{}", e.id) class="checkout-form" id="product-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                {product_fields(lang, &product_state, &e.form)}
                <button type="submit" class="button primary">{lang.t("Lưu", "Save")}</button>
            </form>
        </section>
        <section id="stock">
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
                <tr><td>{l.location.clone()}</td><td class="num">{number(l.on_hand)}</td><td class="num">{number(l.reserved)}</td>
                    <td class="num"><strong>{number(l.on_hand - l.reserved)}</strong></td></tr>
            }
        })
        .collect_view();
    let no_stock = v.stock.is_empty();
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
    let price = if vs.form.is_some() { vs.value("price") } else { number(v.price_vnd) };
    view! {
        <article class="variant size-card" id=format!("variant-{}", v.sku)>
            <header class="order-head" id=format!("size-{}", v.id)>
                <h3>{v.size_vi.clone()}</h3><span class="mono muted">{v.sku.clone()}</span>
                {(!v.active).then(|| view! { <span class="pill">{lang.t("ngừng bán", "off sale")}</span> })}
            </header>
            <div class="size-grid">
                <form method="post" action=format!("/portal/products/{}/variants/{}", e.id, v.id) class="inline-price">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <input type="hidden" name="sku" value=v.sku.clone()/>
                    <input type="hidden" name="barcode" value=v.barcode.clone()/>
                    <input type="hidden" name="size_vi" value=v.size_vi.clone()/>
                    <input type="hidden" name="size_en" value=v.size_en.clone()/>
                    {v.active.then(|| view! { <input type="hidden" name="active" value="on"/> })}
                    <label for=format!("{vid}-quick-price")>{lang.t("Giá", "Price")}</label>
                    <input id=format!("{vid}-quick-price") name="price" value=price inputmode="numeric" maxlength="16" size="9"/>
                    <span class="unit">"₫"</span>
                    <button type="submit" class="button small">{lang.t("Lưu giá", "Save price")}</button>
                </form>
                {error_for(lang, &vs, "price")}
                {if no_stock {
                    view! { <p class="muted">{lang.t("Chưa có tồn kho ở đâu: ghi nhập hàng bên dưới.", "No stock anywhere yet: record received stock below.")}</p> }.into_any()
                } else {
                    view! { <table class="data stock"><thead><tr><th>{lang.t("Nơi", "Location")}</th><th class="num">{lang.t("Tồn", "On hand")}</th>
                        <th class="num">{lang.t("Đơn giữ", "Held")}</th><th class="num">{lang.t("Có thể bán", "To sell")}</th></tr></thead><tbody>{stock}</tbody></table> }.into_any()
                }}
                <form method="post" action=format!("/portal/products/{}/stock", e.id) class="stock-row" id=format!("stock-{}", v.id)>
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <input type="hidden" name="variant_id" value=v.id.to_string()/>
                    <div>
                        <label for=format!("{vid}-loc")>{lang.t("Nơi", "Location")}</label>
                        <select id=format!("{vid}-loc") name="location_id">{locations}</select>
                    </div>
                    <div>
                        <label for=format!("{vid}-reason")>{lang.t("Lý do", "Reason")}</label>
                        <select id=format!("{vid}-reason") name="reason">{reasons}</select>
                    </div>
                    {(!v.batches.is_empty()).then(|| {
                        let options = v.batches.iter().map(|(id, label)| {
                            view! { <option value=id.to_string() selected=ss.value("batch_id") == id.to_string()>{label.clone()}</option> }
                        }).collect_view();
                        view! { <div>
                            <label for=format!("{vid}-batch")>{lang.t("Lô", "Batch")}</label>
                            <select id=format!("{vid}-batch") name="batch_id"><option value="">{lang.t("Không theo lô", "No batch")}</option>{options}</select>
                        </div> }
                    })}
                    <div>
                        <label for=format!("{vid}-qty")>{lang.t("Số lượng (kiểm kê: số đếm được)", "Quantity (count: what is on the shelf)")}</label>
                        <input id=format!("{vid}-qty") name="qty" inputmode="numeric" value=ss.value("qty") maxlength="7" required/>
                    </div>
                    <button type="submit" class="button">{lang.t("Ghi tồn kho", "Record stock")}</button>
                </form>
                {error_for(lang, &ss, "qty")}
            </div>
            <details open=vs.form.is_some() && vs.errors.iter().any(|e| e.field != "price")>
                <summary>{lang.t("Sửa SKU, mã vạch, tên quy cách", "Edit SKU, barcode, size names")}</summary>
                <form method="post" action=format!("/portal/products/{}/variants/{}", e.id, v.id) class="checkout-form form-grid">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    {variant_fields(lang, &vs, &vid, Some(v))}
                    <div class="wide"><button type="submit" class="button">{lang.t("Lưu quy cách", "Save size")}</button></div>
                </form>
            </details>
        </article>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let account = crate::once::once(crate::api::get_account());
    view! {
        <PageTitle text=lang.t("Nhập sản phẩm từ CSV — OCOP", "Import products from CSV — OCOP")/>
        <WsHead title=lang.t("Nhập sản phẩm từ CSV", "Import products from CSV")/>
        {(!s.errors.is_empty()).then(|| view! {
            <Notice kind="warn"><p>{lang.t(
                "Tệp chưa được nhập: sửa các dòng dưới đây rồi tải lên lại. Không có gì được ghi.",
                "The file was not imported: fix the rows below and upload it again. Nothing was written.")}</p></Notice>
        })}
        {import_errors(lang, &s)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match account.await {
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

/// A refused file's problems beside the rows they are about: the line number, the row as it was
/// written, and what is wrong with it; problems with the whole file first.
fn import_errors(lang: Lang, s: &FormState) -> impl IntoView + use<> {
    let file_wide = s
        .errors
        .iter()
        .filter(|e| !e.field.starts_with("line "))
        .map(|e| {
            view! { <p class="field-error" role="alert">{lang.pick(&e.message_vi, &e.message_en).to_string()}</p> }
        })
        .collect_view();
    let mut lines: Vec<&str> = s.errors.iter().filter_map(|e| e.field.strip_prefix("line ")).collect();
    lines.dedup();
    let rows = lines
        .into_iter()
        .map(|n| {
            let field = format!("line {n}");
            let messages = s
                .errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| {
                    let m = lang.pick(&e.message_vi, &e.message_en);
                    let m = m.split_once(": ").map(|(_, rest)| rest).unwrap_or(m).to_string();
                    view! { <li>{m}</li> }
                })
                .collect_view();
            view! {
                <tr id=format!("import-line-{n}")>
                    <td class="num">{n.to_string()}</td>
                    <td class="mono small raw-row">{s.value(&field)}</td>
                    <td><ul class="field-error plain-list">{messages}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let any_rows = s.errors.iter().any(|e| e.field.starts_with("line "));
    view! {
        <div id="import-errors">
            {file_wide}
            {any_rows.then(|| view! {
                <div class="table-wrap"><table class="data import-errors">
                    <thead><tr><th class="num">{lang.t("Dòng", "Line")}</th><th>{lang.t("Nội dung dòng trong tệp", "The row as written")}</th>
                        <th>{lang.t("Cần sửa", "To fix")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            })}
        </div>
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
                    }
        })}
    }
}
