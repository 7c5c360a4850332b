//! What a refused form post hands to the page the server renders again: the messages beside their
//! fields and what was typed (never a password), so nothing a person typed is lost.

use domain::address::FieldError;
use leptos::prelude::*;

use crate::i18n::Lang;

#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    pub notice: Option<(&'static str, &'static str, &'static str)>,
    /// Which of a page's forms was refused (pages with several forms show errors at that one only).
    pub form: Option<String>,
}

impl FormState {
    pub fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The typed value for a refused `form`, or else `current`.
    pub fn value_or(&self, form: &str, name: &str, current: &str) -> String {
        if self.form.as_deref() == Some(form) { self.value(name) } else { current.to_string() }
    }

    /// The state as seen by one of a page's forms: empty unless that form was the one refused.
    pub fn for_form(&self, form: &str) -> FormState {
        if self.form.as_deref() == Some(form) { self.clone() } else { FormState::default() }
    }
}

pub fn form_state() -> FormState {
    use_context::<FormState>().unwrap_or_default()
}

pub fn error_for(lang: Lang, s: &FormState, field: &str) -> Option<impl IntoView + use<>> {
    s.errors.iter().find(|e| e.field == field).map(|e| {
        let text = lang.pick(&e.message_vi, &e.message_en).to_string();
        view! { <p class="field-error" id=format!("{field}-error") role="alert">{text}</p> }
    })
}

/// Errors for fields the form has no place for (a stale or forged id), shown at its top.
pub fn other_errors(lang: Lang, s: &FormState, fields: &[&str]) -> impl IntoView + use<> {
    s.errors
        .iter()
        .filter(|e| !fields.contains(&e.field.as_str()))
        .map(
            |e| view! { <p class="field-error" role="alert">{lang.pick(&e.message_vi, &e.message_en).to_string()}</p> },
        )
        .collect_view()
}
