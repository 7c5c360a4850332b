import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, signIn } from './support.mjs';

const PHOTO = fileURLToPath(new URL('../fixtures/muc-mot-nang.png', import.meta.url));
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

test('a producer lists a product with two sizes, a photo and stock; the office certifies it, then revokes it', async () => {
  const producer = await browser.newContext({ javaScriptEnabled: false });
  const page = await producer.newPage();
  await signIn(page, server.base, 'chuthe@ocop.local');
  assert.match(page.url(), /\/portal$/, 'a producer member lands in the portal');
  await page.locator('.ws-head').getByRole('link', { name: 'Thêm sản phẩm' }).click();
  await page.waitForURL(/\/portal\/products\/new$/);

  await page.getByLabel('Tên tiếng Việt').fill('Mực một nắng Phan Thiết');
  await page.getByLabel('Tên tiếng Anh').fill('Sun-dried squid, Phan Thiết');
  await page.getByLabel(/^Loại/).fill('Mực khô');
  await page.getByLabel('SKU').fill('MMN-300');
  await page.getByLabel('Quy cách (tiếng Việt)').fill('Khay 300 g');
  await page.getByLabel('Giá (đồng)').fill('210.000');
  await page.getByRole('button', { name: 'Tạo sản phẩm' }).click();
  await page.waitForURL(/\/portal\/products\/\d+\?notice=created$/);
  const editor = page.url().split('?')[0];

  // A second size, from the "add a size" form (a <details>, opened without JavaScript).
  await page.locator('#new-variant').locator('..').locator('summary').click();
  await page.locator('#new-sku').fill('MMN-1K');
  await page.locator('#new-size_vi').fill('Túi 1 kg');
  await page.locator('#new-price').fill('650000');
  await page.getByRole('button', { name: 'Thêm quy cách' }).click();
  await page.waitForURL(/notice=saved/);

  // A photo and stock for the first size.
  await page.getByLabel('Ảnh sản phẩm').setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Tải ảnh lên' }).click();
  await page.waitForURL(/notice=photo/);
  // Photos are made in the background: reload, as the page suggests, until it is there.
  for (let i = 0; i < 50 && !/^1 ảnh/.test(await page.locator('#photo-count').innerText()); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
  }
  assert.match(await page.locator('#photo-count').innerText(), /^1 ảnh/);
  const first = page.locator('#variant-MMN-300');
  await first.locator('select[name=reason]').selectOption('received');
  await first.locator('input[name=qty]').fill('25');
  await first.getByRole('button', { name: 'Ghi tồn kho' }).click();
  await page.waitForURL(/notice=stock/);
  assert.match(await page.locator('#variant-MMN-300 table.stock').innerText(), /25/);
  await page.screenshot({ path: 'test-results/portal-product.png', fullPage: true });

  // Shoppers find it at once, without diacritics, with both sizes and the photo.
  const shopper = await browser.newContext({ javaScriptEnabled: false });
  const shop = await shopper.newPage();
  await shop.goto(`${server.base}/products?q=muc+mot+nang`);
  await shop.getByRole('link', { name: /Mực một nắng Phan Thiết/ }).first().click();
  await shop.waitForURL(/\/products\/muc-mot-nang-phan-thiet$/);
  const productUrl = shop.url();
  const body = await shop.locator('main').innerText();
  assert.match(body, /Khay 300 g/);
  assert.match(body, /Túi 1 kg/);
  assert.ok(await shop.locator('img[src^="/media/"]').count() >= 1, 'the gallery shows the photo');
  assert.equal(await shop.locator('.badge.ok').count(), 0, 'no badge before a certificate');

  // The office records a 4-star certificate: the badge appears; then revokes it: the badge is gone.
  const officeCtx = await browser.newContext({ javaScriptEnabled: false });
  const office = await officeCtx.newPage();
  await signIn(office, server.base, 'vanphong@ocop.local');
  await office.locator('nav.ws-nav').getByRole('link', { name: /^Giấy chứng nhận/ }).click();
  await office.waitForURL(/\/office\/certificates$/);
  await office.locator('#record summary').click();
  const value = await office.locator('#product_id option', { hasText: 'Mực một nắng Phan Thiết' }).getAttribute('value');
  await office.locator('#product_id').selectOption(value);
  await office.locator('#kind').selectOption('new');
  await office.locator('#number').fill('QĐ-E2E-2026-01');
  await office.locator('#stars').selectOption('4');
  await office.locator('#decided_on').fill('2026-11-01');
  await office.getByRole('button', { name: 'Ghi', exact: true }).click();
  await office.waitForURL(/notice=recorded/);

  await shop.goto(productUrl);
  assert.equal(await shop.locator('.badge.ok').count() > 0, true, 'a star badge once certified');
  await shop.goto(`${server.base}/products?q=muc+mot+nang&valid=1`);
  assert.ok(await shop.getByRole('link', { name: /Mực một nắng Phan Thiết/ }).count() > 0, 'listed as certified');

  // Revoking asks first, on a page of its own that says what will change.
  await office.goto(`${server.base}/office/certificates?q=QĐ-E2E-2026-01`);
  await office.locator('#cert-QĐ-E2E-2026-01').getByRole('link', { name: 'Thu hồi…' }).click();
  assert.match(await office.locator('#revoke-changes').innerText(), /Mực một nắng Phan Thiết/);
  await office.getByRole('button', { name: 'Thu hồi giấy chứng nhận' }).click();
  assert.match(await office.locator('#reason-error').innerText(), /Cần ghi lý do/, 'a reason is asked for beside its field');
  await office.locator('#reason').fill('Không duy trì tiêu chuẩn chất lượng');
  await office.getByRole('button', { name: 'Thu hồi giấy chứng nhận' }).click();
  await office.waitForURL(/notice=revoked/);

  await shop.goto(productUrl);
  assert.equal(await shop.locator('.badge.ok').count(), 0, 'badge gone after revocation');
  assert.match(await shop.locator('main').innerText(), /Không duy trì tiêu chuẩn chất lượng/);
  await shop.goto(`${server.base}/products?q=muc+mot+nang&valid=1`);
  assert.equal(await shop.getByRole('link', { name: /Mực một nắng Phan Thiết/ }).count(), 0, 'not certified in search');
  await shop.screenshot({ path: 'test-results/revoked.png', fullPage: true });

  // The producer's editor is still theirs; another product's editor is not.
  await page.goto(editor);
  assert.match(await page.locator('h1').innerText(), /Mực một nắng/);
  await producer.close();
  await shopper.close();
  await officeCtx.close();
});
