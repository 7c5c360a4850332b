//! A council member's score sheet for one dossier: every criterion of the round's sheet with its
//! options and a note, saved as a draft or submitted once. Other members' sheets show only after
//! the reader has submitted their own.

use domain::evaluation::Sheet;
use domain::evaluation::records::MemberScore;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::portal::notice;
use crate::evaluation_api::{DossierData, get_dossier};
use crate::form::{FormState, form_state, other_errors};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::WsHead;

fn sheet_form(
    lang: Lang,
    sheet: &Sheet,
    mine: Option<&MemberScore>,
    s: &FormState,
    locked: bool,
) -> impl IntoView + use<> {
    let picked = |code: &str| -> String {
        if s.form.is_some() {
            s.value(&format!("c_{code}"))
        } else {
            mine.and_then(|m| m.choices.get(code).cloned()).unwrap_or_default()
        }
    };
    let noted = |code: &str| -> String {
        if s.form.is_some() {
            s.value(&format!("n_{code}"))
        } else {
            mine.and_then(|m| m.notes.get(code).cloned()).unwrap_or_default()
        }
    };
    sheet
        .parts
        .iter()
        .map(|part| {
            let (pvi, pen) = part.code.label();
            let criteria = part
                .criteria
                .iter()
                .map(|c| {
                    let chosen = picked(&c.code);
                    let options = c
                        .options
                        .iter()
                        .map(|o| {
                            let text = lang.pick(&o.text_vi, &o.text_en).to_string();
                            view! {
                                <label class="option">
                                    <input type="radio" name=format!("c_{}", c.code) value=o.code.clone()
                                        checked=chosen == o.code disabled=locked/>
                                    <span>{text}</span>
                                    <span class="points">{o.points}{lang.t(" đ", " pt")}</span>
                                </label>
                            }
                        })
                        .collect_view();
                    let mandatory = c.mandatory_from.map(|st| {
                        view! { <span class="pill expiring">{format!("{} {}★", lang.t("bắt buộc từ", "mandatory from"), st.get())}</span> }
                    });
                    view! {
                        <fieldset class="criterion" id=format!("crit-{}", c.code.replace('.', "-"))>
                            <legend><span class="mono">{c.code.clone()}</span>" "{lang.pick(&c.text_vi, &c.text_en).to_string()}
                                " "<span class="muted small">{format!("({} {})", c.max_points(), lang.t("điểm", "points"))}</span>" "{mandatory}</legend>
                            {options}
                            <label class="note"><span class="sr-only">{lang.t("Ghi chú ", "Note ")}{c.code.clone()}</span>
                                <input name=format!("n_{}", c.code) maxlength="500" value=noted(&c.code) disabled=locked
                                    placeholder=lang.t("Ghi chú: điều thấy trong hồ sơ, mẫu", "Note: what the dossier or sample showed")/></label>
                        </fieldset>
                    }
                })
                .collect_view();
            view! {
                <section class="panel part">
                    <h2>{lang.t("Phần ", "Part ")}{format!("{:?}", part.code)}" · "{lang.t(pvi, pen)}
                        <span class="muted small">{format!(" ({} {})", part.code.max(), lang.t("điểm", "points"))}</span></h2>
                    {criteria}
                </section>
            }
        })
        .collect_view()
}

fn others(lang: Lang, scores: &[MemberScore]) -> impl IntoView + use<> {
    let rows = scores
        .iter()
        .map(|m| view! { <tr><td>{m.member_name.clone()}</td><td class="num">{m.total.map(|t| t.to_string()).unwrap_or_default()}</td></tr> })
        .collect_view();
    view! {
        <section class="panel" id="members-scores">
            <h2>{lang.t("Phiếu đã nộp của hội đồng", "The council's submitted sheets")}</h2>
            <table class="data"><thead><tr><th>{lang.t("Thành viên", "Member")}</th><th class="num">{lang.t("Tổng điểm", "Total")}</th></tr></thead>
            <tbody>{rows}</tbody></table>
        </section>
    }
}

#[component]
pub fn ScoringPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    view! {
        <PageTitle text=lang.t("Phiếu chấm điểm OCOP", "OCOP score sheet")/>
        {notice(lang)}
        {super::record_page(move || get_dossier(id, true), move |data: DossierData| {
            let d = data.dossier.clone();
            let Some(sheet) = data.sheet.clone().filter(|_| data.on_council) else {
                super::set_status(404);
                return view! { <super::NotFound/> }.into_any();
            };
            let s = form_state().for_form("score");
            let submitted = data.mine.as_ref().is_some_and(|m| m.submitted_at.is_some());
            let open = d.status == domain::evaluation::DossierStatus::Accepted && !submitted;
            let total = data.mine.as_ref().and_then(|m| m.total);
            view! {
                <WsHead title=format!("{} — {}", lang.t("Chấm điểm", "Scoring"), d.product_name)
                    lead=format!("{} · {} {}", d.producer_name, lang.pick(&sheet.title_vi, &sheet.title_en), sheet.version)>
                    <a class="button ghost" href=format!("/office/dossiers/{}", d.id)>{lang.t("Xem hồ sơ", "Open the dossier")}</a>
                </WsHead>
                {sheet.sample.then(|| view! { <p class="notice warn">{lang.t("Phiếu mẫu minh hoạ, không phải văn bản chính thức.", "An illustrative sample sheet, not the official text.")}</p> })}
                {submitted.then(|| view! { <p class="notice ok" id="submitted">{lang.t("Bạn đã nộp phiếu: ", "You submitted your sheet: ")}<strong>{total.map(|t| t.to_string())}</strong>{lang.t(" điểm.", " points.")}</p> })}
                <form method="post" action=format!("/dossiers/{}/score", d.id) class="score-sheet" id="score-form">
                    <input type="hidden" name="csrf" value=data.csrf.clone()/>
                    {other_errors(lang, &s, &[])}
                    {sheet_form(lang, &sheet, data.mine.as_ref(), &s, !open)}
                    {open.then(|| view! {
                        <div class="sticky-actions">
                            <button type="submit" name="submit" value="0" class="button" formnovalidate>{lang.t("Lưu nháp", "Save draft")}</button>
                            <button type="submit" name="submit" value="1" class="button primary">{lang.t("Nộp phiếu", "Submit the sheet")}</button>
                        </div>
                    })}
                </form>
                {data.scores.clone().map(|sc| others(lang, &sc))}
            }.into_any()
        })}
    }
}
