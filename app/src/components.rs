//! Pieces every page uses: header with search, footer, product cards, star badges, the certificate panel.

use domain::OcopGroup;
use domain::certificate::CertStatus;
use domain::listing::{CertView, ProductCard};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::format::{date, encode, vnd};
use crate::i18n::{Lang, use_lang};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    // The words searched for stay in the box on the results page (which is cached by URL, so this
    // does not make it personal).
    let typed = location.query.get_untracked().get("q").filter(|_| location.pathname.get_untracked() == "/products");
    let switch = move || {
        let (code, label) = match lang {
            Lang::Vi => ("en", "English"),
            Lang::En => ("vi", "Tiếng Việt"),
        };
        view! { <a class="lang" href=format!("/lang/{code}?next={}", encode(&here())) hreflang=code>{label}</a> }
    };
    // The portal and the office are workspaces, not shops: their bar names the area and leaves out
    // the search and the cart.
    let path = location.pathname.get_untracked();
    let area = if path == "/portal" || path.starts_with("/portal/") {
        Some(lang.t("Cổng chủ thể", "Producer portal"))
    } else if path.starts_with("/office/dossiers") {
        // Where commune officers and council members work too: named for the work, not the office.
        Some(lang.t("Đánh giá OCOP", "OCOP evaluation"))
    } else if path == "/office" || path.starts_with("/office/") {
        Some(lang.t("Văn phòng OCOP", "OCOP office"))
    } else {
        None
    };
    if let Some(area) = area {
        return view! {
            <header class="top ws-top">
                <div class="bar">
                    <a class="brand" href="/" aria-label=lang.t("Chợ OCOP Bình Thuận — trang chủ", "OCOP Market Bình Thuận — home")>
                        <span class="mark">"OCOP"</span>
                    </a>
                    <span class="ws-area">{area}</span>
                    <span class="ws-bar-links">{switch()}</span>
                </div>
            </header>
        }
        .into_any();
    }
    // On a phone the links fold behind a menu button: a checkbox and its label, so it opens without
    // JavaScript; from 1024 px the links stand in the bar and the button is hidden (see style.css).
    view! {
        <header class="top">
            <div class="bar">
                <input type="checkbox" id="menu-toggle" class="toggle"/>
                <label for="menu-toggle" class="icon-btn menu-btn" title=lang.t("Danh mục", "Menu")>
                    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18"/></svg>
                    <span class="sr-only">{lang.t("Danh mục", "Menu")}</span>
                </label>
                <a class="brand" href="/" aria-label=lang.t("Chợ OCOP Bình Thuận — trang chủ", "OCOP Market Bình Thuận — home")>
                    <span class="mark">"OCOP"</span>
                    <span class="brand-text">{lang.t("Chợ OCOP Bình Thuận", "OCOP Market Bình Thuận")}</span>
                </a>
                <form class="search" action="/products" method="get" role="search">
                    <input
                        type="search"
                        name="q"
                        maxlength="200"
                        placeholder=lang.t("Tìm nước mắm, thanh long…", "Search fish sauce, dragon fruit…")
                        aria-label=lang.t("Tìm sản phẩm", "Search products")
                        value=typed
                    />
                    <button type="submit">
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5 21 21"/></svg>
                        <span class="sr-only">{lang.t("Tìm", "Search")}</span>
                    </button>
                </form>
                // The count is a picture drawn per visitor (/cart/count.svg), so this page stays the
                // same for everyone and the page cache keeps it.
                <a href="/cart" class="cart-link icon-btn">
                    <CartIcon size=24/>
                    <span class="cart-text">{lang.t("Giỏ hàng", "Cart")}</span>
                    <img class="cart-count" src="/cart/count.svg" width="22" height="22" alt=""/>
                </a>
                <nav class="nav" aria-label=lang.t("Danh mục chính", "Main")>
                    <a href="/products">{lang.t("Sản phẩm", "Products")}</a>
                    <a href="/products?valid=1&sort=stars">{lang.t("Còn hiệu lực", "Certified now")}</a>
                    <a href="/orders">{lang.t("Tra cứu đơn", "Track order")}</a>
                    <a href="/account">{lang.t("Tài khoản", "Account")}</a>
                    {switch}
                </nav>
            </div>
        </header>
    }
    .into_any()
}

