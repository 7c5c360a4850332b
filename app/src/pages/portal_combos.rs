//! Gift combos: the list, a new combo and a combo's page, built with the product picker.

use domain::portal::PickItem;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::portal::{notice, sign_in_first};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::{number, vnd};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::{PageTitle, TextArea};
use crate::workspace::{EmptyState, WsHead};

/// The combo's own fields, then its parts: each chosen size with its photo, name and quantity, and
/// the picker (search by name, SKU or barcode; add with a button). The picker's buttons post the whole
/// form back, which comes back changed and unsaved: no script needed.
fn combo_fields(
    lang: Lang,
    s: &FormState,
    c: &domain::listing_edit::ComboForm,
    picks: (Vec<PickItem>, Vec<PickItem>),
) -> impl IntoView + use<> {
    let v = |name: &str, cur: &str| if s.form.is_some() { s.value(name) } else { cur.to_string() };
    let active =
        if s.form.is_some() { !s.value("active").is_empty() } else { c.active.is_some() || c.name_vi.is_empty() };
    let (found, chosen) = picks;
    let pick = s.value("pick");
    let thumb = |t: &Option<String>| match t {
        Some(f) => {
            view! { <img class="thumb" src=format!("/media/{f}") width="48" height="36" alt="" loading="lazy"/> }
                .into_any()
        }
        None => view! { <span class="thumb none" aria-hidden="true"></span> }.into_any(),
    };
    let rows = c.rows().into_iter().enumerate().filter(|(i, (sku, _))| !v(&format!("sku_{}", i + 1), sku).is_empty()).map(|(i, (sku, qty))| {
        let n = i + 1;
        let sku = v(&format!("sku_{n}"), sku);
        let qty = v(&format!("qty_{n}"), if qty.is_empty() { "1" } else { qty });
        let item = chosen.iter().find(|p| p.sku.eq_ignore_ascii_case(&sku));
        view! {
            <tr>
                <td>{thumb(&item.and_then(|p| p.thumb.clone()))}</td>
                <td>{item.map(|p| format!("{} · {}", p.name_vi, p.size_vi)).unwrap_or_else(|| lang.t("Không tìm thấy SKU này", "No such SKU").to_string())}
                    <br/><span class="mono muted small">{sku.clone()}</span>
                    <input type="hidden" name=format!("sku_{n}") value=sku.clone()/>
                    {error_for(lang, s, &format!("sku_{n}"))}</td>
                <td class="num">{item.map(|p| number(p.available_online)).unwrap_or_default()}</td>
                <td class="num"><input class="qty" name=format!("qty_{n}") value=qty inputmode="numeric" maxlength="2" size="2"
                    aria-label=format!("{} {sku}", lang.t("Số lượng", "Quantity"))/></td>
                <td><button type="submit" name="remove" value=n.to_string() class="button ghost small" formnovalidate>{lang.t("Bỏ", "Remove")}</button></td>
            </tr>
        }
    }).collect_view();
    let empty_parts = c.rows().iter().enumerate().all(|(i, (sku, _))| v(&format!("sku_{}", i + 1), sku).is_empty());
    let results = found.into_iter().map(|p| view! {
        <li class="pick">
            {thumb(&p.thumb)}
            <span class="pick-name">{p.name_vi.clone()}" · "{p.size_vi.clone()}<br/>
                <span class="mono muted small">{p.sku.clone()}{(!p.barcode.is_empty()).then(|| format!(" · {}", p.barcode))}</span></span>
            <span class="pick-meta">{vnd(p.price_vnd)}<br/><span class="muted small">{lang.t("còn ", "")}{number(p.available_online)}{lang.t("", " left")}</span></span>
            <button type="submit" name="add" value=p.sku.clone() class="button small" formnovalidate>{lang.t("Thêm", "Add")}</button>
        </li>
    }).collect_view();
    let searched = !pick.trim().is_empty();
    view! {
        <div class="form-grid">
            <div>
                <label for="name_vi">{lang.t("Tên tiếng Việt", "Vietnamese name")}</label>
                <input id="name_vi" name="name_vi" value=v("name_vi", &c.name_vi) maxlength="200" required/>
                {error_for(lang, s, "name_vi")}
            </div>
            <div>
                <label for="name_en">{lang.t("Tên tiếng Anh", "English name")}</label>
                <input id="name_en" name="name_en" value=v("name_en", &c.name_en) maxlength="200" required/>
                {error_for(lang, s, "name_en")}
            </div>
            <div>
                <label for="story_vi">{lang.t("Câu chuyện (tiếng Việt)", "Story (Vietnamese)")}</label>
                <TextArea id="story_vi" rows=3 maxlength=3000 value=v("story_vi", &c.story_vi)/>
                {error_for(lang, s, "story_vi")}
            </div>
            <div>
                <label for="story_en">{lang.t("Câu chuyện (tiếng Anh)", "Story (English)")}</label>
                <TextArea id="story_en" rows=3 maxlength=3000 value=v("story_en", &c.story_en)/>
                {error_for(lang, s, "story_en")}
            </div>
            <div>
                <label for="price">{lang.t("Giá combo (đồng)", "Combo price (đồng)")}</label>
                <input id="price" name="price" value=v("price", &c.price) inputmode="numeric" maxlength="16" required/>
                {error_for(lang, s, "price")}
            </div>
            <label class="choice"><input type="checkbox" name="active" checked=active/>" "{lang.t("Đang bán", "On sale")}</label>
        </div>
        <fieldset class="parts" id="parts">
            <legend>{lang.t("Sản phẩm trong combo", "Products in the combo")}</legend>
            {if empty_parts {
                view! { <p class="muted">{lang.t("Chưa có sản phẩm nào. Tìm và thêm bên dưới (tối đa 6).", "Nothing yet. Find and add below (6 at most).")}</p> }.into_any()
            } else {
                view! { <table class="data parts-table"><thead><tr><th><span class="sr-only">{lang.t("Ảnh", "Photo")}</span></th>
                    <th>{lang.t("Sản phẩm", "Product")}</th><th class="num">{lang.t("Còn", "In stock")}</th>
                    <th class="num">{lang.t("SL", "Qty")}</th><th><span class="sr-only">{lang.t("Bỏ", "Remove")}</span></th></tr></thead>
                    <tbody>{rows}</tbody></table> }.into_any()
            }}
            {other_errors(lang, s, &["name_vi", "name_en", "story_vi", "story_en", "price", "sku_1", "sku_2", "sku_3", "sku_4", "sku_5", "sku_6"])}
            <div class="picker">
                <label for="pick">{lang.t("Tìm sản phẩm theo tên, SKU hoặc mã vạch", "Find a product by name, SKU or barcode")}</label>
                <div class="list-search">
                    <input type="search" id="pick" name="pick" value=pick.clone() maxlength="100" placeholder=lang.t("nước mắm, BT0001, 893…", "fish sauce, BT0001, 893…")/>
                    <button type="submit" name="find" value="1" class="button" formnovalidate>{lang.t("Tìm", "Find")}</button>
                </div>
                {searched.then(|| view! { <ul class="picks" id="picks">{results}</ul> })}
            </div>
        </fieldset>
    }
}

