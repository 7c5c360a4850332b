//! One module a page. Each page loads its data through a server function, awaited before the
//! HTML is sent (`SsrMode::Async`), and sets the HTTP status itself (404, 400).

pub mod account;
mod batches;
mod cart;
mod catalog;
mod channels;
mod checkout;
mod dashboard;
mod dossiers;
mod home;
mod not_found;
mod office;
mod office_admin;
mod office_audit;
mod office_home;
mod office_orders;
mod office_showrooms;
mod office_users;
mod order;
mod period;
mod portal;
mod portal_combos;
mod portal_home;
mod portal_orders;
mod producer;
mod product;
mod recalls;
mod registry;
mod report;
mod rounds;
mod sales;
mod scoring;
mod trace;
mod verify;
mod withholding;

pub use account::{AccountPage, ResetPage, ResetRequestPage, SignInPage, SignUpPage};
pub use batches::{BatchPage, BatchesPage, INPUT_ROWS as BATCH_INPUT_ROWS, LabelsPage, TEST_ROWS as BATCH_TEST_ROWS};
pub use cart::CartPage;
pub use catalog::Catalog;
pub use channels::{OfficeChannels, PortalChannels};
pub use checkout::CheckoutPage;
pub use dashboard::OfficeDashboard;
pub use dossiers::{DossierPage, DossiersPage, dossier_href};
pub use home::Home;
pub use not_found::NotFound;
pub use office::{OfficeCertificates, RevokePage};
pub use office_admin::OfficeProducers;
pub use office_audit::OfficeAudit;
pub use office_home::OfficeHome;
pub use office_orders::OfficeOrders;
pub use office_showrooms::OfficeShowrooms;
pub use office_users::OfficeUsers;
pub use order::{OrderLookup, OrderPage};
pub use portal::{ImportPage, ImportStatusPage, NewProductPage, ProductEditPage};
pub use portal_combos::{ComboEditPage, CombosPage};
pub use portal_home::PortalPage;
pub use portal_orders::{PackingSlipPage, PortalOrdersPage};
pub use producer::{ComboPage, ProducerPage};
pub use product::ProductPage;
pub use recalls::{RecallPage, RecallsPage};
pub use registry::RegistryPage;
pub use report::OfficeReport;
pub use rounds::{RoundPage, RoundPrintPage, RoundsPage};
pub use sales::{OfficeStatement, PortalSales};
pub use scoring::ScoringPage;
pub use trace::TracePage;
pub use verify::VerifyPage;
pub use withholding::OfficeWithholding;

/// Sets the response status of the page being rendered.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A page about one record: `render` it once `load` resolves, the 404 page when there is no such
/// record, the 500 page when loading failed. Awaited before the HTML is sent (`SsrMode::Async`).
pub fn record_page<T, F, V>(
    load: impl Fn() -> F + Clone + Send + Sync + 'static,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl leptos::prelude::IntoView
where
    F: std::future::Future<Output = Result<Option<T>, leptos::prelude::ServerFnError>> + Send + 'static,
    T: Clone + Send + Sync + 'static,
    V: leptos::prelude::IntoView + 'static,
{
    use leptos::prelude::*;
    let record = crate::once::once(load());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match record.await {
                        Err(_) => server_error(),
                        Ok(None) => view! { <NotFound/> }.into_any(),
                        Ok(Some(record)) => render(record).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page whose data could not be loaded: a 500 with an apology in both languages.
pub fn server_error() -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    set_status(500);
    view! {
        <section class="empty">
            <h1>"Có lỗi xảy ra"</h1>
            <p>"Xin lỗi, trang chưa tải được. Vui lòng thử lại sau ít phút."</p>
            <p lang="en">"Sorry, something went wrong on our side. Please try again in a minute."</p>
        </section>
    }
    .into_any()
}
