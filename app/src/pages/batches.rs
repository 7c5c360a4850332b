//! A producer's production batches: the list with the form that records one (inputs one step back,
//! quality tests, units received into stock), a batch's page with its recall form, and the sheet of
//! QR labels that carry its GS1 Digital Link.

use domain::trace::RecallStatus;
use domain::trace::records::{BatchRow, TraceView};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::portal::notice;
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::{date_in, number_in};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::{PageTitle, TextArea};
use crate::trace_api::{BatchData, BatchesData, get_batch, get_batches};
use crate::workspace::{EmptyState, WsHead};

/// Blank rows the form offers for inputs and for tests; blank ones are ignored.
pub const INPUT_ROWS: usize = 3;
pub const TEST_ROWS: usize = 2;

pub fn recall_pill(lang: Lang, r: Option<RecallStatus>) -> impl IntoView + use<> {
    r.map(|r| {
        let (vi, en) = r.label();
        let class = if r == RecallStatus::Open { "pill recall-open" } else { "pill" };
        view! { <span class=class>{lang.t(vi, en)}</span> }
    })
}

fn rows(lang: Lang, batches: &[BatchRow]) -> impl IntoView + use<> {
    batches
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <td><a class="mono" href=format!("/portal/batches/{}", b.id)>{b.code.clone()}</a> " " {recall_pill(lang, b.recall)}</td>
                    <td>{b.product_name.clone()}<br/><span class="muted small">{b.size_vi.clone()}</span></td>
                    <td>{date_in(lang, b.produced_on)}</td>
                    <td>{b.expires_on.map(|d| date_in(lang, d)).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{number_in(lang, b.quantity)}</td>
                    <td class="num">{number_in(lang, b.on_hand)}</td>
                </tr>
            }
        })
        .collect_view()
}

fn input_rows(lang: Lang, s: &FormState) -> impl IntoView + use<> {
    (0..INPUT_ROWS)
        .map(|i| {
            let f = |n: &str| format!("input_{n}_{i}");
            view! {
                <fieldset class="row-fields">
                    <legend>{format!("{} {}", lang.t("Nguyên liệu", "Input"), i + 1)}</legend>
                    <div><label for=f("material")>{lang.t("Nguyên liệu", "Material")}</label>
                        <input id=f("material") name=f("material") maxlength="200" value=s.value(&f("material"))
                            placeholder=lang.t("vd. Cá cơm than", "e.g. Anchovy")/></div>
                    <div><label for=f("origin")>{lang.t("Nguồn gốc (vùng, tàu, hộ)", "Origin (farm, boat, member)")}</label>
                        <input id=f("origin") name=f("origin") maxlength="300" value=s.value(&f("origin"))
                            placeholder=lang.t("vd. Tàu BTh-96123-TS, ngư trường Phú Quý", "e.g. Boat BTh-96123-TS, Phú Quý grounds")/></div>
                    <div><label for=f("supplier")>{lang.t("Bên cung cấp (công khai)", "Supplier (shown publicly)")}</label>
                        <input id=f("supplier") name=f("supplier") maxlength="200" value=s.value(&f("supplier"))/></div>
                    <div><label for=f("received_on")>{lang.t("Ngày nhận", "Received on")}</label>
                        <input type="date" id=f("received_on") name=f("received_on") value=s.value(&f("received_on"))/></div>
                    {error_for(lang, s, &format!("input_{i}"))}
                </fieldset>
            }
        })
        .collect_view()
}

fn test_rows(lang: Lang, s: &FormState) -> impl IntoView + use<> {
    (0..TEST_ROWS)
        .map(|i| {
            let f = |n: &str| format!("test_{n}_{i}");
            view! {
                <fieldset class="row-fields">
                    <legend>{format!("{} {}", lang.t("Kiểm nghiệm", "Test"), i + 1)}</legend>
                    <div><label for=f("name")>{lang.t("Chỉ tiêu", "What was tested")}</label>
                        <input id=f("name") name=f("name") maxlength="200" value=s.value(&f("name"))
                            placeholder=lang.t("vd. Histamine", "e.g. Histamine")/></div>
                    <div><label for=f("result")>{lang.t("Kết quả", "Result")}</label>
                        <input id=f("result") name=f("result") maxlength="300" value=s.value(&f("result"))
                            placeholder=lang.t("vd. 120 mg/kg (giới hạn 400)", "e.g. 120 mg/kg (limit 400)")/></div>
                    <div><label for=f("lab")>{lang.t("Phòng kiểm nghiệm", "Laboratory")}</label>
                        <input id=f("lab") name=f("lab") maxlength="200" value=s.value(&f("lab"))/></div>
                    <div><label for=f("tested_on")>{lang.t("Ngày", "Date")}</label>
                        <input type="date" id=f("tested_on") name=f("tested_on") value=s.value(&f("tested_on"))/></div>
                    <label class="check"><input type="checkbox" name=f("passed") value="1" checked=s.form.is_none() || !s.value(&f("passed")).is_empty()/>
                        {lang.t(" Đạt", " Passed")}</label>
                    {error_for(lang, s, &format!("test_{i}"))}
                </fieldset>
            }
        })
        .collect_view()
}

