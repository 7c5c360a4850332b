// The producer portal and the OCOP office as workspaces, used as their people use them: a producer
// lands in the portal, changes a price where it is shown, builds a combo with the picker, packs an
// order and prints its slip, reads last quarter's statement; the office reads today's figures, finds
// a certificate, renews it (the public page and the API give the same last valid day), pairs a till
// from the printed sheet and reads the audit log in sentences. Every portal and office page is
// photographed at a desktop and a phone width and checked for anything past the viewport; the printed
// report is checked page by page on the PDF Chromium makes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startServer, startPos, launchBrowser, signIn, fillAddress, overflowing } from './support.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
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

const shot = (page, name) => page.screenshot({ path: `test-results/ws-${name}.png`, fullPage: true });

test('a producer lands in the portal, edits a price in place, builds a combo, packs an order with its slip, reads last quarter', async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, server.base, 'chuthe@ocop.local');
  assert.match(page.url(), /\/portal$/, 'a producer member lands in the portal');
  assert.ok(await page.locator('nav.ws-nav').isVisible(), 'the portal has its own navigation');
  assert.equal(await page.locator('header.top form.search').count(), 0, 'no shopper search bar in the portal');

  // The price of the first size, changed where the product list shows it.
  const row = page.locator('#portal-products tbody tr[id^=size-]').first();
  const sku = (await row.locator('.mono').innerText()).trim();
  await row.locator('input[name=price]').fill('72.000');
  await row.getByRole('button', { name: 'Lưu' }).click();
  await page.waitForURL(/\/portal\?notice=saved#size-\d+$/);
  assert.equal(await page.locator(`#portal-products tr:has-text("${sku}") input[name=price]`).inputValue(), '72.000');
  // The same row takes a count of the online shelf: what can be sold follows it.
  const sized = page.locator(`#portal-products tr:has-text("${sku}")`);
  await sized.locator('form.inline-count input[name=qty]').fill('31');
  await sized.getByRole('button', { name: 'Ghi kiểm kê' }).click();
  await page.waitForURL(/\/portal\?notice=stock#size-\d+$/);
  assert.equal((await page.locator(`#portal-products tr:has-text("${sku}") td.num > span`).innerText()).trim(), '31');
  const productLink = await page.locator('#portal-products .row-actions a', { hasText: 'Xem' }).first().getAttribute('href');
  await page.goto(server.base + productLink);
  assert.match(await page.locator('main').innerText(), /72\.000 ₫/, 'the shop shows the new price');

  // A combo from the picker: search by name, add, add again (two of it), add another, save.
  await page.goto(`${server.base}/portal/combos`);
  await page.locator('#name_vi').fill('Hộp quà rong nho');
  await page.locator('#name_en').fill('Sea grapes gift box');
  await page.locator('#price').fill('150.000');
  await page.locator('#pick').fill('rong nho');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  const picks = page.locator('#picks li');
  assert.ok(await picks.count() >= 2, 'the picker finds the producer\'s sizes by name');
  assert.match(await picks.first().innerText(), /Rong nho/);
  await picks.first().getByRole('button', { name: 'Thêm' }).click();
  assert.equal(await page.locator('#name_vi').inputValue(), 'Hộp quà rong nho', 'what was typed survives the picker');
  // What is in the combo leaves the results: the first result now is another size.
  await page.locator('#picks li').first().getByRole('button', { name: 'Thêm' }).click();
  const parts = page.locator('.parts-table tbody tr');
  assert.equal(await parts.count(), 2, 'two sizes in the combo');
  assert.match(await parts.first().innerText(), /Rong nho/, 'each part shows its product name');
  await shot(page, 'portal-combo-picker-1366');
  // Refused for its missing story: the message beside the field, the chosen parts kept.
  await page.getByRole('button', { name: 'Tạo combo' }).click();
  assert.match(await page.locator('#story_vi-error').innerText(), /câu chuyện|Câu chuyện/i);
  assert.equal(await page.locator('.parts-table tbody tr').count(), 2, 'nothing picked is lost');
  await page.locator('#story_vi').fill('Rong nho Phan Thiết, hái sáng, đóng hộp trong ngày.');
  await page.getByRole('button', { name: 'Tạo combo' }).click();
  await page.waitForURL(/\/portal\/combos\/\d+\?notice=saved$/);
  assert.equal(await page.locator('.parts-table tbody tr').count(), 2, 'the combo was saved with both parts');

  // A shopper orders one of this producer's products, cash on delivery.
  const shop = await browser.newContext({ javaScriptEnabled: false });
  const buyer = await shop.newPage();
  await buyer.goto(server.base + productLink);
  await buyer.locator('form.buy').first().getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await buyer.waitForURL(/\/cart\?notice=added/);
  await buyer.goto(`${server.base}/checkout`);
  await fillAddress(buyer, '0912 345 678', 'Lê Thị Mai');
  await buyer.getByLabel(/Thanh toán khi nhận hàng/).check();
  await buyer.getByRole('button', { name: 'Đặt hàng' }).click();
  await buyer.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=/);
  const number = (await buyer.locator('#order-number').innerText()).trim();
  await shop.close();

  // The order waits in the portal: the navigation counts it; the slip prints it with a barcode.
  await page.goto(`${server.base}/portal/orders`);
  assert.match(await page.locator('nav.ws-nav a[href="/portal/orders"]').innerText(), /Đơn hàng\s*1/);
  const card = page.locator(`#f-${number}`);
  assert.match(await card.innerText(), /Lê Thị Mai/);
  await card.getByRole('link', { name: 'In phiếu đóng gói' }).click();
  await page.waitForURL(new RegExp(`/portal/orders/${number}/slip$`));
  assert.equal((await page.locator('#packing-slip h1').innerText()).trim(), number);
  assert.equal(await page.locator('#packing-slip svg.barcode').getAttribute('aria-label'), number, 'the order number as a barcode');
  assert.ok(await page.locator('#packing-slip svg.barcode rect').count() > 30, 'with its bars');
  assert.match(await page.locator('#packing-slip').innerText(), /Lê Thị Mai[\s\S]*0912/);
  await shot(page, 'portal-slip-1366');
  await page.goto(`${server.base}/portal/orders`);
  await page.locator(`#f-${number}`).getByRole('button', { name: 'Đã đóng gói' }).click();
  await page.waitForURL(/notice=packed/);
  assert.match(await page.locator(`#f-${number} .pill`).innerText(), /Đã đóng gói/);

  // Last quarter's statement, from the period picker.
  await page.goto(`${server.base}/portal/sales`);
  const choices = await page.locator('#period option').allInnerTexts();
  assert.ok(choices.includes('Quý 3 năm 2026') && choices.includes('Tháng 11/2026'), `months and quarters offered: ${choices}`);
  await page.locator('#period').selectOption('2026-Q3');
  await page.locator('#period-form').getByRole('button', { name: 'Xem' }).click();
  await page.waitForURL(/period=2026-Q3/);
  assert.match(await page.locator('#statement-heading').innerText(), /quý 3 năm 2026/);
  await ctx.close();
});