/// The chosen SKUs of a combo form (typed values first), for the picker's lookup.
fn chosen_skus(s: &FormState, c: &domain::listing_edit::ComboForm) -> Vec<String> {
    c.rows()
        .iter()
        .enumerate()
        .map(|(i, (sku, _))| if s.form.is_some() { s.value(&format!("sku_{}", i + 1)) } else { sku.to_string() })
        .filter(|s| !s.trim().is_empty())
        .collect()
}

#[component]
pub fn CombosPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let picks = {
        let ns = s.for_form("combo");
        crate::once::once(crate::api::get_pickable(ns.value("pick"), chosen_skus(&ns, &Default::default())))
    };
    let combos = crate::once::once(crate::api::get_combos());
    view! {
        <PageTitle text=lang.t("Combo quà tặng — OCOP", "Gift combos — OCOP")/>
        <WsHead title=lang.t("Combo quà tặng", "Gift combos")>
            <a class="button" href="#new">{lang.t("Tạo combo", "New combo")}</a>
        </WsHead>
        <Suspense fallback=|| ()>
            {move || {
                let (s, picks, combos) = (s.clone(), picks, combos);
                Suspend::new(async move {
                    let ns = s.for_form("combo");
                    let picks = picks.await.unwrap_or_default();
                    match combos.await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((combos, csrf))) => {
                            let none = combos.is_empty();
                            let rows = combos.into_iter().map(|c| view! {
                                <tr><td><a href=format!("/portal/combos/{}", c.id)>{c.name_vi.clone()}</a>
                                    {c.curated.then(|| view! { " " <span class="muted">{lang.t("(văn phòng tuyển chọn)", "(office curated)")}</span> })}</td>
                                    <td class="num">{vnd(c.price_vnd)}</td><td class="num">{number(c.available)}</td>
                                    <td>{if c.active { lang.t("Đang bán", "On sale") } else { lang.t("Ngừng bán", "Off sale") }}</td></tr>
                            }).collect_view();
                            view! {
                                {if none {
                                    view! { <EmptyState title=lang.t("Chưa có combo nào.", "No combo yet.")
                                        hint=lang.t("Ghép vài sản phẩm thành một hộp quà: du khách mua combo nhiều hơn mua lẻ.", "Put a few products together as a gift box: visitors buy combos more than single items.")/> }.into_any()
                                } else {
                                    view! { <div class="table-wrap"><table class="data" id="combos">
                                        <thead><tr><th>{lang.t("Combo", "Combo")}</th><th class="num">{lang.t("Giá", "Price")}</th>
                                            <th class="num">{lang.t("Có thể bán", "Available")}</th><th>{lang.t("Trạng thái", "Status")}</th></tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table></div> }.into_any()
                                }}
                                <section class="panel" id="new">
                                    <h2>{lang.t("Tạo combo", "New combo")}</h2>
                                    <form method="post" action="/portal/combos" class="checkout-form" id="new-combo">
                                        <input type="hidden" name="csrf" value=csrf/>
                                        {combo_fields(lang, &ns, &Default::default(), picks)}
                                        <button type="submit" class="button primary">{lang.t("Tạo combo", "Create combo")}</button>
                                    </form>
                                </section>
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
    let picker = s.for_form("combo");
    let load = move || {
        let picker = picker.clone();
        async move {
            let Some((c, csrf)) = crate::api::get_combos()
                .await?
                .and_then(|(list, csrf)| list.into_iter().find(|c| c.id == id).map(|c| (c, csrf)))
            else {
                return Ok::<_, ServerFnError>(None);
            };
            let picks = crate::api::get_pickable(picker.value("pick"), chosen_skus(&picker, &c.form)).await?;
            Ok(Some((c, csrf, picks)))
        }
    };
    view! {
        <PageTitle text=lang.t("Sửa combo — OCOP", "Edit combo — OCOP")/>
        {notice(lang)}
        {super::record_page(load, move |(c, csrf, picks): (domain::portal::ComboRow, String, (Vec<PickItem>, Vec<PickItem>))| {
            let cs = s.for_form("combo");
            view! {
                <h1>{c.name_vi.clone()}</h1>
                <p><a href=format!("/combos/{}", c.slug)>{lang.t("Xem trên cửa hàng", "View in the store")}</a>
                   " · "{lang.t("Có thể bán: ", "Available: ")}<span id="combo-available">{c.available}</span></p>
                <form method="post" action=format!("/portal/combos/{}", c.id) class="checkout-form panel" id="combo-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    {combo_fields(lang, &cs, &c.form, picks)}
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
