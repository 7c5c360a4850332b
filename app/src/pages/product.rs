use leptos::prelude::*;
use leptos_meta::Meta;

use crate::raw_text::PageTitle;
use leptos_router::hooks::use_params_map;

use crate::api::{get_product, get_public_url};
use crate::components::{CartIcon, CertBadge, CertPanel, Notice, Placeholder, status_name};
use crate::format::{encode, vnd};
use crate::i18n::{Lang, use_lang};

/// The QR code a package sticker would carry: it opens the public certificate check.
fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(code.render::<qrcode::render::svg::Color>().min_dimensions(150, 150).quiet_zone(true).build())
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    super::record_page(
        move || {
            let slug = slug.clone();
            async move {
                let base = get_public_url().await?;
                Ok(get_product(slug).await?.map(|p| (p, base)))
            }
        },
        move |(p, base)| page(lang, p, base),
    )
}

fn page(lang: Lang, p: domain::listing::ProductDetail, base: String) -> impl IntoView {
    let card = p.card.clone();
    let title = lang.pick(&card.name_vi, &card.name_en).to_string();
    let qr = card.cert.as_ref().and_then(|c| qr_svg(&format!("{base}/verify/{}", encode(&c.number))));
    let buy = buy_form(lang, &p.variants);
    let barcodes = p
        .variants
        .iter()
        .filter_map(|v| v.barcode.clone().map(|b| (lang.pick(&v.size_vi, &v.size_en).to_string(), b)))
        .map(|(size, code)| view! { <li>{size}": "<span class="mono">{code}</span></li> })
        .collect::<Vec<_>>();
    let history = (p.certificates.len() > 1).then(|| {
        let rows = p
            .certificates
            .iter()
            .map(|c| view! {
                <li><a href=format!("/verify/{}", encode(&c.number))>{c.number.clone()}</a>" · "{c.stars}"★ · "{status_name(lang, c.status)}</li>
            })
            .collect_view();
        view! { <section><h2>{lang.t("Lịch sử chứng nhận", "Certificate history")}</h2><ul>{rows}</ul></section> }
    });
    let producer = p.producer.clone().map(|m| {
        let kind = m.kind.map(|k| lang.t(k.name_vi(), k.name_en()).to_string()).unwrap_or_default();
        view! {
            <section class="producer-card">
                <h2>{lang.t("Chủ thể sản xuất", "Producer")}</h2>
                <p class="name"><a href=format!("/producers/{}", m.slug)>{m.name.clone()}</a></p>
                <p class="meta">{kind}</p>
                <p class="meta">
                    {m.district.clone().map(|d| format!("{d}, "))}
                    {lang.t("Bình Thuận cũ — nay ", "former Bình Thuận — now ")}{m.province.clone()}
                </p>
                <p><a href=format!("/producers/{}", m.slug)>{m.product_count}
                    {if m.product_count == 1 {
                        lang.t(" sản phẩm của chủ thể này →", " product from this producer →")
                    } else {
                        lang.t(" sản phẩm của chủ thể này →", " products from this producer →")
                    }}</a></p>
            </section>
        }
    });
    let proposed = p.proposed_five.then(|| view! {
        <p class="proposed-five" id="proposed-five"><span class="badge ok"><span class="stars">"★★★★★"</span>
            {lang.t(" Đề nghị xét 5 sao", " Proposed for 5 stars")}</span>" "
            <span class="muted small">{lang.t("Hội đồng tỉnh chấm từ 90 điểm; chờ quyết định của Bộ.", "Scored 90 or more by the province; awaiting the Ministry's decision.")}</span></p>
    });
    let recalls = (!p.recalls.is_empty()).then(|| {
        let items = p
            .recalls
            .iter()
            .map(|(size, code, reason)| view! {
                <li><strong>{format!("{} {code} ({size})", lang.t("Lô", "Batch"))}</strong>": "{reason.clone()}</li>
            })
            .collect_view();
        view! {
            <div class="notice recall" role="alert" id="product-recall">
                <h2>{lang.t("Đang thu hồi lô hàng", "Batch recall in progress")}</h2>
                <ul>{items}</ul>
                <p class="small">{lang.t("Các sản phẩm thuộc lô này không được bán. Nếu bạn đã mua, vui lòng không sử dụng và liên hệ người bán.", "Units of this batch are not sold. If you bought one, please do not use it and contact the seller.")}</p>
            </div>
        }
    });
    let cert_panel = match card.cert.clone() {
        Some(c) => view! { {proposed} <CertPanel cert=c qr_svg=qr.unwrap_or_default()/> }.into_any(),
        None => view! {
            <Notice kind="info"><p>{lang.t("Sản phẩm chưa có giấy chứng nhận OCOP trong hồ sơ.", "No OCOP certificate is on record for this product.")}</p></Notice>
        }
        .into_any(),
    };
    view! {
        <PageTitle text=format!("{title} — OCOP")/>
        <Meta name="description" content=lang.pick(&p.description_vi, &p.description_en).to_string()/>
        <nav class="crumbs">
            <a href="/">{lang.t("Trang chủ", "Home")}</a>" › "
            <a href=format!("/products?group={}", card.group.code())>{lang.t(card.group.name_vi(), card.group.name_en())}</a>" › "
            <span class="here">{title.clone()}</span>
        </nav>
        <article class="product">
            <div class="gallery">{if p.photos.is_empty() {
                view! { <Placeholder name=card.name_vi.clone() group=card.group large=true/> }.into_any()
            } else {
                p.photos.iter().map(|ph| crate::components::photo_img(ph, card.name_vi.clone())).collect_view().into_any()
            }}</div>
            <div class="summary">
                <CertBadge cert=card.cert.clone()/>
                <h1>{title}</h1>
                {(lang == Lang::En).then(|| view! { <p class="alt-name" lang="vi">{card.name_vi.clone()}</p> })}
                {(lang == Lang::Vi && !card.name_en.is_empty()).then(|| view! { <p class="alt-name" lang="en">{card.name_en.clone()}</p> })}
                <p class="meta">{lang.pick(&card.category, domain::category::name_en(&card.category)).to_string()}{card.district.clone().map(|d| format!(" · {d}"))}</p>
                // The price under the name, as shoppers expect it on a phone; the sizes below give each one.
                {card.min_price.map(|min| {
                    let several = p.variants.iter().any(|v| v.price != min);
                    view! { <p class="price big">{several.then(|| lang.t("từ ", "from "))}{vnd(min)}</p> }
                })}
                <p class="lead">{lang.pick(&p.description_vi, &p.description_en).to_string()}</p>
                {recalls}
                {buy}
                {(!barcodes.is_empty()).then(|| view! {
                    <details class="more-info">
                        <summary>{lang.t("Mã vạch từng quy cách", "Barcode of each size")}</summary>
                        <ul>{barcodes}</ul>
                    </details>
                })}
                {p.sample_values.then(|| view! {
                    <p class="sample-note">{lang.t(
                        "Giá, quy cách, tồn kho, mã vạch (mã nội bộ) và tên tiếng Anh là dữ liệu mẫu cho đến khi chủ thể cập nhật.",
                        "Price, size, stock, barcode (in-store code) and English name are sample values until the producer updates them.",
                    )}</p>
                })}
                {p.source_url.clone().map(|u| view! {
                    <p class="source">{lang.t("Nguồn thông tin công nhận: ", "Certification source: ")}<a href=u.clone() rel="nofollow noopener">{u.clone()}</a></p>
                })}
            </div>
        </article>
        <div class="product-more">
            {cert_panel}
            {producer}
        </div>
        {history}
    }
}