/// A shopping cart, drawn with the text colour: the header's link and the add-to-cart buttons.
#[component]
pub fn CartIcon(size: u32) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width=size height=size aria-hidden="true">
            <path d="M3 4h2.2l2.3 11h10.8l2-8H6.4"/><circle cx="9.5" cy="19.5" r="1.4"/><circle cx="17" cy="19.5" r="1.4"/>
        </svg>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="foot">
            <p>
                {lang.t(
                    "Sản phẩm OCOP (Mỗi xã một sản phẩm) của tỉnh Bình Thuận cũ, nay thuộc tỉnh Lâm Đồng. Sao OCOP chỉ hiển thị khi giấy chứng nhận còn hiệu lực.",
                    "OCOP (One Commune One Product) goods from former Bình Thuận province, now part of Lâm Đồng. Stars show only while a certificate is valid.",
                )}
            </p>
            <p class="muted">
                {lang.t(
                    "Danh mục lấy từ các nguồn công khai; giá, quy cách, tồn kho và số giấy chứng nhận đánh dấu \"mẫu\" là dữ liệu minh họa.",
                    "Catalogue from public sources; prices, sizes, stock and certificate numbers marked \"sample\" are illustrative.",
                )}
            </p>
        </footer>
    }
}

pub fn stars_text(n: u8) -> String {
    "★".repeat(n as usize)
}

pub fn status_name(lang: Lang, s: CertStatus) -> &'static str {
    lang.t(s.name_vi(), s.name_en())
}

/// The star badge: bright only while the certificate is valid; otherwise the stars are shown
/// struck through with the reason, never as current.
#[component]
pub fn CertBadge(cert: Option<CertView>) -> impl IntoView {
    let lang = use_lang();
    match cert {
        None => view! { <span class="badge none">{lang.t("Chưa có chứng nhận", "No certificate on record")}</span> }.into_any(),
        Some(c) if c.status.shows_badge() => view! {
            <span class=format!("badge ok {}", c.status.code()) title=status_name(lang, c.status)>
                <span class="stars">{stars_text(c.stars)}</span>
                " OCOP "
                {c.stars}
                {lang.t(" sao", "-star")}
                {(c.status == CertStatus::Expiring).then(|| view! { <small>" · "{status_name(lang, c.status)}</small> })}
            </span>
        }
        .into_any(),
        Some(c) => view! {
            <span class=format!("badge off {}", c.status.code())>
                <s class="stars">{stars_text(c.stars)}</s>
                " OCOP · "
                {status_name(lang, c.status)}
            </span>
        }
        .into_any(),
    }
}

fn group_hue(g: OcopGroup) -> u32 {
    match g {
        OcopGroup::Food => 24,
        OcopGroup::Drinks => 335,
        OcopGroup::Herbal => 140,
        OcopGroup::Handicrafts => 200,
        OcopGroup::Ornamental => 95,
        OcopGroup::Tourism => 260,
    }
}

/// A generated picture until producers upload photos: the group's colour and the product's initials.
/// Written as one string rather than a view tree: it is on every card, and as nodes it cost as much
/// to render as the rest of the card.
#[component]
pub fn Placeholder(name: String, group: OcopGroup, #[prop(optional)] large: bool) -> impl IntoView {
    let hue = group_hue(group);
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    let class = if large { "ph large" } else { "ph" };
    let svg = format!(
        r##"<svg class="{class}" viewBox="0 0 160 120" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g{hue}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},70%,88%)"/><stop offset="1" stop-color="hsl({hue2},60%,70%)"/></linearGradient></defs><rect width="160" height="120" fill="url(#g{hue})"/><circle cx="80" cy="60" r="34" fill="rgba(255,255,255,.55)"/><text x="80" y="71" text-anchor="middle" font-size="30" font-family="Georgia, serif" fill="hsl({hue},45%,28%)">{initials}</text></svg>"##,
        label = security::html::escape(&name),
        hue2 = (hue + 30) % 360,
        initials = security::html::escape(&initials),
    );
    // trusted-html: our own SVG; the name and initials in it are escaped above.
    view! { <span class="ph-wrap" inner_html=svg></span> }
}

