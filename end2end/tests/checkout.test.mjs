import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import { startServer, launchBrowser, fillAddress } from './support.mjs';

// A stand-in for Stripe's API on this machine (it cannot reach Stripe): it answers session creation
// with a session whose URL is a page of its own, and remembers what it was sent.
const stripeRequests = [];
let fakeStripe, fakeBase;

function startFakeStripe() {
  return new Promise((resolve) => {
    fakeStripe = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
          stripeRequests.push({ headers: req.headers, body: decodeURIComponent(body.replace(/\+/g, ' ')) });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({
            id: 'cs_test_e2e', object: 'checkout.session',
            automatic_tax: { enabled: false, liability: null, provider: null, status: null },
            created: 1700000000, custom_fields: [],
            custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
            expires_at: 1700086400, livemode: false, mode: 'payment', payment_method_types: ['card'],
            payment_status: 'unpaid', shipping_options: [], url: `${fakeBase}/pay/cs_test_e2e`,
          }));
        } else if (req.url.startsWith('/pay/')) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<!doctype html><title>Fake Stripe Checkout</title><h1>Fake Stripe Checkout</h1>');
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    fakeStripe.listen(0, '127.0.0.1', () => {
      fakeBase = `http://127.0.0.1:${fakeStripe.address().port}`;
      resolve();
    });
  });
}

let server, browser;
before(async () => {
  await startFakeStripe();
  server = await startServer({
    VIETQR_BANK_BIN: '970436', VIETQR_BANK_NAME: 'Vietcombank', VIETQR_ACCOUNT: '0071000123456',
    VIETQR_ACCOUNT_NAME: 'HTX OCOP BINH THUAN',
    STRIPE_SECRET_KEY: 'sk_test_e2e', STRIPE_WEBHOOK_SECRET: 'whsec_e2e', STRIPE_API_BASE: fakeBase,
  });
  browser = await launchBrowser();
  mkdirSync('test-results', { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  fakeStripe?.close();
});

async function addToCart(page, slug) {
  await page.goto(`${server.base}/products/${slug}`);
  await page.getByRole('button', { name: 'Thêm vào giỏ' }).first().click();
  await page.waitForURL(/\/cart\?notice=added/);
}

test('a new shopper adds to cart, checks out cash on delivery and sees the order', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await addToCart(page, 'nuoc-mam-ca-den');
  assert.match(await page.locator('.cart-lines').innerText(), /Nước mắm Cá Đen/);
  await page.getByRole('link', { name: 'Tiến hành đặt hàng' }).click();
  await page.waitForURL(/\/checkout$/);

  // A mistyped phone comes back with a message and keeps what was typed.
  await fillAddress(page, '09123');
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL(/\/checkout$/);
  assert.match(await page.locator('#phone-error').innerText(), /Số điện thoại không hợp lệ/);
  assert.equal(await page.getByLabel('Xã/phường').inputValue(), 'Phường Phú Thủy');
  await page.getByLabel('Số điện thoại').fill('0912 345 678');
  await page.getByLabel(/Thanh toán khi nhận hàng/).check();
  await page.getByRole('button', { name: 'Đặt hàng' }).click();

  await page.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=/);
  assert.match(await page.locator('#order-number').innerText(), /^OCOP-\d{4}-\d{6}$/);
  assert.equal(await page.locator('#order-status').innerText(), 'Đã xác nhận');
  // 95.000 ₫ fish sauce + 20.000 ₫ delivery within Lâm Đồng.
  assert.equal(await page.locator('#order-total').innerText(), '115.000 ₫');
  await page.screenshot({ path: 'test-results/order-cod.png', fullPage: true });
  await context.close();
});

test('choosing VietQR shows a QR code with the bank details', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await addToCart(page, 'nuoc-mam-ca-den');
  await page.goto(`${server.base}/checkout`);
  await fillAddress(page, '+84 912 345 678');
  await page.getByLabel('Chuyển khoản VietQR').check();
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL(/\/orders\/OCOP-/);
  assert.equal(await page.locator('#order-status').innerText(), 'Chờ thanh toán');
  const qr = page.locator('#vietqr .qr svg');
  await qr.waitFor();
  const box = await qr.boundingBox();
  assert.ok(box.width >= 200 && box.height >= 200, `QR big enough to scan: ${JSON.stringify(box)}`);
  const details = await page.locator('#vietqr dl').innerText();
  assert.match(details, /0071000123456/);
  assert.match(details, /115\.000 ₫/);
  assert.match(details, /OCOP-\d{4}-\d{6}/);
  await page.screenshot({ path: 'test-results/order-vietqr.png', fullPage: true });
  await context.close();
});

test('choosing card sends the shopper to Stripe Checkout with an idempotency key', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await addToCart(page, 'nuoc-mam-ca-den');
  await page.goto(`${server.base}/checkout`);
  await fillAddress(page, '0912345678');
  await page.getByLabel('Thẻ quốc tế (Stripe)').check();
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL(/\/pay\/cs_test_e2e$/);
  assert.match(await page.locator('h1').innerText(), /Fake Stripe Checkout/);
  const sent = stripeRequests.at(-1);
  assert.match(sent.headers['idempotency-key'], /^checkout-OCOP-\d{4}-\d{6}$/);
  assert.match(sent.body, /unit_amount\]=115000/);
  assert.match(sent.body, /currency=vnd/);
  // The session closes with the order's hold on its stock (60 minutes by default).
  const closes = Number(/expires_at=(\d+)/.exec(sent.body)[1]) - Date.now() / 1000;
  assert.ok(closes > 55 * 60 && closes < 61 * 60, `session closes in ${closes} s`);
  await context.close();
});
