use crate::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    super::set_status(404);
    view! {
        <PageTitle text="Không tìm thấy trang / Page not found"/>
        <section class="empty not-found">
            <p class="big">"404"</p>
            <h1>"Không tìm thấy trang"</h1>
            <p>"Trang bạn tìm không tồn tại hoặc sản phẩm đã ngừng bán."</p>
            <h2 lang="en">"Page not found"</h2>
            <p lang="en">"The page you asked for does not exist, or the product is no longer listed."</p>
            <p class="actions">
                <a class="button" href="/">"Về trang chủ / Home"</a>
                <a class="button ghost" href="/products">"Xem sản phẩm / Browse products"</a>
            </p>
        </section>
    }
}
