//! The marketplace's pages, rendered on the server with plain links and GET forms: they work with no
//! JavaScript at all, on cheap phones and flaky showroom connections.

pub mod api;
#[cfg(feature = "ssr")]
pub mod charts;
mod components;
pub mod evaluation_api;
pub mod form;
pub mod format;
pub mod i18n;
pub mod once;
pub mod pages;
mod palette;
pub mod raw_text;
pub mod session;
pub mod trace_api;
pub mod workspace;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::i18n::provide_lang;
use crate::raw_text::PageTitle;

pub const STYLE: &str = include_str!("../../public/style.css");
pub const CSS_PATH: &str = "/assets/style.css";

/// The stylesheet's URL carries a hash of its content, so browsers may keep it for a year and
/// still get a new one the moment it changes.
pub fn style_href() -> &'static str {
    static HREF: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        STYLE.hash(&mut h);
        format!("{CSS_PATH}?v={:x}", h.finish())
    });
    &HREF
}

pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let lang = crate::i18n::request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b6e4f"/>
                <link rel="stylesheet" href=style_href()/>
                <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    view! {
        <PageTitle text=lang.t("Chợ OCOP Bình Thuận", "OCOP Market Bình Thuận")/>
        <Router>
            <components::Header/>
            <main class="page">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=StaticSegment("") view=pages::Home ssr=SsrMode::Async/>
                    <Route path=StaticSegment("products") view=pages::Catalog ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("products"), ParamSegment("slug")) view=pages::ProductPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("producers"), ParamSegment("slug")) view=pages::ProducerPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("combos"), ParamSegment("slug")) view=pages::ComboPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("verify"), ParamSegment("number")) view=pages::VerifyPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("cart") view=pages::CartPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("ocop") view=pages::RegistryPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("account") view=pages::AccountPage ssr=SsrMode::Async/>
                    <ParentRoute path=StaticSegment("portal") view=workspace::WorkspaceLayout ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=pages::PortalPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("products"), StaticSegment("new")) view=pages::NewProductPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("products"), ParamSegment("id")) view=pages::ProductEditPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("orders") view=pages::PortalOrdersPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("orders"), ParamSegment("number"), StaticSegment("slip")) view=pages::PackingSlipPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("import") view=pages::ImportPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("combos") view=pages::CombosPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("combos"), ParamSegment("id")) view=pages::ComboEditPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("imports"), ParamSegment("id")) view=pages::ImportStatusPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("channels") view=pages::PortalChannels ssr=SsrMode::Async/>
                        <Route path=StaticSegment("sales") view=pages::PortalSales ssr=SsrMode::Async/>
                        <Route path=StaticSegment("dossiers") view=pages::DossiersPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("dossiers"), ParamSegment("id")) view=pages::DossierPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("batches") view=pages::BatchesPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("batches"), ParamSegment("id")) view=pages::BatchPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("recalls") view=pages::RecallsPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("recalls"), ParamSegment("id")) view=pages::RecallPage ssr=SsrMode::Async/>
                    </ParentRoute>
                    <ParentRoute path=StaticSegment("office") view=workspace::WorkspaceLayout ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=pages::OfficeHome ssr=SsrMode::Async/>
                        <Route path=StaticSegment("certificates") view=pages::OfficeCertificates ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("certificates"), ParamSegment("number"), StaticSegment("revoke")) view=pages::RevokePage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("producers") view=pages::OfficeProducers ssr=SsrMode::Async/>
                        <Route path=StaticSegment("users") view=pages::OfficeUsers ssr=SsrMode::Async/>
                        <Route path=StaticSegment("showrooms") view=pages::OfficeShowrooms ssr=SsrMode::Async/>
                        <Route path=StaticSegment("audit") view=pages::OfficeAudit ssr=SsrMode::Async/>
                        <Route path=StaticSegment("dashboard") view=pages::OfficeDashboard ssr=SsrMode::Async/>
                        <Route path=StaticSegment("channels") view=pages::OfficeChannels ssr=SsrMode::Async/>
                        <Route path=StaticSegment("report") view=pages::OfficeReport ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("producers"), ParamSegment("id"), StaticSegment("statement")) view=pages::OfficeStatement ssr=SsrMode::Async/>
                        <Route path=StaticSegment("dossiers") view=pages::DossiersPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("dossiers"), ParamSegment("id")) view=pages::DossierPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("dossiers"), ParamSegment("id"), StaticSegment("score")) view=pages::ScoringPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("rounds") view=pages::RoundsPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("rounds"), ParamSegment("id")) view=pages::RoundPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("recalls") view=pages::RecallsPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("recalls"), ParamSegment("id")) view=pages::RecallPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("orders") view=pages::OfficeOrders ssr=SsrMode::Async/>
                        <Route path=StaticSegment("withholding") view=pages::OfficeWithholding ssr=SsrMode::Async/>
                    </ParentRoute>
                    <Route path=(StaticSegment("account"), StaticSegment("sign-in")) view=pages::SignInPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("account"), StaticSegment("sign-up")) view=pages::SignUpPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("account"), StaticSegment("reset")) view=pages::ResetRequestPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("account"), StaticSegment("reset"), ParamSegment("token")) view=pages::ResetPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("checkout") view=pages::CheckoutPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("office"), StaticSegment("rounds"), ParamSegment("id"), StaticSegment("print")) view=pages::RoundPrintPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("portal"), StaticSegment("batches"), ParamSegment("id"), StaticSegment("labels")) view=pages::LabelsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("trace"), ParamSegment("id")) view=pages::TracePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("orders") view=pages::OrderLookup ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("orders"), ParamSegment("number")) view=pages::OrderPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <components::Footer/>
        </Router>
    }
}
