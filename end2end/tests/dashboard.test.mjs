// The programme dashboard and a producer's settlement statement, end to end: a shopper orders
// online, two showroom tills send a sale each, then the OCOP office opens the dashboard and sees the
// participation figure move, the charts and the printable report; the demo producer member opens its
// own statement and downloads it. JavaScript is off in every browser. The tills are played by Node
// (pairing and pushing sales through the sync API, as shop-pos does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startServer, launchBrowser, signIn } from './support.mjs';

// Online orders are dated by the machine's clock (OCOP_TODAY only moves certificates' "today"), so
// the period is the half-year the clock is in (Vietnam time), and the showroom sales are made now.
const VN_NOW = new Date(Date.now() + 7 * 3600_000);
const YEAR = VN_NOW.getUTCFullYear();
const SECOND_HALF = VN_NOW.getUTCMonth() >= 6;
const PERIOD = `${YEAR}-${SECOND_HALF ? 'H2' : 'H1'}`;
const SOLD_AT = new Date().toISOString();
const TIMEOUT = 20_000;

// The demo member (chuthe@ocop.local) belongs to this producer; its two products.
const MEMBER_PRODUCER = 'Công ty TNHH Hải Nam Okinawa';
const FRESH_SEAWEED = { slug: 'rong-nho-tuoi', barcode: '2000000000114' }; // 95.000 ₫
const SALTED_SEAWEED = { slug: 'rong-nho-muoi', barcode: '2000000000213' }; // 65.000 ₫
// Two OCOP producers of the seeded catalogue (3★, certified 2024) and one product of each.
const SAUCE = { producer: 'Hộ kinh doanh Thúy Hiền', slug: 'nuoc-cham-than-thanh-thuy-hien' };
const RICE_PAPER = { producer: 'Hộ kinh doanh bánh tráng Đỗ Gia', slug: 'banh-trang-do-gia' };

const SR_A = { code: 'SR-E2E-A', name: 'Điểm bán Mũi Né (thử)' };
const SR_B = { code: 'SR-E2E-B', name: 'Điểm bán Tà Cú (thử)' };

let server, browser;

