//! OCOP dossiers: the list each role works from (with the form that starts one), and a dossier's
//! page: where it is, what is asked, its form and documents while it may change, the steps the
//! reader may take, its history, and the council's result once there is one.

use domain::account::Role;
use domain::evaluation::records::{DossierView, Summary};
use domain::evaluation::{DocKind, DossierKind, DossierStatus, Step};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::portal::notice;
use crate::evaluation_api::{DossierData, DossierList, get_dossier, get_dossiers};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::{at_in, date_in, hundredths_in};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::{PageTitle, TextArea};
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager};

/// Where a role reads a dossier: producers in the portal, everyone else in the office area.
pub fn dossier_href(role: Role, id: i64) -> String {
    match role {
        Role::Producer => format!("/portal/dossiers/{id}"),
        _ => format!("/office/dossiers/{id}"),
    }
}

/// Whether the page is in the office's area (else the producer portal's).
pub(super) fn in_office() -> bool {
    leptos_router::hooks::use_location().pathname.get_untracked().starts_with("/office/")
}

pub fn status_pill(lang: Lang, s: DossierStatus) -> impl IntoView + use<> {
    let (vi, en) = s.label();
    view! { <span class=format!("pill dossier-{}", s.code())>{lang.t(vi, en)}</span> }
}

fn stars_text(lang: Lang, stars: Option<i32>) -> String {
    match stars {
        Some(n) if n > 0 => format!("{} {}", "★".repeat(n as usize), lang.t("sao", "stars")),
        _ => String::new(),
    }
}

/// Whether the dossier waits for this role's step (the same rule as the navigation's count).
fn waits_for(role: Role, d: &Summary) -> bool {
    match role {
        Role::Council => d.status == DossierStatus::Accepted && !d.scored_by_me,
        Role::Commune => d.status == DossierStatus::Submitted,
        Role::Producer => d.status.editable(),
        _ => matches!(d.status, DossierStatus::Proposed | DossierStatus::Scored),
    }
}

const FILTERS: [(&str, &str, &str); 3] = [
    ("waiting", "Chờ bạn", "Your turn"),
    ("open", "Đang xử lý", "In progress"),
    ("closed", "Đã có kết quả", "Decided"),
];

fn rows(lang: Lang, role: Role, items: Vec<Summary>) -> impl IntoView + use<> {
    items
        .into_iter()
        .map(|d| {
            let (kvi, ken) = d.kind.label();
            let waits = waits_for(role, &d);
            view! {
                <tr class:waiting=waits>
                    <td><a href=dossier_href(role, d.id)>{d.product_name.clone()}</a>
                        <br/><span class="muted small">{d.producer_name.clone()}</span></td>
                    <td>{lang.t(kvi, ken)}</td>
                    <td>{status_pill(lang, d.status)}
                        {waits.then(|| view! { " " <span class="pill expiring">{lang.t("chờ bạn", "your turn")}</span> })}</td>
                    <td class="num">{d.score_centi.map(|c| hundredths_in(lang, c))}" "<span class="stars-text">{stars_text(lang, d.stars)}</span></td>
                    <td class="muted small">{at_in(lang, d.updated_at)}</td>
                </tr>
            }
        })
        .collect_view()
}

