use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{get_combo, get_producer};
use crate::components::{CardGrid, CartIcon, Placeholder};
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

fn producer(lang: Lang, m: ProducerView, mut cards: Vec<ProductCard>) -> impl IntoView {
    // What can be bought with a current badge first; lapsed certificates after, in the same order.
    cards.sort_by_key(|c| !c.cert.as_ref().is_some_and(|c| c.status.shows_badge()));
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
    let items = c
        .items
        .iter()
        .map(|i| {
            view! {
                <li>
                    <a href=format!("/products/{}", i.product_slug)>{lang.pick(&i.product_name_vi, &i.product_name_en).to_string()}</a>
                    <span class="meta">{lang.pick(&i.size_vi, &i.size_en).to_string()}" × "{i.qty}</span>
                    <span class="price-plain">{vnd(i.unit_price)}</span>
                </li>
            }
        })
        .collect_view();
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
                <form method="post" action="/cart/add" class="buy">
                    <input type="hidden" name="combo" value=c.slug.clone()/>
                    <div class="buy-bar">
                        {if c.available > 0 {
                            view! {
                                <label class="qty-label">
                                    <span class="sr-only">{lang.t("Số lượng", "Quantity")}</span>
                                    <input type="number" name="qty" value="1" min="1" max=c.available.min(99).to_string() inputmode="numeric"/>
                                </label>
                                <button type="submit" class="button primary add">
                                    <CartIcon size=20/>
                                    {lang.t("Thêm vào giỏ", "Add to cart")}
                                </button>
                            }.into_any()
                        } else {
                            view! { <p class="sold-out">{lang.t("Tạm hết hàng", "Out of stock for now")}</p> }.into_any()
                        }}
                    </div>
                </form>
                <h2>{lang.t("Trong combo có", "In this combo")}</h2>
                <ul class="combo-items">{items}</ul>
                <p class="sample-note">{lang.t("Giá combo và câu chuyện là dữ liệu mẫu.", "Combo price and story are sample values.")}</p>
            </div>
        </article>
    }
}