/// Sizes as chips (radio buttons, the first one in stock chosen) and one add-to-cart form. On a
/// phone its bar (quantity and button) is fixed to the bottom of the screen, so the button is in
/// reach from the first screen on; on a desktop it sits under the sizes.
fn buy_form(lang: Lang, variants: &[domain::listing::VariantView]) -> impl IntoView + use<> {
    let first = variants.iter().position(|v| v.in_stock > 0);
    let chips = variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let stock = if v.in_stock > 0 {
                format!("{} {}", v.in_stock, lang.t("còn hàng", "in stock"))
            } else {
                lang.t("Hết hàng", "Out of stock").to_string()
            };
            view! {
                <label class="size-chip">
                    <input type="radio" name="variant" value=v.id.to_string() checked=first == Some(i)
                        disabled=v.in_stock <= 0 required=true/>
                    <span class="size">{lang.pick(&v.size_vi, &v.size_en).to_string()}</span>
                    <span class="price">{vnd(v.price)}</span>
                    <span class="stock">{stock}</span>
                </label>
            }
        })
        .collect_view();
    let max = variants.iter().map(|v| v.in_stock).max().unwrap_or(0).clamp(1, 99);
    view! {
        <form method="post" action="/cart/add" class="buy">
            <fieldset class="variants">
                <legend>{lang.t("Chọn quy cách", "Choose a size")}</legend>
                <div class="size-chips">{chips}</div>
            </fieldset>
            <div class="buy-bar">
                {match first {
                    Some(_) => view! {
                        <label class="qty-label">
                            <span class="sr-only">{lang.t("Số lượng", "Quantity")}</span>
                            <input type="number" name="qty" value="1" min="1" max=max.to_string() inputmode="numeric"/>
                        </label>
                        <button type="submit" class="button primary add">
                            <CartIcon size=20/>
                            {lang.t("Thêm vào giỏ", "Add to cart")}
                        </button>
                    }.into_any(),
                    None => view! {
                        <p class="sold-out">{lang.t("Tạm hết hàng", "Out of stock for now")}</p>
                    }.into_any(),
                }}
            </div>
        </form>
    }
}