#[component]
pub fn ProductCardView(card: ProductCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/products/{}", card.slug);
    let other_name = (lang == Lang::En).then(|| card.name_vi.clone());
    let lapsed = card.cert.as_ref().is_some_and(|c| !c.status.shows_badge());
    view! {
        <article class=if lapsed { "card lapsed" } else { "card" }>
            <a href=href.clone() class="card-img" aria-hidden="true" tabindex="-1">
                {match &card.photo {
                    Some(ph) => card_photo(ph, card.name_vi.clone()).into_any(),
                    None => view! { <Placeholder name=card.name_vi.clone() group=card.group/> }.into_any(),
                }}
            </a>
            <div class="card-body">
                <CertBadge cert=card.cert.clone()/>
                <h3><a href=href>{lang.pick(&card.name_vi, &card.name_en).to_string()}</a></h3>
                {other_name.map(|n| view! { <p class="alt-name" lang="vi">{n}</p> })}
                <p class="meta">
                    {card.producer_name.clone().unwrap_or_else(|| lang.t("Chủ thể chưa rõ", "Producer not recorded").to_string())}
                    {card.district.clone().map(|d| view! { <span class="dot">" · "</span><span>{d}</span> })}
                </p>
                <p class="price">
                    {card.min_price.map(|p| format!("{}{}", lang.t("từ ", "from "), vnd(p)))
                        .unwrap_or_else(|| lang.t("Chưa mở bán", "Not for sale yet").to_string())}
                </p>
            </div>
        </article>
    }
}

#[component]
pub fn CardGrid(cards: Vec<ProductCard>) -> impl IntoView {
    view! {
        <div class="grid">
            {cards.into_iter().map(|card| view! { <ProductCardView card/> }).collect_view()}
        </div>
    }
}

/// A certificate's last valid day, the one way every page states it.
pub fn validity_text(lang: Lang, c: &CertView) -> String {
    last_valid_text(lang, c.last_valid_day_range)
}

pub fn last_valid_text(lang: Lang, range: Option<(chrono::NaiveDate, chrono::NaiveDate)>) -> String {
    match range {
        None => lang.t("chưa rõ", "unknown").to_string(),
        Some((a, b)) if a == b => date(a),
        Some((a, b)) => format!("{} {} {} {}", lang.t("từ", "between"), date(a), lang.t("đến", "and"), date(b)),
    }
}

pub fn decided_text(lang: Lang, c: &CertView) -> String {
    match (c.decided_on, c.precision) {
        (None, _) => lang.t("chưa có trong hồ sơ", "not on record").to_string(),
        (Some(d), domain::DatePrecision::Year) => {
            format!("{} {} ({})", lang.t("năm", "in"), d.format("%Y"), lang.t("chưa rõ ngày", "day unknown"))
        }
        (Some(d), domain::DatePrecision::Day) => date(d),
    }
}

