use crate::raw_text::PageTitle;
use domain::listing::{CatalogQuery, Sort};
use domain::{OcopGroup, ProducerKind};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::get_catalog;
use crate::components::{CardGrid, Notice};
use crate::format::catalog_url;
use crate::i18n::{Lang, use_lang};

#[component]
pub fn Catalog() -> impl IntoView {
    let lang = use_lang();
    let search = use_location().search.get_untracked();
    let catalog = crate::once::once(get_catalog(search));
    view! {
        <PageTitle text=lang.t("Sản phẩm OCOP", "OCOP products")/>
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(async move {
                match catalog.await {
                    Err(_) => super::server_error(),
                    Ok(Err(e)) => {
                        super::set_status(400);
                        view! {
                            <section class="empty">
                                <h1>{lang.t("Bộ lọc không hợp lệ", "Invalid filter")}</h1>
                                <Notice kind="error">
                                    <p><code>{e.param.clone()}</code>": "{e.message_vi.clone()}</p>
                                    <p lang="en">{e.message_en.clone()}</p>
                                </Notice>
                                <p><a class="button" href="/products">{lang.t("Xem tất cả sản phẩm", "See all products")}</a></p>
                            </section>
                        }
                        .into_any()
                    }
                    Ok(Ok(d)) => results(lang, d).into_any(),
                }
            })}}
        </Suspense>
    }
}

fn results(lang: Lang, d: crate::api::CatalogData) -> impl IntoView {
    let q = d.query.clone();
    let pages = d.page.total.div_ceil(q.per_page as usize).max(1);
    let heading = if q.q.is_empty() {
        lang.t("Tất cả sản phẩm OCOP", "All OCOP products").to_string()
    } else {
        format!("{} “{}”", lang.t("Kết quả cho", "Results for"), q.q)
    };
    let page_link = |page: u32| catalog_url(&CatalogQuery { page, ..q.clone() });
    let prev = (q.page > 1)
        .then(|| view! { <a rel="prev" href=page_link(q.page - 1)>"← "{lang.t("Trang trước", "Previous")}</a> });
    let next = ((q.page as usize) < pages && q.page < domain::listing::MAX_PAGE)
        .then(|| view! { <a rel="next" href=page_link(q.page + 1)>{lang.t("Trang sau", "Next")}" →"</a> });
    let count = d.page.total;
    let empty = d.page.items.is_empty();
    // Corrections are already searched for; the line says how the words were read, and its link
    // gives the shopper a query spelled right to keep or share.
    let did_you_mean = d.page.did_you_mean.clone().map(|meant| {
        let href = catalog_url(&CatalogQuery { q: meant.clone(), page: 1, ..q.clone() });
        view! {
            <p class="did-you-mean" id="did-you-mean">
                {lang.t("Bạn có muốn tìm: ", "Did you mean: ")}<a href=href>{meant}</a>
            </p>
        }
    });
    let partial = d.page.partial.then(|| {
        view! {
            <Notice kind="info">
                <p id="partial-note">{lang.t(
                    "Không có sản phẩm nào có đủ mọi từ bạn gõ; đây là những sản phẩm gần nhất.",
                    "No product has every word you typed; these are the closest.",
                )}</p>
            </Notice>
        }
    });
    let active = [
        q.group.is_some(),
        q.category.is_some(),
        q.min_stars.is_some(),
        q.valid_only,
        q.district.is_some(),
        q.kind.is_some(),
        q.min_price.is_some(),
        q.max_price.is_some(),
    ]
    .into_iter()
    .filter(|on| *on)
    .count();
    // The sorts a shopper switches between most, one tap each; the rest stay in the filter form.
    let sorts = [Sort::Relevance, Sort::Stars, Sort::PriceAsc, Sort::PriceDesc]
        .into_iter()
        .map(|s| {
            let href = catalog_url(&CatalogQuery { sort: s, page: 1, ..q.clone() });
            let current = (q.sort == s).then_some("page");
            view! { <a class="chip" href=href aria-current=current>{short_sort_name(lang, s)}</a> }
        })
        .collect_view();
    // Results first: on a phone the filters fold behind the "Lọc" button (a checkbox and its label,
    // so no JavaScript); from 900 px they stand beside the results.
    view! {
        <div class="catalog">
            <input type="checkbox" id="show-filters" class="toggle"/>
            <div class="results-head">
                <div class="section-head">
                    <h1>{heading}</h1>
                    <p class="muted" id="result-count">{count}{lang.t(" sản phẩm", " products")}</p>
                </div>
                <div class="sort-bar">
                    <label for="show-filters" class="button ghost filter-btn">
                        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M3 5h18l-7 8v6l-4-2v-4z"/></svg>
                        {lang.t("Lọc", "Filter")}
                        {(active > 0).then(|| view! { <span class="count">{active}</span> })}
                    </label>
                    <nav class="chips sorts" aria-label=lang.t("Sắp xếp", "Sort by")>{sorts}</nav>
                </div>
            </div>
            <aside class="filters">
                <FilterForm q=q.clone() facets=d.facets.clone()/>
            </aside>
            <section class="results">
                {did_you_mean}
                {partial}
                {empty.then(|| view! {
                    <Notice kind="info">
                        <p>{lang.t("Không có sản phẩm phù hợp. Thử bỏ bớt bộ lọc hoặc gõ từ khóa khác.", "No products match. Try fewer filters or other words.")}</p>
                    </Notice>
                })}
                <CardGrid cards=d.page.items.clone()/>
                <nav class="pager" aria-label=lang.t("Phân trang", "Pages")>
                    {prev}
                    <span>{lang.t("Trang ", "Page ")}{q.page}" / "{pages}</span>
                    {next}
                </nav>
            </section>
        </div>
    }
}

