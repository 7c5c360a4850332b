use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{get_combo, get_producer};
use crate::components::{CardGrid, Placeholder};
use crate::format::vnd;
use crate::i18n::{Lang, use_lang};
use domain::listing::{ComboView, ProducerView, ProductCard};

#[component]
pub fn ProducerPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    super::record_page(move || get_producer(slug.clone()), move |(m, cards)| producer(lang, m, cards))
}

fn producer(lang: Lang, m: ProducerView, cards: Vec<ProductCard>) -> impl IntoView {
    let kind = m.kind.map(|k| format!("{} ({})", lang.t(k.name_vi(), k.name_en()), k.code()));
    view! {
        <PageTitle text=format!("{} — OCOP", m.name)/>
        <section class="producer-head">
            <h1>{m.name.clone()}</h1>
            <dl class="facts">
                <dt>{lang.t("Loại chủ thể", "Kind")}</dt>
                <dd>{kind.unwrap_or_else(|| lang.t("chưa rõ", "not recorded").to_string())}</dd>
                <dt>{lang.t("Huyện (trước 2025)", "District (before 2025)")}</dt>
                <dd>{m.district.clone().unwrap_or_else(|| lang.t("chưa rõ", "not recorded").to_string())}</dd>
                <dt>{lang.t("Tỉnh hiện nay", "Province now")}</dt>
                <dd>{m.province.clone()}</dd>
                <dt>{lang.t("Xã/phường hiện nay", "Commune now")}</dt>
                <dd>{m.commune.clone().unwrap_or_else(|| lang.t("chưa cập nhật", "not yet recorded").to_string())}</dd>
            </dl>
            {m.story_vi.clone().map(|s| view! { <p class="lead">{lang.pick(&s, m.story_en.as_deref().unwrap_or_default()).to_string()}</p> })}
        </section>
        <h2>{lang.t("Sản phẩm", "Products")}" ("{cards.len()}")"</h2>
        <CardGrid cards/>
    }
}

#[component]
pub fn ComboPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    super::record_page(move || get_combo(slug.clone()), move |c| combo(lang, c))
}

fn combo(lang: Lang, c: ComboView) -> impl IntoView {
    let items_total = c.items_total();
    let items = c.items.iter().map(|i| view! {
                    <tr>
                        <td><a href=format!("/products/{}", i.product_slug)>{lang.pick(&i.product_name_vi, &i.product_name_en).to_string()}</a></td>
                        <td>{lang.pick(&i.size_vi, &i.size_en).to_string()}</td>
                        <td class="num">{i.qty}</td>
                        <td class="num">{vnd(i.unit_price)}</td>
                    </tr>
                }).collect_view();
    view! {
        <PageTitle text=format!("{} — OCOP", lang.pick(&c.name_vi, &c.name_en))/>
        <article class="product">
            <div class="gallery">{match &c.photo {
                Some(ph) => crate::components::photo_img(ph, c.name_vi.clone()).into_any(),
                None => view! { <Placeholder name=c.name_vi.clone() group=domain::OcopGroup::Handicrafts large=true/> }.into_any(),
            }}</div>
            <div class="summary">
                <span class="badge ok">{lang.t("Combo quà tặng", "Gift combo")}</span>
                <h1>{lang.pick(&c.name_vi, &c.name_en).to_string()}</h1>
                <p class="lead">{lang.pick(&c.story_vi, &c.story_en).to_string()}</p>
                <p class="price big">{vnd(c.price)}</p>
                {(items_total > c.price).then(|| view! {
                    <p class="muted">{lang.t("Mua lẻ: ", "Bought separately: ")}<s>{vnd(items_total)}</s></p>
                })}
                <p>{if c.available > 0 {
                    format!("{} {}", c.available, lang.t("combo có sẵn", "combos available"))
                } else {
                    lang.t("Tạm hết hàng", "Out of stock").to_string()
                }}</p>
                {(c.available > 0).then(|| view! {
                    <form method="post" action="/cart/add" class="add-form">
                        <input type="hidden" name="combo" value=c.slug.clone()/>
                        <input type="number" name="qty" value="1" min="1" max=c.available.min(99).to_string()
                            aria-label=lang.t("Số lượng", "Quantity") inputmode="numeric"/>
                        <button type="submit" class="button primary">{lang.t("Thêm vào giỏ", "Add to cart")}</button>
                    </form>
                })}
                <div class="table-wrap"><table class="variants">
                    <thead><tr>
                        <th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Quy cách", "Size")}</th>
                        <th class="num">{lang.t("SL", "Qty")}</th><th class="num">{lang.t("Giá lẻ", "Unit price")}</th>
                    </tr></thead>
                    <tbody>{items}</tbody>
                </table></div>
                <p class="sample-note">{lang.t("Giá combo và câu chuyện là dữ liệu mẫu.", "Combo price and story are sample values.")}</p>
            </div>
        </article>
    }
}