before(async () => {
  mkdirSync('test-results', { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** "255.000 ₫", as the pages write money. */
const vnd = (n) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
const parseVnd = (s) => Number(s.replace(/[^\d]/g, ''));

/** The product page's price and barcode of its first size. */
async function productFacts(page, slug) {
  await page.goto(`${server.base}/products/${slug}`);
  // Sizes are chips; barcodes are listed under "Mã vạch từng quy cách" (closed: read as text).
  return {
    price: parseVnd(await page.locator('.size-chip .price').first().innerText()),
    barcode: (await page.locator('.more-info li .mono').first().textContent()).trim(),
  };
}

async function addToCart(page, slug, qty) {
  await page.goto(`${server.base}/products/${slug}`);
  const form = page.locator('form.buy').first();
  await form.getByLabel('Số lượng').fill(String(qty));
  await form.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await page.waitForURL(/\/cart\?notice=added/);
}

/** What the dashboard shows for the period. */
async function readDashboard(page) {
  const res = await page.goto(`${server.base}/office/dashboard?period=${PERIOD}`);
  assert.equal(res.status(), 200, 'the office opens the dashboard');
  const count = (await page.locator('#participation-count').innerText()).trim();
  const m = /^(\d+) \/ (\d+) chủ thể OCOP/.exec(count);
  assert.ok(m, `#participation-count reads "N / M chủ thể OCOP …", got "${count}"`);
  const notYet = (await page.locator('#not-yet li').allInnerTexts()).map((t) => t.split(' · ')[0].trim());
  return {
    selling: Number(m[1]),
    producers: Number(m[2]),
    percent: (await page.locator('#participation-percent').innerText()).trim(),
    notYet,
    participationChart: await page.locator('#chart-participation svg').innerHTML(),
    showroomsSelling: Number((await page.locator('#target-showrooms td').nth(1).innerText()).trim()),
  };
}

/** A table's body rows as arrays of cell texts. */
async function rows(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
}

/** The office adds a showroom and a device on /office/showrooms and reads the pairing code. */
async function addShowroomWithDevice(office, sr) {
  await office.goto(`${server.base}/office/showrooms`);
  await office.locator('#sr-code').fill(sr.code);
  await office.locator('#sr-name').fill(sr.name);
  await office.locator('#new-showroom').getByRole('button', { name: 'Thêm điểm bán' }).click();
  await office.waitForURL(/\/office\/showrooms\?notice=saved$/);
  const block = office.locator(`#showroom-${sr.code}`);
  assert.equal(await block.count(), 1, `the new showroom is listed as #showroom-${sr.code}`);
  await block.locator('input[name=name]').fill('Quầy 1');
  await block.getByRole('button', { name: 'Thêm máy và lấy mã ghép' }).click();
  await office.waitForURL(/\/office\/showrooms\/\d+\/devices$/);
  const code = (await office.locator('#pairing-code').innerText()).trim();
  assert.match(code, /^\S{5,}/, `a pairing code is shown for ${sr.code}, got "${code}"`);
  return code;
}

/** What a till does with a pairing code: exchanges it for a device token. */
async function pair(code, sr) {
  const res = await fetch(`${server.base}/sync/v1/pair`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
    signal: AbortSignal.timeout(TIMEOUT),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `pairing ${sr.code}: ${JSON.stringify(body)}`);
  assert.equal(body.showroom_code, sr.code, 'the device is paired to the showroom it was added to');
  return body.token;
}

async function catalog(token) {
  const res = await fetch(`${server.base}/sync/v1/catalog`, {
    headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT),
  });
  assert.equal(res.status, 200, 'a paired device pulls the catalogue');
  return (await res.json()).items;
}

/** A till's cash sale of `qty` units of the item with `barcode`, pushed as shop-pos pushes it. */
async function pushSale(token, sr, receiptNo, items, barcode, qty) {
  const item = items.find((i) => i.barcode === barcode);
  assert.ok(item, `the device's catalogue has barcode ${barcode}`);
  const total = item.price_vnd * qty;
  const sale = {
    id: randomUUID(), kind: 'sale', receipt_no: receiptNo, shift_id: randomUUID(), sold_at: SOLD_AT,
    lines: [{ id: randomUUID(), sku: item.sku, qty, unit_price: item.price_vnd, line_total: total }],
    discount: 0, total,
    payments: [{ id: randomUUID(), method: 'cash', amount: total, confirmed: true }],
  };
  const res = await fetch(`${server.base}/sync/v1/sales`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ showroom_code: sr.code, sales: [sale] }),
    signal: AbortSignal.timeout(TIMEOUT),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `pushing a sale at ${sr.code}: ${JSON.stringify(body)}`);
  assert.equal(body.results?.[0]?.outcome, 'accepted', `the sale at ${sr.code} is accepted: ${JSON.stringify(body)}`);
  return total;
}

/** Expected statement row: units, sales, refunds, net, commission 10%, amount due. */
function amounts(units, sales) {
  const commission = Math.round(sales * 0.1);
  return { units, sales, refunds: 0, net: sales, commission, due: sales - commission };
}

function assertRow(cells, label, a, what) {
  assert.deepEqual(cells, [label, String(a.units), vnd(a.sales), vnd(a.refunds), vnd(a.net), vnd(a.commission), vnd(a.due)],
    `${what} reads ${label} · ${a.units} · ${vnd(a.sales)} · … · ${vnd(a.due)}`);
}

test('after online orders and sales at two showrooms the office sees participation move and a producer sees its statement', async (t) => {
  const started = Date.now();
  const mark = (what) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // 1. The office's dashboard before any sale.
  const officeCtx = await browser.newContext({ javaScriptEnabled: false });
  const office = await officeCtx.newPage();
  await signIn(office, server.base, 'vanphong@ocop.local');
  const was = await readDashboard(office);
  assert.ok(was.producers > 0, 'the seeded catalogue has OCOP producers in the period');
  for (const p of [SAUCE.producer, RICE_PAPER.producer]) {
    assert.ok(was.notYet.includes(p), `${p} is on the "not yet selling" list before: ${was.notYet.join('; ')}`);
  }
  // Only OCOP producers with a certificate valid in the period count (the member's has none then).
  const memberCounts = was.notYet.includes(MEMBER_PRODUCER);
  mark('dashboard before');

  // 2. A shopper orders online, cash on delivery: two boxes of the member's fresh sea grapes and a
  // bottle of Thúy Hiền's dipping sauce.
  const shopperCtx = await browser.newContext({ javaScriptEnabled: false });
  const shop = await shopperCtx.newPage();
  const seaweed = await productFacts(shop, FRESH_SEAWEED.slug);
  const salted = await productFacts(shop, SALTED_SEAWEED.slug);
  const ricePaper = await productFacts(shop, RICE_PAPER.slug);
  assert.equal(seaweed.barcode, FRESH_SEAWEED.barcode);
  assert.equal(salted.barcode, SALTED_SEAWEED.barcode);
  await addToCart(shop, FRESH_SEAWEED.slug, 2);
  await addToCart(shop, SAUCE.slug, 1);
  const cart = await shop.locator('.cart-lines').innerText();
  assert.match(cart, /Rong nho tươi/);
  assert.match(cart, /Nước chấm thần thánh/);
  await shop.getByRole('link', { name: 'Tiến hành đặt hàng' }).click();
  await shop.waitForURL(/\/checkout$/);
  await shop.getByLabel('Họ và tên').fill('Trần Văn Bình');
  await shop.getByLabel('Số điện thoại').fill('0912 345 678');
  await shop.getByLabel('Tỉnh/thành phố').selectOption('lam-dong');
  await shop.getByLabel('Xã/phường').fill('Phường Phú Thủy');
  await shop.getByLabel('Số nhà, đường, thôn/ấp').fill('25 Nguyễn Tất Thành');
  await shop.getByLabel(/Thanh toán khi nhận hàng/).check();
  await shop.getByRole('button', { name: 'Đặt hàng' }).click();
  await shop.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=/);
  assert.equal(await shop.locator('#order-status').innerText(), 'Đã xác nhận');
  await shopperCtx.close();
  mark('online order placed');

  // 3. The office adds two showrooms with a till each; the tills pair and send one sale each: the
  // member's salted sea grapes at A, Đỗ Gia's rice paper at B.
  const codeA = await addShowroomWithDevice(office, SR_A);
  const codeB = await addShowroomWithDevice(office, SR_B);
  const tokenA = await pair(codeA, SR_A);
  const tokenB = await pair(codeB, SR_B);
  const items = await catalog(tokenA);
  const saleA = await pushSale(tokenA, SR_A, 'MN1-000001', items, SALTED_SEAWEED.barcode, 1);
  const saleB = await pushSale(tokenB, SR_B, 'TC1-000001', items, ricePaper.barcode, 2);
  assert.equal(saleA, salted.price, 'the till sells at the marketplace price');
  mark('showroom sales pushed');

  // 4. The dashboard now: the producers that sold and were not selling before are counted.
  const newlySelling = [MEMBER_PRODUCER, SAUCE.producer, RICE_PAPER.producer].filter((p) => was.notYet.includes(p));
  const now = await readDashboard(office);
  assert.equal(now.producers, was.producers, 'the number of OCOP producers in the period is unchanged');
  assert.equal(now.selling, was.selling + newlySelling.length,
    `the selling count rose by ${newlySelling.length} (${newlySelling.join(', ')}): ${was.selling} → ${now.selling}`);
  // Written as Vietnamese writes it: a decimal comma.
  const percent = `${((100 * now.selling) / now.producers).toFixed(1).replace('.', ',')}%`;
  assert.equal(now.percent, percent, 'the headline percentage follows the count');
  assert.notEqual(now.percent, was.percent, 'the headline percentage moved');
  for (const p of newlySelling) assert.ok(!now.notYet.includes(p), `${p} left the "not yet selling" list`);
  assert.equal(now.notYet.length, was.notYet.length - newlySelling.length, 'nobody else left the list');
  assert.notEqual(now.participationChart, was.participationChart, 'the participation chart was redrawn with the new figure');
  assert.equal(now.showroomsSelling, was.showroomsSelling + 2, 'the plan\'s "showrooms selling in the period" counts both new showrooms');

  // By channel: the online store and showroom B each brought one OCOP producer.
  const byChannel = await rows(office, '#by-channel');
  const channel = (label) => byChannel.find((r) => r[0] === label);
  assert.equal(channel('Cửa hàng trực tuyến')?.[2], String(memberCounts ? 2 : 1),
    `the online store row counts its selling OCOP producers: ${JSON.stringify(byChannel)}`);
  assert.equal(channel(`Điểm bán ${SR_B.code}`)?.[2], '1', `showroom B's row counts Đỗ Gia: ${JSON.stringify(byChannel)}`);

  // Sales per showroom: both, one sale each, with its value.
  const showrooms = await rows(office, '#showroom-sales');
  assert.deepEqual(showrooms.find((r) => r[0] === `${SR_A.name} · ${SR_A.code}`), [`${SR_A.name} · ${SR_A.code}`, '1', vnd(saleA)],
    `#showroom-sales has showroom A: ${JSON.stringify(showrooms)}`);
  assert.deepEqual(showrooms.find((r) => r[0] === `${SR_B.name} · ${SR_B.code}`), [`${SR_B.name} · ${SR_B.code}`, '1', vnd(saleB)],
    `#showroom-sales has showroom B: ${JSON.stringify(showrooms)}`);

  // The charts are drawn on the server, as SVG, and shown without JavaScript.
  for (const id of ['chart-participation', 'chart-by-kind', 'chart-by-stars', 'chart-showroom-sales']) {
    const svg = office.locator(`figure.chart#${id} svg`);
    assert.equal(await svg.count(), 1, `#${id} holds an SVG chart`);
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `#${id} is drawn at a readable size: ${JSON.stringify(box)}`);
  }
  assert.match(await office.locator('#chart-showroom-sales svg').textContent(), new RegExp(SR_B.code),
    'the showroom chart names the showrooms');
  await office.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
  mark('dashboard after');

  // 5. The printable report says the same.
  await office.locator('#report-page').click();
  await office.waitForURL(new RegExp(`/office/report\\?period=${PERIOD}$`));
  assert.match(await office.locator('#report-title-vi').innerText(), new RegExp(`6 tháng ${SECOND_HALF ? 'cuối' : 'đầu'} năm ${YEAR}`));
  assert.match(await office.locator('#report-title-en').innerText(), new RegExp(`${SECOND_HALF ? 'second' : 'first'} half of ${YEAR}`));
  assert.match(await office.locator('#report-summary-vi').innerText(),
    new RegExp(`^${now.selling} trên ${now.producers} chủ thể OCOP \\(${now.percent}\\)`));
  // The English sentence writes its decimal point the English way.
  assert.match(await office.locator('#report-summary-en').innerText(),
    new RegExp(`^${now.selling} of ${now.producers} OCOP producers \\(${now.percent.replace(',', '\\.')}\\)`));
  await office.screenshot({ path: 'test-results/report.png', fullPage: true });

  // 6. The member's statement, worked out by hand: online two boxes of fresh sea grapes, at
  // showroom A one pack of salted; commission 10%, the rest due. Nothing from showroom B.
  const online = amounts(2, 2 * seaweed.price);
  const atA = amounts(1, saleA);
  const total = amounts(3, online.sales + atA.sales);

  const memberCtx = await browser.newContext({ javaScriptEnabled: false });
  const member = await memberCtx.newPage();
  await signIn(member, server.base, 'chuthe@ocop.local');
  await member.goto(`${server.base}/portal`);
  assert.match(await member.locator('main').innerText(), new RegExp(MEMBER_PRODUCER));
  await member.locator('nav.ws-nav a[href="/portal/sales"]').click();
  await member.waitForURL(/\/portal\/sales/);
  await member.locator('#period').selectOption(PERIOD);
  await member.locator('#period-form').getByRole('button', { name: 'Xem' }).click();
  await member.waitForURL(new RegExp(`/portal/sales\\?period=${PERIOD}$`));
  assert.match(await member.locator('#statement-heading').innerText(), new RegExp(MEMBER_PRODUCER));
  const statement = await rows(member, '#statement');
  assert.equal(statement.length, 2, `one row per channel that sold its goods: ${JSON.stringify(statement)}`);
  assertRow(statement.find((r) => r[0] === 'Cửa hàng trực tuyến'), 'Cửa hàng trực tuyến', online, 'the online row');
  assertRow(statement.find((r) => r[0] === `Điểm bán ${SR_A.code}`), `Điểm bán ${SR_A.code}`, atA, `the ${SR_A.code} row`);
  const totalRow = await member.locator('#statement-total td').allInnerTexts();
  assertRow(totalRow.map((s) => s.trim()), 'Tổng cộng', total, 'the total row');
  assert.equal((await member.locator('#statement-total strong').innerText()).trim(), vnd(total.due), 'the amount due stands out');
  await member.screenshot({ path: 'test-results/statement.png', fullPage: true });

  // The CSV the member downloads has the same figures, whole đồng without separators.
  const [download] = await Promise.all([member.waitForEvent('download'), member.locator('#statement-csv').click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.at(-1), `Tổng cộng / Total,${total.units},${total.sales},0,${total.net},${total.commission},${total.due}`,
    `the CSV's total line:\n${csv}`);
  assert.ok(lines.includes(`Cửa hàng trực tuyến / Online store,${online.units},${online.sales},0,${online.net},${online.commission},${online.due}`),
    `the CSV's online line:\n${csv}`);
  assert.ok(lines.includes(`Điểm bán ${SR_A.code} / Showroom ${SR_A.code},${atA.units},${atA.sales},0,${atA.net},${atA.commission},${atA.due}`),
    `the CSV's showroom line:\n${csv}`);
  mark('member statement');

  // 7. The office sees the same statement for this producer; the member cannot see the office's pages.
  await office.goto(`${server.base}/office/producers`);
  await office.locator('tr', { hasText: MEMBER_PRODUCER }).getByRole('link', { name: 'Đối soát' }).click();
  await office.waitForURL(/\/office\/producers\/\d+\/statement$/);
  const officeStatementUrl = office.url();
  await office.goto(`${officeStatementUrl}?period=${PERIOD}`);
  assert.equal((await office.locator('#statement-total strong').innerText()).trim(), vnd(total.due),
    'the office sees the amount due to the producer');

  const forbidden = await member.goto(`${server.base}/office/dashboard?period=${PERIOD}`);
  assert.equal(forbidden.status(), 403, 'a producer member gets 403 at the office dashboard');
  assert.equal(await member.locator('#participation-count').count(), 0, 'and sees no figures');
  const other = await member.goto(officeStatementUrl);
  assert.equal(other.status(), 403, "a producer member gets 403 at the office's statement page");
  assert.equal(await member.locator('#statement').count(), 0, 'and sees no statement there');
  mark('done');

  await memberCtx.close();
  await officeCtx.close();
});