const MAX_LISTED_DISTRICTS: usize = 60;

#[component]
fn FilterForm(q: CatalogQuery, facets: domain::listing::Facets) -> impl IntoView {
    let lang = use_lang();
    let opt =
        |value: String, label: String, selected: bool| view! { <option value=value selected=selected>{label}</option> };
    let groups = OcopGroup::ALL
        .into_iter()
        .map(|g| opt(g.code().into(), lang.t(g.name_vi(), g.name_en()).into(), q.group == Some(g)))
        .collect_view();
    let categories = facets
        .categories
        .iter()
        .map(|(c, n)| opt(c.clone(), format!("{c} ({n})"), q.category.as_deref() == Some(c)))
        .collect_view();
    // A province has a handful of districts: a list. The national catalogue has hundreds: a text box,
    // so the page does not carry hundreds of options to a phone.
    let district_field = if facets.districts.len() <= MAX_LISTED_DISTRICTS {
        let options = facets
            .districts
            .iter()
            .map(|(c, n)| opt(c.clone(), format!("{c} ({n})"), q.district.as_deref() == Some(c)))
            .collect_view();
        view! { <select name="district"><option value="">{lang.t("Tất cả", "Any")}</option>{options}</select> }
            .into_any()
    } else {
        view! { <input type="text" name="district" maxlength="100" value=q.district.clone()/> }.into_any()
    };
    let kinds = ProducerKind::ALL
        .into_iter()
        .map(|k| {
            opt(k.code().into(), format!("{} ({})", lang.t(k.name_vi(), k.name_en()), k.code()), q.kind == Some(k))
        })
        .collect_view();
    let stars = [3u8, 4, 5]
        .into_iter()
        .map(|s| opt(s.to_string(), format!("{s}★ {}", lang.t("trở lên", "and up")), q.min_stars == Some(s)))
        .collect_view();
    let sorts = Sort::ALL
        .into_iter()
        .map(|s| opt(s.code().into(), lang.t(s.name_vi(), s.name_en()).into(), q.sort == s))
        .collect_view();
    let any = lang.t("Tất cả", "Any");
    view! {
        <form class="filter-form" action="/products" method="get">
            <label>{lang.t("Từ khóa", "Words")}
                <input type="search" name="q" value=q.q.clone() maxlength="200"/>
            </label>
            <label>{lang.t("Nhóm OCOP", "OCOP group")}
                <select name="group"><option value="">{any}</option>{groups}</select>
            </label>
            <label>{lang.t("Loại hàng", "Category")}
                <select name="category"><option value="">{any}</option>{categories}</select>
            </label>
            <label>{lang.t("Hạng sao", "Stars")}
                <select name="stars"><option value="">{any}</option>{stars}</select>
            </label>
            <label class="check">
                <input type="checkbox" name="valid" value="1" checked=q.valid_only/>
                {lang.t("Chỉ chứng nhận còn hiệu lực", "Valid certificate only")}
            </label>
            <label>{lang.t("Huyện (trước 2025)", "District (before 2025)")}
                {district_field}
            </label>
            <label>{lang.t("Loại chủ thể", "Producer kind")}
                <select name="kind"><option value="">{any}</option>{kinds}</select>
            </label>
            <fieldset class="price-range">
                <legend>{lang.t("Giá (₫)", "Price (₫)")}</legend>
                <input type="number" name="min_price" min="0" step="1000" inputmode="numeric" placeholder=lang.t("từ", "from") value=q.min_price.map(|p| p.to_string())/>
                <input type="number" name="max_price" min="0" step="1000" inputmode="numeric" placeholder=lang.t("đến", "to") value=q.max_price.map(|p| p.to_string())/>
            </fieldset>
            <label>{lang.t("Sắp xếp", "Sort by")}
                <select name="sort">{sorts}</select>
            </label>
            <div class="actions">
                <button type="submit">{lang.t("Lọc", "Apply")}</button>
                <a class="button ghost" href="/products">{lang.t("Xóa lọc", "Clear")}</a>
            </div>
        </form>
    }
}

/// Sort names short enough for a row of chips on a phone (the form's list keeps the full names).
fn short_sort_name(lang: Lang, s: Sort) -> &'static str {
    match s {
        Sort::Relevance => lang.t("Phù hợp", "Best match"),
        Sort::Stars => lang.t("Nhiều sao", "Most stars"),
        Sort::PriceAsc => lang.t("Giá thấp", "Price ↑"),
        Sort::PriceDesc => lang.t("Giá cao", "Price ↓"),
        Sort::Newest => lang.t("Mới", "Newest"),
    }
}