test('the office reads today, renews a certificate to the same last valid day everywhere, pairs a till from the sheet, reads the audit', async () => {
  const ctx = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, server.base, 'vanphong@ocop.local');
  assert.match(page.url(), /\/office$/, 'office staff land in the office');
  const participation = (await page.locator('#kpi-participation .kpi-value').innerText()).trim();
  assert.match(participation, /^\d+,\d%$/, `a Vietnamese percentage, got ${participation}`);
  assert.match(await page.locator('#kpi-expiring').innerText(), /\d+\s+giấy chứng nhận hết hiệu lực trong 90 ngày/);

  // Find a 4-star certificate and renew it: the form starts from its stars, not 3.
  await page.goto(`${server.base}/office/certificates?q=BTH-2021-003`);
  const rows = page.locator('#certificates tbody tr');
  assert.equal(await rows.count(), 1, 'search finds the one certificate');
  assert.match(await rows.first().innerText(), /★★★★/);
  await rows.first().getByRole('link', { name: 'Cấp lại' }).click();
  assert.equal(await page.locator('#kind').inputValue(), 'renewal');
  assert.equal(await page.locator('#stars').inputValue(), '4', 'renewal prefilled with the current stars');
  await page.locator('#number').fill('QĐ-E2E-RENEW-01');
  await page.locator('#decided_on').fill('2026-11-20');
  await page.getByRole('button', { name: 'Ghi', exact: true }).click();
  await page.waitForURL(/notice=recorded/);
  await page.goto(`${server.base}/office/certificates?q=QĐ-E2E-RENEW-01`);
  assert.match(await page.locator('#certificates tbody tr').innerText(), /20\/11\/2029/);
  const verify = await (await browser.newContext()).newPage();
  await verify.goto(`${server.base}/verify/${encodeURIComponent('QĐ-E2E-RENEW-01')}`);
  assert.match(await verify.locator('main').innerText(), /Hiệu lực đến hết ngày\s+20\/11\/2029/, 'the public page states the same day');
  const api = await (await fetch(`${server.base}/api/v1/certificates/${encodeURIComponent('QĐ-E2E-RENEW-01')}`)).json();
  assert.equal(api.last_valid_day, '2029-11-20', 'and so does the API, named as the last valid day');
  assert.equal(api.valid_until, undefined, 'the old, misreadable field is gone');

  // Revoking asks first and says what will change.
  await page.goto(`${server.base}/office/certificates?q=QĐ-E2E-RENEW-01`);
  await page.locator('#certificates').getByRole('link', { name: 'Thu hồi…' }).click();
  assert.match(await page.locator('#revoke-changes').innerText(), /mất huy hiệu 4★/);
  await shot(page, 'office-revoke-1366');

  // A till paired from the printed sheet: the address and the code read off it.
  await page.goto(`${server.base}/office/showrooms`);
  await page.locator('#sr-code').fill('SR-WS');
  await page.locator('#sr-name').fill('Điểm bán Mũi Né');
  await page.locator('#new-showroom').getByRole('button', { name: 'Thêm điểm bán' }).click();
  await page.waitForURL(/notice=saved/);
  await page.locator('#showroom-SR-WS input[name=name]').fill('Quầy 1');
  await page.locator('#showroom-SR-WS').getByRole('button', { name: 'Thêm máy và lấy mã ghép' }).click();
  const code = (await page.locator('#pairing-code').innerText()).trim();
  const url = (await page.locator('#pairing-url').innerText()).trim();
  assert.match(code, /^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
  assert.equal(url, server.base, 'the sheet gives the address the till must type');
  const fontSize = await page.locator('#pairing-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(fontSize >= 32, `the code is large (${fontSize}px)`);
  await shot(page, 'office-pairing-sheet-1366');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.ws-nav').isVisible(), false, 'printing leaves the navigation out');
  assert.equal(await page.locator('#new-showroom').isVisible(), false, 'and everything but the sheet');
  assert.ok(await page.locator('#pairing-sheet').isVisible());
  await page.emulateMedia({ media: 'screen' });
  const pos = await startPos('http://127.0.0.1:9');
  try {
    const tillCtx = await browser.newContext({ javaScriptEnabled: false });
    const till = await tillCtx.newPage();
    await till.goto(pos.base);
    await till.waitForURL(/\/setup$/);
    await till.locator('input[name=server_url]').fill(url);
    await till.locator('input[name=manager_name]').fill('Nguyễn Thị Hoà');
    await till.locator('input[name=manager_pin]').fill('2468');
    await till.locator('input[name=code]').fill(code);
    await till.getByRole('button', { name: 'Ghép máy / Pair' }).click();
    await till.waitForURL(/\/signin$/);
    await tillCtx.close();
  } finally {
    await pos.stop();
  }
  await page.goto(`${server.base}/office/showrooms`);
  assert.match(await page.locator('#showroom-SR-WS').innerText(), /Đã ghép/);

  // The audit log reads as sentences, with what changed.
  await page.goto(`${server.base}/office/audit`);
  const log = await page.locator('#audit').innerText();
  assert.match(log, /Văn phòng OCOP mẫu thêm máy bán hàng cho điểm bán SR-WS “Quầy 1”/);
  assert.match(log, /Văn phòng OCOP mẫu ghi cấp lại giấy chứng nhận QĐ-E2E-RENEW-01/);
  assert.ok(!/add_device|"device"/.test(log), 'no raw codes or JSON');
  await shot(page, 'office-audit-1366');
  await ctx.close();
});

test('the printed report: A4 pages, none blank, the agency\'s header on each, a signature block', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, server.base, 'vanphong@ocop.local');
  await page.goto(`${server.base}/office/report?period=2026-H2`);
  assert.match(await page.locator('#report-agency').innerText(), /VĂN PHÒNG ĐIỀU PHỐI|Văn phòng Điều phối/i);
  assert.match(await page.locator('#report-made').innerText(), /Lâm Đồng, ngày 28 tháng 11 năm 2026/);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync('test-results/report.pdf', pdf);
  const info = execFileSync('pdfinfo', ['test-results/report.pdf']).toString();
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert.ok(pages >= 1 && pages <= 4, `a short report, ${pages} pages`);
  for (let i = 1; i <= pages; i++) {
    const text = execFileSync('pdftotext', ['-layout', '-f', String(i), '-l', String(i), 'test-results/report.pdf', '-']).toString();
    const words = text.split(/\s+/).filter(Boolean).length;
    assert.ok(words > 40, `page ${i} of ${pages} is not blank (${words} words)`);
    assert.match(text, /Văn phòng Điều phối Chương trình OCOP tỉnh Lâm Đồng/, `page ${i} carries the agency's header`);
  }
  const last = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), 'test-results/report.pdf', '-']).toString();
  assert.match(last, /THỦ TRƯỞNG ĐƠN VỊ/, 'the signature block ends the report');
  await ctx.close();
});

