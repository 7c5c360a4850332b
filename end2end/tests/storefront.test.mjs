import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launchBrowser } from './support.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a shopper searches "nuoc mam" without diacritics, opens a product and sees its certificate status', async () => {
  // JavaScript off: every step must work as plain links and forms.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.base + '/');
  assert.match(await page.title(), /OCOP/);
  await assert.doesNotReject(page.getByRole('heading', { name: /Sản phẩm nổi bật/ }).waitFor());

  await page.getByRole('searchbox', { name: 'Tìm sản phẩm' }).first().fill('nuoc mam');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await page.waitForURL(/\/products\?q=nuoc\+mam/);
  const names = await page.locator('.card h3').allInnerTexts();
  assert.ok(names.length >= 5, `results: ${names}`);
  assert.ok(names.slice(0, 5).every((n) => /mắm/i.test(n)), `top results are fish sauce: ${names}`);

  await page.getByRole('link', { name: 'Nước mắm Cá Đen' }).click();
  await page.waitForURL(/\/products\/nuoc-mam-ca-den$/);
  const panel = page.locator('.cert-panel');
  await panel.waitFor();
  const text = await panel.innerText();
  assert.match(text, /Giấy chứng nhận OCOP/);
  assert.match(text, /Chưa rõ ngày công nhận|Còn hiệu lực|Hết hiệu lực|Sắp hết hiệu lực|Cần xác minh/);
  assert.match(await page.locator('.variants').innerText(), /95\.000 ₫/);
  await page.screenshot({ path: 'test-results/product.png', fullPage: true });
  await context.close();
});

test('an expired certificate shows no star badge, and the QR code opens the certificate check', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.base + '/products/rong-nho-tuoi');
  assert.match(await page.locator('.cert-panel .status').innerText(), /Hết hiệu lực/);
  assert.equal(await page.locator('.summary .badge.ok').count(), 0);
  const href = await page.locator('.cert-panel dd a').first().getAttribute('href');
  await page.goto(server.base + href);
  assert.match(await page.locator('h1').innerText(), /Kiểm tra giấy chứng nhận OCOP/);
  assert.match(await page.locator('.cert-panel').innerText(), /Hết hiệu lực/);
  await context.close();
});

test('filters and the English switch persist across pages; the layout fits a phone', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(server.base + '/products');
  // On a phone the links fold behind the menu button and the filters behind theirs (no JavaScript).
  await page.locator('label.menu-btn').click();
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\/products$/);
  assert.match(await page.locator('h1').innerText(), /All OCOP products/);

  await page.locator('label.filter-btn').click();
  await page.selectOption('select[name=group]', 'food');
  await page.check('input[name=valid]');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/group=food/);
  assert.ok(page.url().includes('valid=1'));
  const badges = await page.locator('.card .badge').allInnerTexts();
  assert.ok(badges.length > 0 && badges.every((b) => /OCOP/.test(b)), `valid badges only: ${badges}`);
  assert.equal(await page.locator('.card .badge.off').count(), 0, 'no lapsed badge among valid-only results');

  await page.locator('.card h3 a').first().click();
  assert.match(await page.locator('.cert-panel h2').innerText(), /OCOP certificate/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: 'test-results/phone-product.png', fullPage: true });
  await context.close();
});

test('unknown product pages show the bilingual 404', async () => {
  const page = await browser.newPage();
  const res = await page.goto(server.base + '/products/khong-co-that');
  assert.equal(res.status(), 404);
  assert.match(await page.locator('main').innerText(), /Không tìm thấy trang[\s\S]*Page not found/);
  await page.close();
});
