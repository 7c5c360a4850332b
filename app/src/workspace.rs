//! The portal's and the office's workspace: a side navigation with what is waiting, a page head
//! with its actions, and the pieces every list uses (search, sort, paging, an empty state). One set
//! of components for both areas, so a producer and a clerk learn one way of working.
//!
//! Everything is links and GET forms: a sorted, searched, paged list is an address that can be
//! bookmarked, and works with no JavaScript.

use std::cmp::Ordering;

use domain::workspace::{Area, Workspace};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_query_map};

use crate::format::number;
use crate::i18n::{Lang, use_lang};

/// The workspace of the signed-in account (None for shoppers and the signed-out).
#[server(prefix = "/sfn", endpoint = "workspace")]
pub async fn get_workspace() -> Result<Option<Workspace>, ServerFnError> {
    use crate::api::{internal, session, store};
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(None) };
    store::workspace::of(&store.db, &account, store.today()).await.map_err(internal)
}

struct NavItem {
    href: &'static str,
    vi: &'static str,
    en: &'static str,
    count: usize,
    /// A count that asks for action soon is drawn in the warning colour.
    warn: bool,
}

fn nav_items(w: &Workspace) -> Vec<NavItem> {
    let c = &w.counts;
    let item = |href, vi, en, count, warn| NavItem { href, vi, en, count, warn };
    match w.area {
        Area::Portal => vec![
            item("/portal", "Tổng quan", "Overview", c.certificates_expiring, true),
            item("/portal/orders", "Đơn hàng", "Orders", c.orders, false),
            item("/portal/products/new", "Thêm sản phẩm", "New product", 0, false),
            item("/portal/import", "Nhập từ CSV", "Import CSV", 0, false),
            item("/portal/combos", "Combo quà tặng", "Gift combos", 0, false),
            item("/portal/sales", "Doanh số, đối soát", "Sales, settlement", 0, false),
            item("/portal/dossiers", "Hồ sơ OCOP", "OCOP dossiers", c.dossiers, true),
            item("/portal/batches", "Lô hàng, truy xuất", "Batches, traceability", 0, false),
            item("/portal/channels", "Kênh bán khác", "Other channels", 0, false),
        ],
        Area::Office => vec![
            item("/office", "Hôm nay", "Today", 0, false),
            item("/office/orders", "Đơn hàng, hoàn tiền", "Orders, refunds", 0, false),
            item("/office/certificates", "Giấy chứng nhận", "Certificates", c.certificates_expiring, true),
            item("/office/dossiers", "Hồ sơ OCOP", "OCOP dossiers", c.dossiers, true),
            item("/office/rounds", "Kỳ đánh giá", "Evaluation rounds", 0, false),
            item("/office/producers", "Chủ thể", "Producers", 0, false),
            item("/office/channels", "Kênh tự khai", "Reported channels", c.reports_pending, true),
            item("/office/dashboard", "Bảng điều hành", "Dashboard", 0, false),
            item("/office/report", "Báo cáo in", "Printable report", 0, false),
            item("/office/withholding", "Khấu trừ thuế", "Tax withheld", 0, false),
            item("/office/showrooms", "Điểm bán, máy bán", "Showrooms, tills", c.quiet_showrooms, true),
            item("/office/recalls", "Thu hồi lô hàng", "Batch recalls", 0, false),
            item("/portal/combos", "Combo tuyển chọn", "Curated combos", 0, false),
            item("/office/users", "Tài khoản", "Users", 0, false),
            item("/office/audit", "Nhật ký", "Audit log", 0, false),
        ],
        Area::Commune => vec![
            item("/office/dossiers", "Hồ sơ OCOP của xã", "The commune's dossiers", c.dossiers, true),
            item("/ocop", "Danh sách OCOP", "OCOP registry", 0, false),
        ],
        Area::Council => vec![
            item("/office/dossiers", "Hồ sơ cần chấm", "Dossiers to score", c.dossiers, true),
            item("/ocop", "Danh sách OCOP", "OCOP registry", 0, false),
        ],
    }
}