/// Everything a shopper or inspector needs to judge one certificate.
#[component]
pub fn CertPanel(cert: CertView, #[prop(optional)] qr_svg: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let level = cert
        .level
        .map(|l| lang.t(l.name_vi(), l.name_en()).to_string())
        .unwrap_or_else(|| lang.t("chưa rõ", "not recorded").to_string());
    let verify = format!("/verify/{}", encode(&cert.number));
    view! {
        <section class=format!("cert-panel {}", cert.status.code())>
            <div class="cert-head">
                <span class="cert-stars" aria-hidden="true">{stars_text(cert.stars)}</span>
                <div>
                    <h2>{lang.t("Giấy chứng nhận OCOP", "OCOP certificate")}</h2>
                    <p class=format!("status {}", cert.status.code())>
                        <strong>{status_name(lang, cert.status)}</strong>
                    </p>
                </div>
            </div>
            <dl class="facts">
                <dt>{lang.t("Số giấy chứng nhận", "Certificate number")}</dt>
                <dd>
                    <a href=verify.clone()>{cert.number.clone()}</a>
                    {cert.number_is_sample.then(|| view! { <span class="sample">{lang.t("mẫu", "sample")}</span> })}
                </dd>
                <dt>{lang.t("Hạng sao", "Stars")}</dt>
                <dd>{cert.stars}{lang.t(" sao", " stars")}</dd>
                {cert.score.map(|s| view! { <dt>{lang.t("Điểm", "Score")}</dt><dd>{s}"/100"</dd> })}
                <dt>{lang.t("Cấp công nhận", "Certified by")}</dt>
                <dd>{level}</dd>
                <dt>{lang.t("Ngày quyết định", "Decision date")}</dt>
                <dd>{decided_text(lang, &cert)}</dd>
                <dt>{lang.t("Hiệu lực đến hết ngày", "Valid through")}</dt>
                <dd>{validity_text(lang, &cert)}</dd>
                {cert.revoked_on.map(|d| view! {
                    <dt>{lang.t("Thu hồi ngày", "Revoked on")}</dt>
                    <dd>{date(d)}{cert.revoke_reason.clone().map(|r| format!(" — {r}"))}</dd>
                })}
            </dl>
            {(cert.status == CertStatus::Unconfirmed).then(|| view! {
                <p class="note">{lang.t(
                    "Nguồn công khai chỉ cho biết năm công nhận; giấy chứng nhận hết hạn trong khoảng thời gian trên và có thể đã hết hiệu lực. Văn phòng OCOP sẽ cập nhật ngày chính xác.",
                    "Public sources give only the year; the certificate lapses within the window above and may already have. The OCOP office will record the exact date.",
                )}</p>
            })}
            {qr_svg.map(|svg| view! {
                <figure class="qr">
                    // trusted-html: a QR code drawn by the qrcode crate (only rectangles, no text).
                    <div inner_html=svg></div>
                    <figcaption>{lang.t("Quét để kiểm tra giấy chứng nhận", "Scan to verify this certificate")}</figcaption>
                </figure>
            })}
        </section>
    }
}

#[component]
pub fn Notice(kind: &'static str, children: Children) -> impl IntoView {
    view! { <div class=format!("notice {kind}") role="status">{children()}</div> }
}

/// One photo at the widths it was made in, the browser picking the one that fits.
pub fn photo_img(ph: &domain::listing::PhotoView, alt: String) -> impl IntoView + use<> {
    let srcset = ph.files.iter().map(|(w, f)| format!("/media/{f} {w}w")).collect::<Vec<_>>().join(", ");
    let src = ph.files.last().map(|(_, f)| format!("/media/{f}")).unwrap_or_default();
    view! { <img class="photo" src=src srcset=srcset sizes="(max-width: 720px) 100vw, 50vw"
    width=ph.width.to_string() height=ph.height.to_string() alt=alt loading="lazy"/> }
}

/// A product card's picture: the smallest derivative that fills a card (two cards a row on a phone,
/// about 230 px on a desktop), boxed at 4:3 so nothing moves while it loads.
pub fn card_photo(ph: &domain::listing::PhotoView, alt: String) -> impl IntoView + use<> {
    let srcset = ph.files.iter().map(|(w, f)| format!("/media/{f} {w}w")).collect::<Vec<_>>().join(", ");
    let src = ph.files.first().map(|(_, f)| format!("/media/{f}")).unwrap_or_default();
    view! { <img class="photo" src=src srcset=srcset sizes="(max-width: 699px) 50vw, 240px"
    width=ph.width.to_string() height=ph.height.to_string() alt=alt loading="lazy" decoding="async"/> }
}
