//! The office's evaluation rounds: the list with the form that opens one, the criteria sheets
//! loaded (with the form that loads another), the re-evaluation calendar; and a round's page with
//! its council, its results sheet (printable, CSV, XLSX) and the decisions that issue certificates.

use domain::evaluation::DossierStatus;
use domain::evaluation::records::{Due, ResultLine, Round, RoundStatus, SheetRow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::dossiers::status_pill;
use super::portal::notice;
use crate::evaluation_api::{RoundData, RoundsData, get_round, get_rounds};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::{at_in, date_in, hundredths_in};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, WsHead};

fn round_rows(lang: Lang, rounds: &[Round]) -> impl IntoView + use<> {
    rounds
        .iter()
        .map(|r| {
            let state = match (&r.status, &r.decision_number) {
                (RoundStatus::Decided, Some(n)) => format!("{} {n}", lang.t("Đã có quyết định", "Decided,")),
                _ => format!("{} {}", lang.t("Nhận hồ sơ đến", "Taking dossiers until"), date_in(lang, r.deadline)),
            };
            view! {
                <tr><td><a href=format!("/office/rounds/{}", r.id)>{r.label.clone()}</a></td><td class="num">{r.year}</td><td>{state}</td></tr>
            }
        })
        .collect_view()
}

fn open_form(lang: Lang, s: &FormState, sheets: &[SheetRow], csrf: &str) -> impl IntoView + use<> {
    let options = sheets
        .iter()
        .map(|sh| {
            let v = sh.id.to_string();
            let sample = if sh.sample { lang.t(" (mẫu minh hoạ)", " (sample)") } else { "" };
            view! { <option value=v.clone() selected=s.value("sheet_id") == v>{format!("{} {} — {}", sh.code, sh.version, lang.pick(&sh.title_vi, &sh.title_en))}{sample}</option> }
        })
        .collect_view();
    view! {
        <section class="panel" id="open">
            <h2>{lang.t("Mở kỳ đánh giá", "Open a round")}</h2>
            <form method="post" action="/office/rounds" class="checkout-form" id="open-round">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <div class="form-grid">
                    <div>
                        <label for="label">{lang.t("Tên kỳ", "Round name")}</label>
                        <input id="label" name="label" maxlength="200" required value=s.value("label")
                            placeholder=lang.t("vd. Đợt 1 năm 2027", "e.g. First round 2027")/>
                        {error_for(lang, s, "label")}
                    </div>
                    <div>
                        <label for="year">{lang.t("Năm", "Year")}</label>
                        <input id="year" name="year" inputmode="numeric" maxlength="4" required value=s.value("year")/>
                        {error_for(lang, s, "year")}
                    </div>
                    <div>
                        <label for="deadline">{lang.t("Hạn nộp hồ sơ", "Deadline for dossiers")}</label>
                        <input type="date" id="deadline" name="deadline" required value=s.value("deadline")/>
                        {error_for(lang, s, "deadline")}
                    </div>
                    <div>
                        <label for="sheet_id">{lang.t("Phiếu đánh giá", "Criteria sheet")}</label>
                        <select id="sheet_id" name="sheet_id">{options}</select>
                        {error_for(lang, s, "sheet_id")}
                    </div>
                </div>
                {other_errors(lang, s, &["label", "year", "deadline", "sheet_id"])}
                <button type="submit" class="button primary">{lang.t("Mở kỳ", "Open the round")}</button>
            </form>
        </section>
    }
}