fn start_form(lang: Lang, s: &FormState, list: &DossierList) -> impl IntoView + use<> {
    let products = list
        .products
        .iter()
        .map(|(id, name)| {
            let v = id.to_string();
            view! { <option value=v.clone() selected=s.value("product_id") == v>{name.clone()}</option> }
        })
        .collect_view();
    let rounds = list
        .rounds
        .iter()
        .map(|(id, label)| {
            let v = id.to_string();
            view! { <option value=v.clone() selected=s.value("round_id") == v>{label.clone()}</option> }
        })
        .collect_view();
    let chosen = s.value("kind");
    let kinds = DossierKind::ALL
        .into_iter()
        .map(|k| {
            let (vi, en) = k.label();
            let checked = if chosen.is_empty() { k == DossierKind::New } else { chosen == k.code() };
            view! { <label class="choice"><input type="radio" name="kind" value=k.code() checked=checked/>" "{lang.t(vi, en)}</label> }
        })
        .collect_view();
    view! {
        <section class="panel" id="start">
            <h2>{lang.t("Lập hồ sơ mới", "Start a dossier")}</h2>
            <form method="post" action="/dossiers" class="checkout-form" id="start-form">
                <input type="hidden" name="csrf" value=list.csrf.clone()/>
                <div class="form-grid">
                    <div>
                        <label for="product_id">{lang.t("Sản phẩm", "Product")}</label>
                        <select id="product_id" name="product_id" required>{products}</select>
                        {error_for(lang, s, "product_id")}
                    </div>
                    <div>
                        <label for="round_id">{lang.t("Kỳ đánh giá", "Evaluation round")}</label>
                        <select id="round_id" name="round_id" required>{rounds}</select>
                        {error_for(lang, s, "round_id")}
                    </div>
                </div>
                <fieldset class="choices">
                    <legend>{lang.t("Loại hồ sơ", "Kind of dossier")}</legend>
                    {kinds}
                    {error_for(lang, s, "kind")}
                </fieldset>
                {other_errors(lang, s, &["product_id", "round_id", "kind"])}
                <button type="submit" class="button primary">{lang.t("Tạo hồ sơ", "Start the dossier")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn DossiersPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state().for_form("start");
    let office = in_office();
    let path: &'static str = if office { "/office/dossiers" } else { "/portal/dossiers" };
    let q = ListQuery::from_url();
    let list = crate::once::once(get_dossiers(office));
    view! {
        <PageTitle text=lang.t("Hồ sơ OCOP", "OCOP dossiers")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let (s, q) = (s.clone(), q.clone());
                Suspend::new(async move {
                    match list.await {
                        // Shoppers, showroom staff and the signed-out: not a page of theirs.
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                        Ok(Some(list)) => {
                            let lead = match list.role {
                                Role::Producer => lang.t("Hồ sơ đánh giá, phân hạng sản phẩm OCOP của cơ sở.", "Your products' OCOP evaluation dossiers."),
                                Role::Commune => lang.t("Hồ sơ của các chủ thể trong xã: kiểm tra, đề nghị lên tỉnh hoặc trả lại.", "Dossiers of the commune's producers: check, propose to the province or return."),
                                Role::Council => lang.t("Hồ sơ tỉnh đã tiếp nhận trong các kỳ bạn chấm.", "Dossiers accepted into the rounds you score."),
                                _ => lang.t("Mọi hồ sơ: tiếp nhận, mẫu, chấm điểm, phân hạng.", "Every dossier: intake, samples, scoring, ranking."),
                            };
                            let can_start = !list.products.is_empty() && matches!(list.role, Role::Producer | Role::Commune);
                            let no_round = can_start && list.rounds.is_empty();
                            let role = list.role;
                            let none_at_all = list.items.is_empty();
                            let matching: Vec<Summary> = list.items.iter().filter(|d| match q.filter.as_str() {
                                "waiting" => waits_for(role, d),
                                "open" => !d.status.is_closed(),
                                "closed" => d.status.is_closed(),
                                _ => true,
                            }).filter(|d| q.matches(&[&d.product_name, &d.producer_name])).cloned().collect();
                            let total = matching.len();
                            let (page, pages) = q.page_of(matching);
                            let table = if none_at_all {
                                view! { <EmptyState title=lang.t("Chưa có hồ sơ nào.", "No dossier yet.")
                                    hint=lang.t("Hồ sơ xuất hiện ở đây khi được lập.", "Dossiers appear here once started.")/> }.into_any()
                            } else if page.is_empty() {
                                view! { <EmptyState title=lang.t("Không có hồ sơ nào khớp.", "No dossier matches.")
                                    hint=lang.t("Tìm theo tên sản phẩm hoặc chủ thể, hoặc bỏ bộ lọc.", "Search by product or producer name, or clear the filter.")/> }.into_any()
                            } else {
                                view! { <div class="table-wrap"><table class="data" id="dossiers">
                                    <thead><tr><th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Loại", "Kind")}</th>
                                        <th>{lang.t("Trạng thái", "Status")}</th><th class="num">{lang.t("Điểm", "Score")}</th>
                                        <th>{lang.t("Cập nhật", "Updated")}</th></tr></thead>
                                    <tbody>{rows(lang, role, page)}</tbody>
                                </table></div>
                                {pager(lang, path, &q, total, pages)} }.into_any()
                            };
                            view! {
                                <WsHead title=lang.t("Hồ sơ OCOP", "OCOP dossiers") lead=lead.to_string()>
                                    {(can_start && !no_round).then(|| view! { <a class="button" href="#start">{lang.t("Lập hồ sơ", "Start a dossier")}</a> })}
                                </WsHead>
                                {(!none_at_all).then(|| list_tools(lang, path, &q, lang.t("Tên sản phẩm, chủ thể…", "Product, producer…"), &FILTERS))}
                                {table}
                                {no_round.then(|| view! { <p class="muted" id="no-round">{lang.t("Hiện không có kỳ đánh giá nào đang nhận hồ sơ.", "No evaluation round is taking dossiers now.")}</p> })}
                                {(can_start && !no_round).then(|| start_form(lang, &s, &list))}
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

fn doc_options(lang: Lang, chosen: &str, missing: &[DocKind]) -> impl IntoView + use<> {
    DocKind::ALL
        .into_iter()
        .map(|k| {
            let (vi, en) = k.label();
            let selected = if chosen.is_empty() { missing.first() == Some(&k) } else { chosen == k.code() };
            let mark = if missing.contains(&k) { lang.t(" (còn thiếu)", " (missing)") } else { "" };
            view! { <option value=k.code() selected=selected>{lang.t(vi, en)}{mark}</option> }
        })
        .collect_view()
}

fn documents(lang: Lang, d: &DossierView, csrf: &str, editable: bool) -> impl IntoView + use<> {
    let id = d.id;
    let items = d
        .documents
        .iter()
        .map(|doc| {
            let (vi, en) = doc.kind.label();
            let href = format!("/dossiers/{id}/documents/{}", doc.id);
            let kb = (doc.bytes + 1023) / 1024;
            view! {
                <li class="doc">
                    <span class="doc-kind">{lang.t(vi, en)}</span>
                    <a href=href>{doc.file_name.clone()}</a>
                    <span class="muted small">{format!("{kb} KB")}</span>
                    {editable.then(|| view! {
                        <form method="post" action=format!("/dossiers/{id}/documents/{}/remove", doc.id) class="inline">
                            <input type="hidden" name="csrf" value=csrf.to_string()/>
                            <button type="submit" class="button ghost small">{lang.t("Bỏ", "Remove")}</button>
                        </form>
                    })}
                </li>
            }
        })
        .collect_view();
    let missing = d
        .missing
        .iter()
        .map(|k| {
            let (vi, en) = k.label();
            view! { <li>{lang.t(vi, en)}</li> }
        })
        .collect_view();
    view! {
        <section class="panel" id="documents">
            <h2>{lang.t("Giấy tờ", "Documents")}</h2>
            {d.documents.is_empty().then(|| view! { <p class="muted">{lang.t("Chưa có tệp nào.", "No file yet.")}</p> })}
            <ul class="docs">{items}</ul>
            {(!d.missing.is_empty()).then(|| view! {
                <div class="notice warn" id="missing"><p><strong>{lang.t("Còn thiếu giấy tờ bắt buộc:", "Required documents still missing:")}</strong></p><ul>{missing}</ul></div>
            })}
        </section>
    }
}

fn upload_form(lang: Lang, d: &DossierView, csrf: &str) -> impl IntoView + use<> {
    let s = form_state().for_form("document");
    view! {
        <form method="post" action=format!("/dossiers/{}/documents", d.id) enctype="multipart/form-data" class="checkout-form panel" id="upload">
            <h3>{lang.t("Đính kèm tệp", "Attach a file")}</h3>
            <p class="muted small">{lang.t("PDF, JPEG, PNG hoặc WebP, tối đa 15 MB mỗi tệp; ảnh chụp giấy tờ bằng điện thoại cũng được.", "PDF, JPEG, PNG or WebP, 15 MB at most each; a phone photo of a paper is fine.")}</p>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-grid">
                <div>
                    <label for="doc-kind">{lang.t("Loại giấy tờ", "Kind of document")}</label>
                    <select id="doc-kind" name="kind">{doc_options(lang, &s.value("kind"), &d.missing)}</select>
                </div>
                <div>
                    <label for="doc-file">{lang.t("Tệp", "File")}</label>
                    <input type="file" id="doc-file" name="file" accept="application/pdf,image/jpeg,image/png,image/webp" required/>
                    {error_for(lang, &s, "file")}
                </div>
            </div>
            <button type="submit" class="button">{lang.t("Tải lên", "Upload")}</button>
        </form>
    }
}

fn fields_form(lang: Lang, d: &DossierView, csrf: &str) -> impl IntoView + use<> {
    let s = form_state().for_form("fields");
    let f = &d.fields;
    let v = |name: &str, cur: &str| if s.form.is_some() { s.value(name) } else { cur.to_string() };
    view! {
        <form method="post" action=format!("/dossiers/{}", d.id) class="checkout-form panel" id="fields">
            <h2>{lang.t("Phiếu đăng ký", "Registration form")}</h2>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div>
                <label for="registered_name">{lang.t("Tên sản phẩm đăng ký", "Product name as registered")}</label>
                <input id="registered_name" name="registered_name" maxlength="200" value=v("registered_name", &f.registered_name)/>
                {error_for(lang, &s, "registered_name")}
            </div>
            <div>
                <label for="annual_output">{lang.t("Sản lượng hằng năm", "Yearly output")}</label>
                <input id="annual_output" name="annual_output" maxlength="4000" value=v("annual_output", &f.annual_output)
                    placeholder=lang.t("vd. 12.000 chai 500 ml", "e.g. 12,000 bottles of 500 ml")/>
                {error_for(lang, &s, "annual_output")}
            </div>
            <div>
                <label for="main_markets">{lang.t("Thị trường chính", "Main markets")}</label>
                <input id="main_markets" name="main_markets" maxlength="4000" value=v("main_markets", &f.main_markets)/>
                {error_for(lang, &s, "main_markets")}
            </div>
            <div>
                <label for="raw_materials">{lang.t("Nguyên liệu và nguồn gốc", "Raw materials and their origin")}</label>
                <TextArea id="raw_materials" rows=3 maxlength=4000 value=v("raw_materials", &f.raw_materials)/>
                {error_for(lang, &s, "raw_materials")}
            </div>
            <div>
                <label for="story">{lang.t("Câu chuyện sản phẩm", "The product's story")}</label>
                <TextArea id="story" rows=4 maxlength=4000 value=v("story", &f.story)/>
                {error_for(lang, &s, "story")}
            </div>
            {other_errors(lang, &s, &["registered_name", "annual_output", "main_markets", "raw_materials", "story"])}
            <button type="submit" class="button">{lang.t("Lưu", "Save")}</button>
        </form>
    }
}

fn read_fields(lang: Lang, d: &DossierView) -> impl IntoView + use<> {
    let f = &d.fields;
    let row = |vi: &'static str, en: &'static str, v: &str| {
        let v = if v.is_empty() { "—".to_string() } else { v.to_string() };
        view! { <dt>{lang.t(vi, en)}</dt><dd class="prewrap">{v}</dd> }
    };
    view! {
        <section class="panel" id="fields">
            <h2>{lang.t("Phiếu đăng ký", "Registration form")}</h2>
            <dl class="facts">
                {row("Tên sản phẩm đăng ký", "Product name as registered", &f.registered_name)}
                {row("Sản lượng hằng năm", "Yearly output", &f.annual_output)}
                {row("Thị trường chính", "Main markets", &f.main_markets)}
                {row("Nguyên liệu và nguồn gốc", "Raw materials and their origin", &f.raw_materials)}
                {row("Câu chuyện sản phẩm", "The product's story", &f.story)}
            </dl>
        </section>
    }
}

/// The steps the reader may take, each its own form; returning asks for the reasons, closing the
/// scoring for any disqualifying condition the council found.
fn step_forms(lang: Lang, data: &DossierData) -> impl IntoView + use<> {
    let s = form_state().for_form("step");
    let id = data.dossier.id;
    let gates = data.sheet.as_ref().map(|sh| sh.gates.clone()).unwrap_or_default();
    data.steps
        .iter()
        .filter_map(|c| Step::parse(c))
        .map(|step| {
            let (vi, en) = step.label();
            let back = step.needs_reason();
            let class = if back { "button ghost" } else { "button primary" };
            let reason = back.then(|| view! {
                <label for=format!("reason-{}", step.code())>{lang.t("Lý do, điều cần bổ sung", "Reasons, what to change")}</label>
                <TextArea id=format!("reason-{}", step.code()) name="reason" rows=3 maxlength=2000 value=s.value("reason")/>
            });
            let gate_boxes = (step == Step::CloseScoring && !gates.is_empty()).then(|| {
                let boxes = gates.iter().map(|g| view! {
                    <label class="choice"><input type="checkbox" name="gate" value=g.code.clone()/>" "{lang.pick(&g.text_vi, &g.text_en).to_string()}</label>
                }).collect_view();
                view! { <fieldset class="choices"><legend>{lang.t("Điều kiện loại hồ sơ hội đồng phát hiện (nếu có)", "Disqualifying conditions the council found (if any)")}</legend>{boxes}</fieldset> }
            });
            view! {
                <form method="post" action=format!("/dossiers/{id}/step") class=format!("step-form step-{}", step.code())>
                    <input type="hidden" name="csrf" value=data.csrf.clone()/>
                    <input type="hidden" name="step" value=step.code()/>
                    {reason}
                    {gate_boxes}
                    <button type="submit" class=class>{lang.t(vi, en)}</button>
                </form>
            }
        })
        .collect_view()
}

fn samples_form(lang: Lang, d: &DossierView, csrf: &str) -> impl IntoView + use<> {
    let s = form_state().for_form("samples");
    view! {
        <form method="post" action=format!("/dossiers/{}/samples", d.id) class="checkout-form" id="samples">
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-grid">
                <div>
                    <label for="received_on">{lang.t("Ngày nhận mẫu", "Samples received on")}</label>
                    <input type="date" id="received_on" name="received_on" value=s.value("received_on") required/>
                    {error_for(lang, &s, "received_on")}
                </div>
                <div>
                    <label for="samples_note">{lang.t("Ghi chú (số lượng, tình trạng)", "Note (how many, condition)")}</label>
                    <input id="samples_note" name="note" maxlength="500" value=s.value("note")/>
                </div>
            </div>
            {other_errors(lang, &s, &["received_on"])}
            <button type="submit" class="button">{lang.t("Ghi nhận mẫu", "Record the samples")}</button>
        </form>
    }
}

fn result_panel(lang: Lang, data: &DossierData) -> Option<impl IntoView + use<>> {
    let r = data.dossier.result.clone()?;
    // Ninety or more: the province certifies four stars; five is the Ministry's to give.
    let province = if r.outcome == "proposed_five" { Some(4) } else { r.stars };
    let outcome = match r.outcome.as_str() {
        "proposed_five" => lang.t(
            "Đạt từ 90 điểm: tỉnh công nhận 4 sao và đề nghị Trung ương xét 5 sao",
            "90 or more: the province certifies four stars and proposes five to the Ministry",
        ),
        "ranked" => lang.t("Đạt hạng", "Ranked"),
        "not_ranked" => lang.t("Không đạt hạng", "Not ranked"),
        _ => lang.t("Bị loại", "Disqualified"),
    };
    let parts = ["A", "B", "C"]
        .iter()
        .zip(r.parts_centi)
        .map(|(p, c)| view! { <dt>{lang.t("Phần ", "Part ")}{*p}</dt><dd>{hundredths_in(lang, c)}</dd> })
        .collect_view();
    // Members' own totals are the council's and the office's to read; the producer gets the result.
    let scores = data.scores.clone().filter(|s| !s.is_empty()).map(|list| {
        let rows = list.into_iter().map(|m| view! {
            <tr><td>{m.member_name.clone()}</td><td class="num">{m.total.map(|t| t.to_string()).unwrap_or_default()}</td></tr>
        }).collect_view();
        view! { <table class="data" id="member-totals"><thead><tr><th>{lang.t("Thành viên", "Member")}</th>
            <th class="num">{lang.t("Tổng điểm", "Total")}</th></tr></thead><tbody>{rows}</tbody></table> }
    });
    Some(view! {
        <section class="panel" id="result">
            <h2>{lang.t("Kết quả chấm điểm", "Scoring result")}</h2>
            <p class="score-line"><strong id="mean">{hundredths_in(lang, r.mean_centi)}</strong>{lang.t(" / 100 điểm", " / 100 points")}
                " "<span class="stars-text">{stars_text(lang, province.map(i32::from))}</span></p>
            <p id="outcome">{outcome}</p>
            {(!r.unmet.is_empty()).then(|| view! { <p class="field-error">{lang.t("Tiêu chí bắt buộc không đạt: ", "Mandatory criteria unmet: ")}{r.unmet.join(", ")}</p> })}
            {r.needs_discussion.then(|| view! { <p class="muted">{lang.t("Điểm các thành viên chênh nhau nhiều; hội đồng nên thảo luận.", "Members' totals are far apart; the council should discuss.")}</p> })}
            <dl class="facts">{parts}</dl>
            {scores}
        </section>
    })
}

fn history(lang: Lang, d: &DossierView) -> impl IntoView + use<> {
    let items = d
        .events
        .iter()
        .rev()
        .map(|e| {
            let (vi, en) = domain::evaluation::dossier::event_label(&e.step).unwrap_or(e.to.label());
            view! {
                <li>
                    <time class="muted small">{at_in(lang, e.at)}</time>
                    <strong>{lang.t(vi, en)}</strong>
                    <span class="muted">{" · "}{e.actor_name.clone()}</span>
                    {e.reason.clone().map(|r| view! { <p class="prewrap reason">{r}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="history">
            <h2>{lang.t("Các bước", "Steps")}</h2>
            <ol class="timeline">{items}</ol>
        </section>
    }
}

#[component]
pub fn DossierPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let office = in_office();
    view! {
        <PageTitle text=lang.t("Hồ sơ OCOP", "OCOP dossier")/>
        {notice(lang)}
        {super::record_page(move || get_dossier(id, office), move |data: DossierData| {
            let d = data.dossier.clone();
            let (kvi, ken) = d.kind.label();
            let (avi, aen) = d.status.for_producer();
            let filer = data.steps.iter().any(|s| s == Step::Submit.code())
                || (d.status.editable() && matches!(data.role, Role::Producer | Role::Commune));
            let editable = d.status.editable() && filer;
            let office = data.role == Role::Admin;
            let score_link = (data.on_council && d.status == DossierStatus::Accepted).then(|| {
                let done = data.mine.as_ref().is_some_and(|m| m.submitted_at.is_some());
                let label = if done { lang.t("Xem phiếu chấm của bạn", "See your score sheet") } else { lang.t("Chấm điểm hồ sơ này", "Score this dossier") };
                view! { <a class="button primary" id="score-link" href=format!("/office/dossiers/{}/score", d.id)>{label}</a> }
            });
            let samples = match d.samples_received_on {
                Some(day) => view! { <p id="samples-received">{lang.t("Đã nhận mẫu ngày ", "Samples received on ")}{date_in(lang, day)}
                    {d.samples_note.clone().map(|n| format!(" · {n}"))}</p> }.into_any(),
                None if office && d.status == DossierStatus::Proposed => samples_form(lang, &d, &data.csrf).into_any(),
                None => ().into_any(),
            };
            let steps = step_forms(lang, &data);
            // What the commune or the province asked for, where the producer looks first.
            let asked_for = (d.status == DossierStatus::Returned)
                .then(|| d.events.iter().rev().find(|e| e.to == DossierStatus::Returned).and_then(|e| e.reason.clone()))
                .flatten()
                .map(|r| view! { <div class="notice warn" id="return-reasons"><p><strong>{lang.t("Lý do trả lại: ", "Returned because: ")}</strong></p><p class="prewrap">{r}</p></div> });
            view! {
                <WsHead title=d.product_name.clone() lead=format!("{} · {} · {}", d.producer_name, lang.t(kvi, ken), d.round_label)>
                    {score_link}
                </WsHead>
                <div class="dossier-state panel" id="state">
                    <p>{status_pill(lang, d.status)}
                        {d.certificate_number.clone().map(|n| view! { " " <a href=format!("/verify/{n}")>{lang.t("Giấy chứng nhận ", "Certificate ")}{n.clone()}</a> })}</p>
                    <p id="asked">{lang.t(avi, aen)}</p>
                    {asked_for}
                    {samples}
                    <div class="step-actions">{steps}</div>
                    {other_errors(lang, &form_state().for_form("step"), &[])}
                </div>
                {result_panel(lang, &data)}
                {if editable { fields_form(lang, &d, &data.csrf).into_any() } else { read_fields(lang, &d).into_any() }}
                {documents(lang, &d, &data.csrf, editable)}
                {editable.then(|| upload_form(lang, &d, &data.csrf))}
                {history(lang, &d)}
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn producers_read_their_dossiers_in_the_portal_and_others_in_the_office() {
        assert_eq!(dossier_href(Role::Producer, 7), "/portal/dossiers/7");
        assert_eq!(dossier_href(Role::Commune, 7), "/office/dossiers/7");
        assert_eq!(dossier_href(Role::Council, 7), "/office/dossiers/7");
    }
}