fn is_here(href: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    if href == "/portal" || href == "/office" {
        path == href
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}

/// The layout of every `/portal` and `/office` page: the side navigation beside the page. On a
/// phone the navigation folds behind a menu button (a checkbox and its label: no script).
#[component]
pub fn WorkspaceLayout() -> impl IntoView {
    let lang = use_lang();
    let path = use_location().pathname.get_untracked();
    let workspace = crate::once::once(get_workspace());
    view! {
        <div class="ws">
            <Suspense fallback=|| ()>
                {move || {
                    let (path, workspace) = (path.clone(), workspace);
                    Suspend::new(async move {
                        workspace.await.ok().flatten().map(|w| side_nav(lang, &w, &path))
                    })
                }}
            </Suspense>
            <div class="ws-main"><Outlet/></div>
        </div>
    }
}

fn side_nav(lang: Lang, w: &Workspace, path: &str) -> impl IntoView + use<> {
    let items = nav_items(w);
    let here = items.iter().find(|i| is_here(i.href, path)).map(|i| lang.t(i.vi, i.en)).unwrap_or_default();
    let waiting: usize = items.iter().filter(|i| i.warn || i.href.ends_with("/orders")).map(|i| i.count).sum();
    let links = items
        .into_iter()
        .map(|i| {
            let current = is_here(i.href, path);
            let label = lang.t(i.vi, i.en);
            let count = (i.count > 0).then(|| {
                let class = if i.warn { "count warn" } else { "count" };
                view! { <span class=class>{number(i.count as i64)}</span> }
            });
            view! {
                <a href=i.href aria-current=current.then_some("page") class:here=current>
                    <span>{label}</span>{count}
                </a>
            }
        })
        .collect_view();
    let (area_vi, area_en) = match w.area {
        Area::Portal => ("Cổng chủ thể", "Producer portal"),
        Area::Office => ("Văn phòng OCOP", "OCOP office"),
        Area::Commune => ("UBND xã", "Commune"),
        Area::Council => ("Hội đồng đánh giá OCOP", "OCOP evaluation council"),
    };
    let org = if w.organisation.is_empty() { lang.t(area_vi, area_en).to_string() } else { w.organisation.clone() };
    view! {
        <input type="checkbox" id="ws-toggle" class="toggle"/>
        <label for="ws-toggle" class="ws-menu">
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18"/></svg>
            <span class="ws-menu-here">{here.to_string()}</span>
            {(waiting > 0).then(|| view! { <span class="count warn">{number(waiting as i64)}</span> })}
            <span class="sr-only">{lang.t(" — mở danh mục", " — open the menu")}</span>
        </label>
        <nav class="ws-nav" aria-label=lang.t(area_vi, area_en)>
            <p class="ws-org"><strong>{org}</strong><span class="muted">{w.user_name.clone()}</span></p>
            {links}
            <a href="/account" class="ws-aside">{lang.t("Tài khoản của tôi", "My account")}</a>
            <a href="/" class="ws-aside">{lang.t("Xem chợ OCOP", "View the market")}</a>
        </nav>
    }
}

/// A page's head: its title and the actions that belong to the whole page.
#[component]
pub fn WsHead(
    #[prop(into)] title: String,
    #[prop(optional, into)] lead: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="ws-head">
            <div>
                <h1>{title}</h1>
                {lead.map(|l| view! { <p class="muted">{l}</p> })}
            </div>
            {children.map(|c| view! { <div class="ws-actions">{c()}</div> })}
        </div>
    }
}

/// What an empty list says: what it would hold, and what to do next.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] hint: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"><rect x="8" y="12" width="32" height="26" rx="4"/><path d="M8 20h32M18 28h12"/></svg>
            <p class="empty-title">{title}</p>
            <p class="muted">{hint}</p>
            {children.map(|c| view! { <div class="actions">{c()}</div> })}
        </div>
    }
}