fn record_form(lang: Lang, s: &FormState, d: &BatchesData) -> impl IntoView + use<> {
    let sizes = d
        .sizes
        .iter()
        .map(|(id, label)| {
            let v = id.to_string();
            view! { <option value=v.clone() selected=s.value("variant_id") == v>{label.clone()}</option> }
        })
        .collect_view();
    let places = d
        .locations
        .iter()
        .map(|(id, name)| {
            let v = id.to_string();
            view! { <option value=v.clone() selected=s.value("location_id") == v>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <section class="panel" id="record">
            <h2>{lang.t("Ghi lô sản xuất", "Record a production batch")}</h2>
            <form method="post" action="/portal/batches" class="checkout-form" id="record-batch">
                <input type="hidden" name="csrf" value=d.csrf.clone()/>
                <div class="form-grid">
                    <div class="wide">
                        <label for="variant_id">{lang.t("Sản phẩm, quy cách", "Product and size")}</label>
                        <select id="variant_id" name="variant_id" required>
                            <option value="">{lang.t("— Chọn —", "— Choose —")}</option>
                            {sizes}
                        </select>
                        {error_for(lang, s, "variant_id")}
                    </div>
                    <div>
                        <label for="code">{lang.t("Mã lô (in trên bao bì)", "Batch code (as printed)")}</label>
                        <input id="code" name="code" maxlength="20" required value=s.value("code") autocapitalize="characters"
                            placeholder="L2611-01"/>
                        {error_for(lang, s, "code")}
                    </div>
                    <div>
                        <label for="quantity">{lang.t("Số lượng (sản phẩm)", "Quantity (units)")}</label>
                        <input id="quantity" name="quantity" inputmode="numeric" maxlength="9" required value=s.value("quantity")/>
                        {error_for(lang, s, "quantity")}
                    </div>
                    <div>
                        <label for="produced_on">{lang.t("Ngày sản xuất", "Production date")}</label>
                        <input type="date" id="produced_on" name="produced_on" required value=s.value("produced_on")/>
                        {error_for(lang, s, "produced_on")}
                    </div>
                    <div>
                        <label for="expires_on">{lang.t("Hạn sử dụng", "Best before")}</label>
                        <input type="date" id="expires_on" name="expires_on" value=s.value("expires_on")/>
                        {error_for(lang, s, "expires_on")}
                    </div>
                    <div class="wide">
                        <label for="location_id">{lang.t("Nhập kho ngay tại", "Receive the units now at")}</label>
                        <select id="location_id" name="location_id">
                            <option value="">{lang.t("Chưa nhập kho", "Not yet")}</option>
                            {places}
                        </select>
                        {error_for(lang, s, "location_id")}
                    </div>
                </div>
                <h3>{lang.t("Nguyên liệu đầu vào (truy xuất một bước trước)", "Inputs (one step back)")}</h3>
                <p class="muted small">{lang.t("Hiện công khai trên trang truy xuất. Chỉ ghi tên người nếu họ đồng ý công khai.", "Shown on the public trace page. Name a person only if they agree to be named.")}</p>
                {input_rows(lang, s)}
                <h3>{lang.t("Kết quả kiểm nghiệm", "Quality tests")}</h3>
                {test_rows(lang, s)}
                <label for="note">{lang.t("Ghi chú nội bộ (không công khai)", "Internal note (not public)")}</label>
                <TextArea id="note" rows=2 maxlength=2000 value=s.value("note")/>
                {other_errors(lang, s, &["variant_id", "code", "quantity", "produced_on", "expires_on", "location_id", "input_0", "input_1", "input_2", "test_0", "test_1"])}
                <button type="submit" class="button primary">{lang.t("Ghi lô", "Record the batch")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn BatchesPage() -> impl IntoView {
    let lang = use_lang();
    let data = crate::once::once(get_batches());
    view! {
        <PageTitle text=lang.t("Lô sản xuất, truy xuất nguồn gốc", "Production batches, traceability")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) => super::portal::sign_in_first(lang),
                    Err(_) => super::server_error(),
                    Ok(Some(d)) => {
                        let s = form_state().for_form("batch");
                        view! {
                            <WsHead title=lang.t("Lô sản xuất", "Production batches")
                                lead=lang.t("Mỗi lô có tem QR GS1 dẫn tới trang truy xuất: nguyên liệu, ngày sản xuất, hạn dùng, kiểm nghiệm.", "Each batch has a GS1 QR label leading to its trace page: inputs, dates, tests.").to_string()>
                                <a class="button primary" href="#record">{lang.t("Ghi lô mới", "Record a batch")}</a>
                                <a class="button" href="/portal/recalls">{lang.t("Thu hồi", "Recalls")}</a>
                            </WsHead>
                            {if d.batches.is_empty() {
                                view! { <EmptyState title=lang.t("Chưa có lô nào.", "No batch yet.")
                                    hint=lang.t("Ghi lô đầu tiên bên dưới, rồi in tem QR để dán lên sản phẩm.", "Record the first one below, then print QR labels for its packages.")/> }.into_any()
                            } else {
                                view! { <div class="table-wrap"><table class="data" id="batches"><thead><tr>
                                    <th>{lang.t("Mã lô", "Batch")}</th><th>{lang.t("Sản phẩm", "Product")}</th>
                                    <th>{lang.t("NSX", "Made")}</th><th>{lang.t("HSD", "Best before")}</th>
                                    <th class="num">{lang.t("Số lượng", "Quantity")}</th><th class="num">{lang.t("Còn trong kho", "In stock")}</th>
                                    </tr></thead><tbody>{rows(lang, &d.batches)}</tbody></table></div> }.into_any()
                            }}
                            {record_form(lang, &s, &d)}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

pub fn inputs_table(lang: Lang, t: &TraceView) -> impl IntoView + use<> {
    let rows = t
        .inputs
        .iter()
        .map(|i| {
            view! {
                <li><strong>{i.material.clone()}</strong><br/>{i.origin.clone()}
                    {i.supplier.clone().map(|s| view! { <br/><span class="muted">{s}</span> })}
                    {i.received_on.map(|d| view! { <br/><span class="muted small">{lang.t("Nhận ngày ", "Received ")}{date_in(lang, d)}</span> })}</li>
            }
        })
        .collect_view();
    view! { <ul class="trace-list" id="inputs">{rows}</ul> }
}

pub fn tests_table(lang: Lang, t: &TraceView) -> impl IntoView + use<> {
    if t.tests.is_empty() {
        return view! { <p class="muted">{lang.t("Chưa ghi kết quả kiểm nghiệm cho lô này.", "No test results recorded for this batch.")}</p> }.into_any();
    }
    let rows = t
        .tests
        .iter()
        .map(|x| {
            let verdict = if x.passed { lang.t("Đạt", "Passed") } else { lang.t("Không đạt", "Failed") };
            view! {
                <tr><td>{x.name.clone()}</td><td>{x.result.clone()}</td>
                    <td>{x.lab.clone().unwrap_or_default()}{x.tested_on.map(|d| format!(" · {}", date_in(lang, d)))}</td>
                    <td><span class=if x.passed { "pill ok" } else { "pill recall-open" }>{verdict}</span></td></tr>
            }
        })
        .collect_view();
    view! { <div class="table-wrap"><table class="data" id="tests"><thead><tr><th>{lang.t("Chỉ tiêu", "Test")}</th><th>{lang.t("Kết quả", "Result")}</th>
        <th>{lang.t("Nơi, ngày", "Where, when")}</th><th>{lang.t("Đánh giá", "Verdict")}</th></tr></thead><tbody>{rows}</tbody></table></div> }.into_any()
}

/// The papers published with a batch: photos shown, PDFs linked.
pub fn documents_list(lang: Lang, t: &TraceView) -> impl IntoView + use<> {
    if t.documents.is_empty() {
        return view! { <p class="muted">{lang.t("Chưa công bố ảnh hay giấy tờ nào.", "No photo or paper published.")}</p> }.into_any();
    }
    let items = t
        .documents
        .iter()
        .map(|d| {
            let href = format!("/trace/{}/documents/{}", t.id, d.id);
            if d.is_photo() {
                let src = href.clone();
                view! { <li><a href=href><img src=src alt=d.title.clone() loading="lazy"/></a><span>{d.title.clone()}</span></li> }.into_any()
            } else {
                view! { <li><a href=href>{format!("📄 {}", d.title)}</a><span class="muted small">"PDF"</span></li> }.into_any()
            }
        })
        .collect_view();
    view! { <ul class="trace-docs">{items}</ul> }.into_any()
}

#[component]
pub fn BatchPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let s = form_state().for_form("recall");
    view! {
        <PageTitle text=lang.t("Lô sản xuất", "Production batch")/>
        {notice(lang)}
        {super::record_page(move || get_batch(id), move |d: BatchData| {
            let t = d.trace.clone();
            let full_link = format!("{}{}", d.base, t.link);
            let trace_href = t.link.clone();
            let labels_href = format!("/portal/batches/{}/labels", t.id);
            let open = t.recall.as_ref().is_some_and(|r| r.status == RecallStatus::Open);
            view! {
                <WsHead title=format!("{} {}", lang.t("Lô", "Batch"), t.code)
                    lead=format!("{} · {}", lang.pick(&t.product_name_vi, &t.product_name_en), lang.pick(&t.size_vi, &t.size_en))>
                    <a class="button primary" href=labels_href>{lang.t("In tem QR", "Print QR labels")}</a>
                    <a class="button" href=trace_href>{lang.t("Trang truy xuất", "Trace page")}</a>
                </WsHead>
                {t.recall.clone().map(|r| view! {
                    <div class="notice warn" role="status"><p><strong>{lang.t(r.status.label().0, r.status.label().1)}</strong>": "{r.reason.clone()}
                        " · "<a href=format!("/portal/recalls/{}", r.id)>{lang.t("Xem phạm vi thu hồi", "See the recall's reach")}</a></p></div>
                })}
                <section class="panel">
                    <dl class="facts">
                        <dt>{lang.t("Ngày sản xuất", "Produced")}</dt><dd>{date_in(lang, t.produced_on)}</dd>
                        <dt>{lang.t("Hạn sử dụng", "Best before")}</dt><dd>{t.expires_on.map(|d| date_in(lang, d)).unwrap_or_else(|| "—".into())}</dd>
                        <dt>{lang.t("Số lượng", "Quantity")}</dt><dd>{number_in(lang, t.quantity)}</dd>
                        <dt>"GTIN"</dt><dd class="mono">{t.gtin.clone()}</dd>
                        <dt>"GS1 Digital Link"</dt><dd class="mono break">{full_link}</dd>
                    </dl>
                </section>
                <section class="panel"><h2>{lang.t("Nguyên liệu đầu vào", "Inputs")}</h2>{inputs_table(lang, &t)}</section>
                <section class="panel"><h2>{lang.t("Kiểm nghiệm", "Quality tests")}</h2>{tests_table(lang, &t)}</section>
                <section class="panel" id="documents">
                    <h2>{lang.t("Ảnh, giấy tờ công bố", "Published photos and papers")}</h2>
                    {documents_list(lang, &t)}
                    <form method="post" action=format!("/portal/batches/{}/documents", t.id) enctype="multipart/form-data" class="checkout-form" id="attach">
                        <input type="hidden" name="csrf" value=d.csrf.clone()/>
                        <div class="form-grid">
                            <div><label for="doc-title">{lang.t("Tên giấy tờ", "Title")}</label>
                                <input id="doc-title" name="title" maxlength="200" required placeholder=lang.t("vd. Phiếu kiểm nghiệm", "e.g. Test report")/></div>
                            <div><label for="doc-file">{lang.t("Tệp PDF hoặc ảnh (tối đa 15 MB)", "PDF or photo (15 MB at most)")}</label>
                                <input type="file" id="doc-file" name="file" accept="application/pdf,image/jpeg,image/png,image/webp" required/></div>
                        </div>
                        {other_errors(lang, &form_state(), &[])}
                        <button type="submit" class="button">{lang.t("Công bố", "Publish")}</button>
                    </form>
                </section>
                {(!open).then(|| view! {
                    <section class="panel" id="recall">
                        <h2>{lang.t("Thu hồi lô này", "Recall this batch")}</h2>
                        <p class="muted">{lang.t("Lô bị chặn bán trực tuyến ngay và trên mọi máy bán hàng ở lần đồng bộ tới; người mua được báo qua email.", "The batch is blocked online at once and on every till at its next sync; its buyers are emailed.")}</p>
                        <form method="post" action=format!("/portal/batches/{}/recall", t.id) class="checkout-form" id="open-recall">
                            <input type="hidden" name="csrf" value=d.csrf.clone()/>
                            <label for="reason">{lang.t("Lý do thu hồi", "Reason for the recall")}</label>
                            <TextArea id="reason" rows=3 maxlength=2000 value=s.value("reason")/>
                            {error_for(lang, &s, "reason")}
                            {other_errors(lang, &s, &["reason"])}
                            <button type="submit" class="button danger">{lang.t("Mở thu hồi", "Open the recall")}</button>
                        </form>
                    </section>
                })}
            }
        })}
    }
}

/// Label stock the sheet is laid out for: (code, name, columns, rows, label width mm, height mm);
/// the stylesheet lays each out (`.sheet-{code}`), as the policy allows no inline styles.
pub const LABEL_SIZES: [(&str, &str, u32, u32, f32, f32); 3] = [
    ("a4-24", "A4 · 24 tem 70×37 mm", 3, 8, 70.0, 37.0),
    ("a4-65", "A4 · 65 tem 38×21 mm", 5, 13, 38.1, 21.2),
    ("roll-50x30", "Cuộn 50×30 mm / roll", 1, 1, 50.0, 30.0),
];

fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(code.render::<qrcode::render::svg::Color>().quiet_zone(true).build())
}

/// The printable sheet: one page of the chosen label stock (or `count` labels), each with the QR,
/// the product, batch and dates, and the link written out for a phone without a camera.
#[component]
pub fn LabelsPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let q = use_query_map().read_untracked();
    let size = q.get("size").filter(|s| LABEL_SIZES.iter().any(|l| l.0 == s)).unwrap_or_else(|| "a4-24".into());
    let count: Option<u32> = q.get("count").and_then(|c| c.parse().ok()).map(|c: u32| c.clamp(1, 500));
    view! {
        <PageTitle text=lang.t("Tem QR truy xuất", "Trace QR labels")/>
        {super::record_page(move || get_batch(id), move |d: BatchData| {
            let t = d.trace.clone();
            let (code, _, cols, rows, _, h) = *LABEL_SIZES.iter().find(|l| l.0 == size).expect("checked");
            let n = count.unwrap_or(cols * rows);
            let url = format!("{}{}", d.base, t.link);
            let svg = qr_svg(&url).unwrap_or_default();
            let small = h < 25.0;
            let heading = format!("{} {} · {}", lang.t("Tem QR lô", "QR labels for batch"), t.code, t.product_name_vi);
            let back = format!("/portal/batches/{}", t.id);
            let label = move || view! {
                <div class="label">
                    // trusted-html: a QR code drawn by the qrcode crate (only rectangles, no text).
                    <div class="label-qr" inner_html=svg.clone()></div>
                    <div class="label-text">
                        <strong>{t.product_name_vi.clone()}</strong>
                        {(!small).then(|| view! { <span>{t.size_vi.clone()}</span> })}
                        <span class="mono">{format!("Lô {}", t.code)}</span>
                        <span>{format!("NSX {}", t.produced_on.format("%d/%m/%Y"))}</span>
                        {t.expires_on.map(|e| view! { <span>{format!("HSD {}", e.format("%d/%m/%Y"))}</span> })}
                        {(!small).then(|| view! { <span class="label-scan">"Quét để truy xuất · Scan to trace"</span> })}
                    </div>
                </div>
            };
            let labels = (0..n).map(|_| label()).collect_view();
            let choices = LABEL_SIZES.iter().map(|l| view! {
                <a class=if l.0 == code { "button primary small" } else { "button small" } href=format!("?size={}", l.0)>{l.1}</a>
            }).collect_view();
            view! {
                <div class="noprint label-tools">
                    <p><a href=back>{lang.t("← Về lô", "← Back to the batch")}</a></p>
                    <h1>{heading}</h1>
                    <p class="muted">{lang.t("Chọn khổ giấy tem, rồi in (Ctrl+P) ở tỉ lệ 100%.", "Choose the label stock, then print (Ctrl+P) at 100% scale.")}</p>
                    <p class="label-sizes">{choices}</p>
                    <p class="mono small break" id="label-link">{url.clone()}</p>
                </div>
                <div class=format!("label-sheet sheet-{code}")>{labels}</div>
            }
        })}
    }
}
