//! The period picker shared by the dashboard, the report and the sales statements: months, quarters,
//! half-years and years around today in one list, and a custom range. A GET form, so the chosen
//! period is in the address and can be bookmarked or shared.

use chrono::NaiveDate;
use domain::participation::{Period, PeriodKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::Lang;

/// The period the address asks for: `period=2026-Q4`, or a custom range `from=…&to=…`.
pub fn asked() -> String {
    let q = use_query_map().read_untracked().clone();
    let from = q.get("from").unwrap_or_default();
    let to = q.get("to").unwrap_or_default();
    match q.get("period").filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None if !from.is_empty() && !to.is_empty() => format!("{from}..{to}"),
        None => String::new(),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

pub fn picker(lang: Lang, action: String, current: &Period, today: NaiveDate) -> impl IntoView + use<> {
    let code = current.code();
    let choices = Period::choices(today);
    let known = choices.iter().any(|(_, p)| p.code() == code);
    let groups = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Half, PeriodKind::Year]
        .into_iter()
        .map(|kind| {
            let (vi, en) = kind.label();
            let options = choices
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, p)| {
                    let (lvi, len) = p.label();
                    let value = p.code();
                    let selected = value == code;
                    view! { <option value=value selected=selected>{capitalised(lang.pick(&lvi, &len))}</option> }
                })
                .collect_view();
            view! { <optgroup label=lang.t(vi, en)>{options}</optgroup> }
        })
        .collect_view();
    let custom = (!known).then(|| {
        let (vi, en) = current.label();
        view! { <option value=code.clone() selected=true>{capitalised(lang.pick(&vi, &en))}</option> }
    });
    view! {
        <form method="get" action=action.clone() class="period-picker" id="period-form">
            <label for="period">{lang.t("Kỳ báo cáo", "Period")}</label>
            <select id="period" name="period">{custom}{groups}</select>
            <button type="submit" class="button">{lang.t("Xem", "Show")}</button>
        </form>
        <details class="period-custom">
            <summary>{lang.t("Khoảng ngày khác", "Other dates")}</summary>
            <form method="get" action=action class="period-picker">
                <label for="from">{lang.t("Từ ngày", "From")}</label>
                <input type="date" id="from" name="from" value=current.from.to_string() required/>
                <label for="to">{lang.t("Đến hết ngày", "Through")}</label>
                <input type="date" id="to" name="to" value=current.to.to_string() required/>
                <button type="submit" class="button ghost">{lang.t("Xem", "Show")}</button>
            </form>
        </details>
    }
}
