use domain::OcopGroup;
use leptos::prelude::*;

use crate::api::get_home;
use crate::components::{CardGrid, Placeholder};
use crate::format::{encode, vnd};
use crate::i18n::use_lang;

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let home = crate::once::once(get_home());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(d) = home.await else { return super::server_error() };
                let groups = d.facets.groups.iter().filter_map(|(code, n)| {
                    let g = OcopGroup::parse(code).ok()?;
                    Some(view! {
                        <a class="tile" href=format!("/products?group={}", g.code())>
                            <strong>{lang.t(g.name_vi(), g.name_en())}</strong>
                            <span>{*n}{lang.t(" sản phẩm", " products")}</span>
                        </a>
                    })
                }).collect_view();
                let districts = d.facets.districts.iter().map(|(name, n)| view! {
                    <a class="chip" href=format!("/products?district={}", encode(name))>{name.clone()}" ("{*n}")"</a>
                }).collect_view();
                let combos = d.combos.iter().map(|c| view! {
                    <article class="combo">
                        <a href=format!("/combos/{}", c.slug) class="combo-img" aria-hidden="true" tabindex="-1">
                            {match &c.photo {
                                Some(ph) => crate::components::card_photo(ph, c.name_vi.clone()).into_any(),
                                None => view! { <Placeholder name=c.name_vi.clone() group=OcopGroup::Handicrafts/> }.into_any(),
                            }}
                        </a>
                        <div>
                            <h3><a href=format!("/combos/{}", c.slug)>{lang.pick(&c.name_vi, &c.name_en).to_string()}</a></h3>
                            <p class="story">{lang.pick(&c.story_vi, &c.story_en).to_string()}</p>
                            <p class="price">{vnd(c.price)}</p>
                        </div>
                    </article>
                }).collect_view();
                view! {
                    <section class="hero">
                        <h1>{lang.t("Đặc sản OCOP Bình Thuận, chứng nhận rõ ràng", "Bình Thuận OCOP specialities, certified and traceable")}</h1>
                        <p>{lang.t(
                            "Nước mắm Phan Thiết, thanh long Hàm Thuận Bắc, yến sào, rượu vang và quà tặng từ các hợp tác xã, doanh nghiệp và hộ sản xuất địa phương.",
                            "Phan Thiết fish sauce, Hàm Thuận Bắc dragon fruit, bird's nest, wines and gifts from local cooperatives, enterprises and households.",
                        )}</p>
                        // One search box only: the header's, on every page.
                        <p class="hero-actions">
                            <a class="button" href="/products?valid=1&sort=stars">{lang.t("Mua hàng còn chứng nhận", "Shop certified goods")}</a>
                            <a class="button ghost" href="/products">{lang.t("Xem tất cả", "Browse all")}</a>
                        </p>
                        <p class="muted small">{d.total}{lang.t(" sản phẩm OCOP trong danh mục", " OCOP products in the catalogue")}</p>
                    </section>
                    <section>
                        <div class="section-head">
                            <h2>{lang.t("Sản phẩm nổi bật còn hiệu lực chứng nhận", "Featured, with a valid certificate")}</h2>
                            <a href="/products?valid=1&sort=stars">{lang.t("Xem tất cả", "See all")}" →"</a>
                        </div>
                        <CardGrid cards=d.featured.clone()/>
                    </section>
                    <section>
                        <h2>{lang.t("Combo quà tặng", "Gift combos")}</h2>
                        <div class="combos">{combos}</div>
                    </section>
                    <section>
                        <h2>{lang.t("Theo nhóm sản phẩm OCOP", "By OCOP product group")}</h2>
                        <div class="tiles">{groups}</div>
                    </section>
                    <section class="two">
                        <div>
                            <h2>{lang.t("Theo hạng sao", "By stars")}</h2>
                            <div class="chips">
                                <a class="chip" href="/products?stars=5">"★★★★★ "{lang.t("5 sao", "5 stars")}</a>
                                <a class="chip" href="/products?stars=4">"★★★★ "{lang.t("4 sao trở lên", "4 stars and up")}</a>
                                <a class="chip" href="/products?stars=3">"★★★ "{lang.t("3 sao trở lên", "3 stars and up")}</a>
                            </div>
                        </div>
                        <div>
                            <h2>{lang.t("Theo huyện (trước 2025)", "By district (before 2025)")}</h2>
                            <div class="chips">{districts}</div>
                        </div>
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