fn sheets_panel(lang: Lang, s: &FormState, sheets: &[SheetRow], csrf: &str) -> impl IntoView + use<> {
    let rows = sheets
        .iter()
        .map(|sh| view! {
            <tr><td class="mono">{sh.code.clone()}</td><td>{sh.version.clone()}</td>
                <td>{lang.pick(&sh.title_vi, &sh.title_en).to_string()}{sh.sample.then(|| view! { " " <span class="pill">{lang.t("mẫu minh hoạ", "sample")}</span> })}</td>
                <td class="muted small">{at_in(lang, sh.loaded_at)}</td></tr>
        })
        .collect_view();
    view! {
        <section class="panel" id="sheets">
            <h2>{lang.t("Phiếu đánh giá đã nạp", "Criteria sheets loaded")}</h2>
            <div class="table-wrap"><table class="data"><thead><tr><th>{lang.t("Mã", "Code")}</th><th>{lang.t("Phiên bản", "Version")}</th>
                <th>{lang.t("Tên", "Title")}</th><th>{lang.t("Nạp lúc", "Loaded")}</th></tr></thead><tbody>{rows}</tbody></table></div>
            <form method="post" action="/office/sheets" enctype="multipart/form-data" class="add-form" id="load-sheet">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label for="sheet-file">{lang.t("Nạp phiếu từ tệp JSON", "Load a sheet from a JSON file")}</label>
                <input type="file" id="sheet-file" name="sheet" accept="application/json,.json" required/>
                <button type="submit" class="button">{lang.t("Nạp", "Load")}</button>
                {other_errors(lang, s, &[])}
            </form>
        </section>
    }
}