const PORTAL_PAGES = ['/portal', '/portal/orders', '/portal/products/new', '/portal/import', '/portal/combos', '/portal/sales', '/portal/channels'];
const OFFICE_PAGES = ['/office', '/office/certificates', '/office/producers', '/office/users', '/office/showrooms',
  '/office/audit', '/office/dashboard', '/office/channels', '/office/report', '/office/orders', '/office/withholding'];

for (const [who, login, paths] of [['portal', 'chuthe@ocop.local', PORTAL_PAGES], ['office', 'vanphong@ocop.local', OFFICE_PAGES]]) {
  test(`every ${who} page fits a desktop and a phone, with its navigation and no empty table left unexplained`, async () => {
    const problems = [];
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await browser.newContext({ viewport, javaScriptEnabled: false });
      const page = await ctx.newPage();
      await signIn(page, server.base, login);
      for (const path of paths) {
        const where = `${path} at ${viewport.width}px`;
        const res = await page.goto(server.base + path);
        if (res.status() !== 200) problems.push(`${where}: status ${res.status()}`);
        for (const o of await page.evaluate(overflowing)) problems.push(`${where}: ${o}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (scroll > 0) problems.push(`${where}: the page scrolls sideways by ${scroll}px`);
        const nav = viewport.width > 900 ? 'nav.ws-nav' : 'label.ws-menu';
        if (!await page.locator(nav).isVisible()) problems.push(`${where}: no ${nav}`);
        const headless = await page.locator('table').evaluateAll((ts) => ts.filter((t) => t.offsetParent !== null && t.tBodies.length && [...t.tBodies].every((b) => b.rows.length === 0)).length);
        if (headless) problems.push(`${where}: ${headless} table(s) with headers and no rows`);
        const name = `${who}${path.replace(/\//g, '-')}-${viewport.width}x${viewport.height}`;
        await page.screenshot({ path: `test-results/ws-${name}.png`, fullPage: true });
      }
      await ctx.close();
    }
    assert.deepEqual(problems, []);
  });
}

test('on a phone the workspace navigation opens from its menu button without JavaScript', async () => {
  const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, server.base, 'vanphong@ocop.local');
  assert.equal(await page.locator('nav.ws-nav').isVisible(), false, 'folded at first');
  await page.locator('label.ws-menu').click();
  assert.ok(await page.locator('nav.ws-nav').isVisible(), 'open after a tap');
  await page.locator('nav.ws-nav').getByRole('link', { name: 'Giấy chứng nhận' }).click();
  await page.waitForURL(/\/office\/certificates$/);
  await ctx.close();
});
