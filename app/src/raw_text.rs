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

/// A multi-line text field labelled by `id` and named by it (or by `name`), holding `value`.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    rows: u32,
    maxlength: u32,
    #[prop(into)] value: String,
    #[prop(optional, into)] name: Option<String>,
) -> impl IntoView {
    let text = security::html::escape(&value);
    let name = name.unwrap_or_else(|| id.clone());
    view! { <textarea id=id name=name rows=rows maxlength=maxlength>{text}</textarea> }
}