fn calendar(lang: Lang, due: &[Due]) -> impl IntoView + use<> {
    let rows = due
        .iter()
        .map(|d| {
            let filed = match d.dossier {
                Some((id, st)) => view! { <a href=format!("/office/dossiers/{id}")>{lang.t(st.label().0, st.label().1)}</a> }.into_any(),
                None => view! { <span class="pill expiring">{lang.t("chưa lập hồ sơ", "not filed")}</span> }.into_any(),
            };
            view! {
                <tr><td>{d.product_name.clone()}<br/><span class="muted small">{d.producer_name.clone()}</span></td>
                    <td><a href=format!("/verify/{}", d.certificate_number)>{d.certificate_number.clone()}</a>{format!(" · {}★", d.stars)}</td>
                    <td>{date_in(lang, d.last_valid_on)}</td><td>{filed}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="calendar">
            <h2>{lang.t("Sắp hết hạn: cần đánh giá lại", "Ending soon: due for re-evaluation")}</h2>
            <p class="muted">{lang.t("Giấy chứng nhận hết hạn trong 6 tháng; chủ thể được nhắc qua email khi vào khoảng này.", "Certificates ending within six months; producers are reminded by email when they enter this window.")}</p>
            {if due.is_empty() {
                view! { <p class="muted">{lang.t("Không có sản phẩm nào.", "None.")}</p> }.into_any()
            } else {
                view! { <div class="table-wrap"><table class="data" id="due"><thead><tr><th>{lang.t("Sản phẩm", "Product")}</th>
                    <th>{lang.t("Giấy chứng nhận", "Certificate")}</th><th>{lang.t("Hết hạn", "Last day")}</th><th>{lang.t("Hồ sơ đánh giá lại", "Re-evaluation dossier")}</th></tr></thead>
                    <tbody>{rows}</tbody></table></div> }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let lang = use_lang();
    let data = crate::once::once(get_rounds());
    view! {
        <PageTitle text=lang.t("Kỳ đánh giá OCOP", "OCOP evaluation rounds")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) => super::office::office_only(lang),
                    Err(_) => super::server_error(),
                    Ok(Some(RoundsData { rounds, sheets, due, csrf })) => {
                        let s = form_state();
                        view! {
                            <WsHead title=lang.t("Kỳ đánh giá", "Evaluation rounds")
                                lead=lang.t("Mở kỳ, phân công hội đồng, xem kết quả và ghi quyết định công nhận.", "Open rounds, seat the council, read results and record decisions.").to_string()>
                                <a class="button" href="#open">{lang.t("Mở kỳ mới", "Open a round")}</a>
                            </WsHead>
                            {if rounds.is_empty() {
                                view! { <EmptyState title=lang.t("Chưa có kỳ đánh giá nào.", "No round yet.") hint=lang.t("Mở một kỳ để chủ thể nộp hồ sơ.", "Open one so producers can file dossiers.")/> }.into_any()
                            } else {
                                view! { <div class="table-wrap"><table class="data" id="rounds"><thead><tr><th>{lang.t("Kỳ", "Round")}</th>
                                    <th class="num">{lang.t("Năm", "Year")}</th><th>{lang.t("Tình trạng", "State")}</th></tr></thead>
                                    <tbody>{round_rows(lang, &rounds)}</tbody></table></div> }.into_any()
                            }}
                            {calendar(lang, &due)}
                            {open_form(lang, &s.for_form("round"), &sheets, &csrf)}
                            {sheets_panel(lang, &s.for_form("sheet"), &sheets, &csrf)}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn outcome_text(lang: Lang, l: &ResultLine, ministry_pending: bool) -> String {
    let Some(r) = &l.result else { return lang.t("chưa chấm xong", "not scored yet").to_string() };
    match (r.outcome.as_str(), r.stars) {
        ("proposed_five", _) if ministry_pending => {
            lang.t("4★ · đề nghị Trung ương xét 5★", "4★ · proposed to the Ministry for 5★").to_string()
        }
        ("proposed_five", _) => lang.t("5★ (Trung ương đã quyết định)", "5★ (decided by the Ministry)").to_string(),
        (_, Some(n)) if n > 0 => format!("{n}★"),
        ("disqualified", _) => lang.t("bị loại", "disqualified").to_string(),
        _ => lang.t("không đạt hạng", "not ranked").to_string(),
    }
}

fn results_table(lang: Lang, round: &Round, lines: &[ResultLine]) -> impl IntoView + use<> {
    let pending = round.ministry_decision_number.is_none();
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (kvi, ken) = l.kind.label();
            let part = |n: usize| l.result.as_ref().map(|r| hundredths_in(lang, r.parts_centi[n])).unwrap_or_default();
            let number = l.certificate_number.clone().or_else(|| {
                (l.status == DossierStatus::Ranked && l.result.as_ref().is_some_and(|r| r.stars.is_some_and(|s| s > 0)))
                    .then(|| lang.t("cấp khi ghi quyết định", "issued with the decision").to_string())
            });
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td><a href=format!("/office/dossiers/{}", l.dossier_id)>{l.product_name.clone()}</a>
                        <br/><span class="muted small">{l.producer_name.clone()}{l.area.clone().map(|a| format!(" · {a}"))}</span></td>
                    <td>{lang.t(kvi, ken)}</td>
                    <td class="num" data-label="A">{part(0)}</td><td class="num" data-label="B">{part(1)}</td><td class="num" data-label="C">{part(2)}</td>
                    <td class="num" data-label=lang.t("Tổng", "Total")><strong>{l.result.as_ref().map(|r| hundredths_in(lang, r.mean_centi))}</strong></td>
                    <td>{outcome_text(lang, l, pending)}</td>
                    <td>{status_pill(lang, l.status)}</td>
                    <td class="mono small">{number}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap"><table class="data results" id="results">
            <thead><tr><th class="num">"#"</th><th>{lang.t("Sản phẩm, chủ thể", "Product, producer")}</th><th>{lang.t("Loại", "Kind")}</th>
                <th class="num">"A"</th><th class="num">"B"</th><th class="num">"C"</th><th class="num">{lang.t("Tổng", "Total")}</th>
                <th>{lang.t("Hạng", "Stars")}</th><th>{lang.t("Trạng thái", "Status")}</th><th>{lang.t("Số GCN", "Certificate no.")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

fn group_name(lang: Lang, code: &str) -> String {
    domain::ocop::OcopGroup::parse(code)
        .map(|g| lang.t(g.name_vi(), g.name_en()).to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// The sheet each product group is scored on in the round, and the form that adds one for another group.
fn round_sheets(lang: Lang, d: &RoundData, s: &FormState) -> impl IntoView + use<> {
    let items = d
        .sheets
        .iter()
        .map(|sh| view! {
            <li><strong>{group_name(lang, &sh.group_code)}</strong>": "{format!("{} {} — {}", sh.code, sh.version, lang.pick(&sh.title_vi, &sh.title_en))}
                {sh.sample.then(|| view! { " " <span class="pill">{lang.t("mẫu minh hoạ", "sample")}</span> })}</li>
        })
        .collect_view();
    let options = d
        .addable
        .iter()
        .map(|sh| view! { <option value=sh.id.to_string()>{format!("{} · {} {}", group_name(lang, &sh.group_code), sh.code, sh.version)}</option> })
        .collect_view();
    let open = d.round.status == RoundStatus::Open;
    view! {
        <section class="panel" id="round-sheets">
            <h2>{lang.t("Phiếu đánh giá theo nhóm sản phẩm", "Criteria sheets by product group")}</h2>
            <ul>{items}</ul>
            {(open && !d.addable.is_empty()).then(|| view! {
                <form method="post" action=format!("/office/rounds/{}/sheets", d.round.id) class="add-form" id="add-sheet">
                    <input type="hidden" name="csrf" value=d.csrf.clone()/>
                    <label for="add-sheet-id">{lang.t("Thêm phiếu cho nhóm khác", "Add a sheet for another group")}</label>
                    <select id="add-sheet-id" name="sheet_id">{options}</select>
                    <button type="submit" class="button">{lang.t("Thêm", "Add")}</button>
                </form>
            })}
            {other_errors(lang, s, &[])}
        </section>
    }
}

fn council(lang: Lang, d: &RoundData, s: &FormState) -> impl IntoView + use<> {
    let members = d
        .members
        .iter()
        .map(|m| view! { <li>{m.name.clone()}{m.secretary.then(|| view! { " " <span class="pill">{lang.t("thư ký", "secretary")}</span> })}</li> })
        .collect_view();
    let options = d
        .candidates
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
        .collect_view();
    let open = d.round.status == RoundStatus::Open;
    view! {
        <section class="panel" id="council">
            <h2>{lang.t("Hội đồng", "Council")}</h2>
            {if d.members.is_empty() { view! { <p class="muted">{lang.t("Chưa có thành viên.", "No member yet.")}</p> }.into_any() } else { view! { <ul>{members}</ul> }.into_any() }}
            {(open && !d.candidates.is_empty()).then(|| view! {
                <form method="post" action=format!("/office/rounds/{}/members", d.round.id) class="add-form" id="seat">
                    <input type="hidden" name="csrf" value=d.csrf.clone()/>
                    <label for="user_id">{lang.t("Thêm thành viên", "Seat a member")}</label>
                    <select id="user_id" name="user_id">{options}</select>
                    <label class="choice"><input type="checkbox" name="secretary" value="1"/>" "{lang.t("Thư ký", "Secretary")}</label>
                    <button type="submit" class="button">{lang.t("Phân công", "Seat")}</button>
                    {other_errors(lang, s, &[])}
                </form>
            })}
        </section>
    }
}

/// A decision's number and date; the Ministry's also names which proposed products it made five stars.
fn decision_form(
    lang: Lang,
    action: String,
    id: &str,
    title: (&'static str, &'static str),
    csrf: &str,
    s: &FormState,
    five: Vec<(i64, String)>,
) -> impl IntoView + use<> {
    let boxes = (!five.is_empty()).then(|| {
        let items = five
            .into_iter()
            .map(|(d, name)| view! { <label class="choice"><input type="checkbox" name="five" value=d.to_string() checked=true/>" "{name}</label> })
            .collect_view();
        view! { <fieldset class="choices"><legend>{lang.t("Sản phẩm được công nhận 5 sao", "Products made five stars")}</legend>{items}</fieldset> }
    });
    view! {
        <form method="post" action=action class="checkout-form panel" id=id.to_string()>
            <h2>{lang.t(title.0, title.1)}</h2>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-grid">
                <div>
                    <label for=format!("{id}-number")>{lang.t("Số quyết định", "Decision number")}</label>
                    <input id=format!("{id}-number") name="number" maxlength="60" required value=s.value("number") placeholder="1358/QĐ-UBND"/>
                    {error_for(lang, s, "number")}
                </div>
                <div>
                    <label for=format!("{id}-date")>{lang.t("Ngày quyết định", "Decision date")}</label>
                    <input type="date" id=format!("{id}-date") name="decided_on" required value=s.value("decided_on")/>
                    {error_for(lang, s, "decided_on")}
                </div>
            </div>
            {boxes}
            {other_errors(lang, s, &["number", "decided_on"])}
            <button type="submit" class="button primary">{lang.t("Ghi quyết định và cấp giấy chứng nhận", "Record the decision and issue the certificates")}</button>
        </form>
    }
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    view! {
        <PageTitle text=lang.t("Kỳ đánh giá OCOP", "OCOP evaluation round")/>
        {notice(lang)}
        {super::record_page(move || get_round(id), move |d: RoundData| {
            let s = form_state();
            let r = d.round.clone();
            let scored = d.results.iter().filter(|l| l.status == DossierStatus::Scored).count();
            let ranked = d.results.iter().any(|l| l.status == DossierStatus::Ranked);
            let five: Vec<(i64, String)> = d.results.iter().filter(|l| l.status == DossierStatus::Certified
                && l.result.as_ref().is_some_and(|x| x.outcome == "proposed_five")).map(|l| (l.dossier_id, l.product_name.clone())).collect();
            let lead = match &r.decision_number {
                Some(n) => format!("{} {n} · {}", lang.t("Quyết định", "Decision"), r.decided_on.map(|d| date_in(lang, d)).unwrap_or_default()),
                None => format!("{} {} · {} {}", lang.t("Năm", "Year"), r.year, lang.t("hạn nộp", "deadline"), date_in(lang, r.deadline)),
            };
            let sheets = round_sheets(lang, &d, &s.for_form("sheet"));
            view! {
                <WsHead title=r.label.clone() lead=lead>
                    <a class="button ghost" href=format!("/office/rounds/{}/results.csv", r.id)>"CSV"</a>
                    <a class="button ghost" href=format!("/office/rounds/{}/results.xlsx", r.id)>"XLSX"</a>
                    <a class="button ghost" href=format!("/office/rounds/{}/print", r.id)>{lang.t("Bản in", "Print")}</a>
                </WsHead>
                {sheets}
                {council(lang, &d, &s.for_form("seat"))}
                <section class="panel" id="results-panel">
                    <h2>{lang.t("Bảng kết quả", "Results sheet")}</h2>
                    {if d.results.is_empty() {
                        view! { <p class="muted">{lang.t("Chưa có hồ sơ nào được tỉnh tiếp nhận.", "No dossier accepted yet.")}</p> }.into_any()
                    } else { results_table(lang, &r, &d.results).into_any() }}
                    {(scored > 0).then(|| view! {
                        <form method="post" action=format!("/office/rounds/{}/rank", r.id) class="inline" id="rank">
                            <input type="hidden" name="csrf" value=d.csrf.clone()/>
                            <button type="submit" class="button">{format!("{} ({scored})", lang.t("Đưa hồ sơ đã chấm vào bảng kết quả", "Put scored dossiers on the results sheet"))}</button>
                        </form>
                    })}
                </section>
                {(ranked && r.status == RoundStatus::Open).then(|| decision_form(lang, format!("/office/rounds/{}/decision", r.id), "decision",
                    ("Quyết định công nhận của UBND tỉnh", "The province's decision"), &d.csrf, &s.for_form("decision"), Vec::new()))}
                {(!five.is_empty() && r.ministry_decision_number.is_none()).then(|| decision_form(lang, format!("/office/rounds/{}/ministry", r.id), "ministry",
                    ("Quyết định 5 sao của Bộ Nông nghiệp và Môi trường", "The Ministry's five-star decision"), &d.csrf, &s.for_form("ministry"), five.clone()))}
            }
        })}
    }
}

/// The results sheet alone, for printing and signing.
#[component]
pub fn RoundPrintPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let office = use_context::<crate::api::OfficeName>().unwrap_or_default();
    view! {
        <PageTitle text=lang.t("Bảng kết quả đánh giá OCOP", "OCOP evaluation results")/>
        {super::record_page(move || get_round(id), move |d: RoundData| {
            let r = d.round.clone();
            view! {
                <article class="print-sheet">
                    <p class="muted">{lang.pick(&office.vi, &office.en).to_string()}</p>
                    <h1>{lang.t("Bảng tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP", "OCOP evaluation and ranking results")}</h1>
                    <p>{r.label.clone()}" · "{r.year}{r.decision_number.clone().map(|n| format!(" · {} {n}", lang.t("Quyết định", "Decision")))}</p>
                    {results_table(lang, &r, &d.results)}
                    <p class="signatures"><span>{lang.t("Thư ký hội đồng", "Council secretary")}</span><span>{lang.t("Chủ tịch hội đồng", "Council chair")}</span></p>
                </article>
            }
        })}
    }
}
