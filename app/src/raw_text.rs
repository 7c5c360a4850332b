//! The one way pages put text into elements the HTML parser does not read as markup: the page
//! `<title>` (leptos_meta writes `Title`'s text as it is) and `<textarea>` (its children are not
//! escaped when rendered on the server). Both escape with `security::html::escape`; the browser
//! shows the text exactly as typed. A test in `security` fails if either element is written
//! anywhere else.

use leptos::prelude::*;
use leptos_meta::Title;

/// The document title.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=security::html::escape(&text)/> }
}

/// A multi-line text field named and labelled by `id`, holding `value`.
#[component]
pub fn TextArea(id: &'static str, rows: u32, maxlength: u32, #[prop(into)] value: String) -> impl IntoView {
    let text = security::html::escape(&value);
    view! { <textarea id=id name=id rows=rows maxlength=maxlength>{text}</textarea> }
}