/// A list's state as its address gives it: `q` (search), `sort` (a column key, `-key` descending),
/// `f` (a filter), `page`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub q: String,
    pub sort: String,
    pub desc: bool,
    pub filter: String,
    pub page: usize,
}

pub const PER_PAGE: usize = 25;

impl ListQuery {
    pub fn from_url() -> ListQuery {
        let m = use_query_map().read_untracked().clone();
        ListQuery::from_pairs(|k| m.get(k))
    }

    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> ListQuery {
        let sort = get("sort").unwrap_or_default();
        let (desc, sort) = match sort.strip_prefix('-') {
            Some(s) => (true, s.to_string()),
            None => (false, sort),
        };
        ListQuery {
            q: get("q").unwrap_or_default().trim().chars().take(100).collect(),
            sort,
            desc,
            filter: get("f").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// This list's address with some parts changed; the page goes back to 1 unless given.
    pub fn href(&self, path: &str, change: impl FnOnce(&mut ListQuery)) -> String {
        let mut next = ListQuery { page: 1, ..self.clone() };
        change(&mut next);
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !next.q.is_empty() {
            s.append_pair("q", &next.q);
        }
        if !next.filter.is_empty() {
            s.append_pair("f", &next.filter);
        }
        if !next.sort.is_empty() {
            s.append_pair("sort", &if next.desc { format!("-{}", next.sort) } else { next.sort.clone() });
        }
        if next.page > 1 {
            s.append_pair("page", &next.page.to_string());
        }
        let qs = s.finish();
        if qs.is_empty() { path.to_string() } else { format!("{path}?{qs}") }
    }

    /// Whether `haystack` holds every word searched for, ignoring case and diacritics
    /// ("binh thuan" finds "Bình Thuận").
    pub fn matches(&self, haystack: &[&str]) -> bool {
        if self.q.is_empty() {
            return true;
        }
        let hay = domain::text::fold(&haystack.join(" "));
        domain::text::fold(&self.q).split_whitespace().all(|w| hay.contains(w))
    }

    /// Sorts by the chosen column (`cmp` knows the keys), or leaves the default order.
    pub fn sort<T>(&self, rows: &mut [T], cmp: impl Fn(&str, &T, &T) -> Ordering) {
        if self.sort.is_empty() {
            return;
        }
        rows.sort_by(|a, b| {
            let o = cmp(&self.sort, a, b);
            if self.desc { o.reverse() } else { o }
        });
    }

    /// The current page of `rows`, and how many pages there are.
    pub fn page_of<T>(&self, rows: Vec<T>) -> (Vec<T>, usize) {
        let pages = rows.len().div_ceil(PER_PAGE).max(1);
        let page = self.page.min(pages);
        (rows.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).collect(), pages)
    }
}

/// A list's search box and filter chips, above its table.
pub fn list_tools(
    lang: Lang,
    path: &'static str,
    q: &ListQuery,
    placeholder: &'static str,
    filters: &[(&'static str, &'static str, &'static str)],
) -> impl IntoView + use<> {
    let chips = (!filters.is_empty()).then(|| {
        let all = std::iter::once(("", "Tất cả", "All")).chain(filters.iter().copied());
        let chips = all
            .map(|(code, vi, en)| {
                let current = q.filter == code;
                view! {
                    <a class="chip" href=q.href(path, |n| n.filter = code.to_string())
                       aria-current=current.then_some("true")>{lang.t(vi, en)}</a>
                }
            })
            .collect_view();
        view! { <nav class="chips filter-chips" aria-label=lang.t("Lọc", "Filter")>{chips}</nav> }
    });
    view! {
        <div class="list-tools">
            <form method="get" action=path class="list-search" role="search">
                <input type="search" name="q" value=q.q.clone() maxlength="100" placeholder=placeholder
                    aria-label=lang.t("Tìm trong danh sách", "Search this list")/>
                {(!q.filter.is_empty()).then(|| view! { <input type="hidden" name="f" value=q.filter.clone()/> })}
                <button type="submit" class="button">{lang.t("Tìm", "Search")}</button>
                {(!q.q.is_empty()).then(|| view! {
                    <a class="button ghost" href=q.href(path, |n| n.q.clear())>{lang.t("Xóa tìm", "Clear")}</a>
                })}
            </form>
            {chips}
        </div>
    }
}

/// A column head that sorts the list by `key`; a second click reverses the order.
pub fn sort_th(
    lang: Lang,
    path: &'static str,
    q: &ListQuery,
    key: &'static str,
    vi: &'static str,
    en: &'static str,
    numeric: bool,
) -> impl IntoView + use<> {
    let current = q.sort == key;
    let (arrow, aria) = match (current, q.desc) {
        (true, false) => (" ▲", Some("ascending")),
        (true, true) => (" ▼", Some("descending")),
        _ => ("", None),
    };
    let href = q.href(path, |n| {
        n.desc = current && !n.desc;
        n.sort = key.to_string();
    });
    view! {
        <th class:num=numeric aria-sort=aria scope="col">
            <a href=href class="sort">{lang.t(vi, en)}{arrow}</a>
        </th>
    }
}

/// "Showing 26-50 of 63" and the links to the other pages.
pub fn pager(lang: Lang, path: &'static str, q: &ListQuery, total: usize, pages: usize) -> impl IntoView + use<> {
    let page = q.page.min(pages);
    let from = if total == 0 { 0 } else { (page - 1) * PER_PAGE + 1 };
    let to = (page * PER_PAGE).min(total);
    let summary = match lang {
        Lang::Vi => format!("{from}–{to} trên {}", number(total as i64)),
        Lang::En => format!("{from}–{to} of {}", number(total as i64)),
    };
    view! {
        <div class="list-pager">
            <span class="muted">{summary}</span>
            {(pages > 1).then(|| view! {
                <span class="pages">
                    {(page > 1).then(|| view! { <a rel="prev" href=q.href(path, |n| n.page = page - 1)>{lang.t("‹ Trước", "‹ Previous")}</a> })}
                    <span>{format!("{page}/{pages}")}</span>
                    {(page < pages).then(|| view! { <a rel="next" href=q.href(path, |n| n.page = page + 1)>{lang.t("Sau ›", "Next ›")}</a> })}
                </span>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::from_pairs(|k| pairs.iter().find(|(kk, _)| *kk == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn a_list_address_keeps_its_search_filter_and_sort_and_resets_the_page() {
        let l = q(&[("q", "nước mắm"), ("sort", "-stars"), ("f", "valid"), ("page", "3")]);
        assert!(l.desc && l.sort == "stars" && l.page == 3);
        assert_eq!(
            l.href("/office/certificates", |n| n.page = 4),
            "/office/certificates?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&f=valid&sort=-stars&page=4"
        );
        assert_eq!(l.href("/x", |n| n.filter.clear()), "/x?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=-stars");
        assert_eq!(q(&[("page", "0")]).page, 1);
    }

    #[test]
    fn search_ignores_case_and_diacritics_and_needs_every_word() {
        let l = q(&[("q", "binh THUAN")]);
        assert!(l.matches(&["Hợp tác xã Bình Thuận"]));
        assert!(!l.matches(&["Bình Định"]));
        assert!(q(&[]).matches(&["anything"]));
    }

    #[test]
    fn pages_hold_25_rows_and_a_page_past_the_end_shows_the_last() {
        let rows: Vec<usize> = (0..63).collect();
        let (page, pages) = q(&[("page", "9")]).page_of(rows.clone());
        assert_eq!(pages, 3);
        assert_eq!(page, (50..63).collect::<Vec<_>>());
        let mut sorted = rows;
        q(&[("sort", "-n")]).sort(&mut sorted, |_, a, b| a.cmp(b));
        assert_eq!(sorted[0], 62);
    }
}
