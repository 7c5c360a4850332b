// A shopper on a phone pays by VNPay through the local stand-in gateway (`pay-standin`, speaking
// VNPay's protocol); the order is paid once though the notification comes twice; the household
// seller's statement shows the tax withheld (Decree 117); the office reads the month's declaration,
// checked against the dashboard, downloads it, and refunds the order through VNPay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { startServer, launchBrowser, signIn, fillAddress, overflowing, SERVER_BIN } from './support.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const PRODUCT = 'nuoc-ep-thanh-long-bao-long';
const SELLER = 'Hộ kinh doanh Nguyễn Ngọc Bảo';

let standin, gateway, server, browser;

function startStandin() {
  const child = spawn(join(dirname(SERVER_BIN), 'pay-standin'), [], {
    env: { ...process.env, VNPAY_TMN_CODE: 'OCOPE2E', VNPAY_HASH_SECRET: 'e2e-vnpay-secret' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`pay-standin exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolve({ child, base: line.replace('listening on ', '').trim() });
    });
  });
}

before(async () => {
  mkdirSync('test-results', { recursive: true });
  standin = await startStandin();
  gateway = standin.base;
  server = await startServer({
    VNPAY_TMN_CODE: 'OCOPE2E',
    VNPAY_HASH_SECRET: 'e2e-vnpay-secret',
    VNPAY_PAY_URL: `${gateway}/paymentv2/vpcpay.html`,
    VNPAY_API_URL: `${gateway}/merchant_webapi/api/transaction`,
  });
  // VNPay's IPN address is set in its merchant portal, not in the request: here, on the stand-in.
  // Each notification goes out twice, as VNPay's retries do.
  const r = await fetch(`${gateway}/__standin/mode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ipn: 'twice', vnpay_ipn: `${server.base}/payments/vnpay/ipn` }),
  });
  assert.equal(r.status, 204);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  standin?.child.kill();
});

const problems = [];
async function look(page, name) {
  await page.screenshot({ path: `test-results/wallets-${name}.png`, fullPage: true });
  for (const o of await page.evaluate(overflowing)) problems.push(`${name}: ${o}`);
}

async function newPage(viewport) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport });
  return ctx.newPage();
}

const thisMonth = () => {
  const vn = new Date(Date.now() + 7 * 3600 * 1000);
  return `${vn.getUTCFullYear()}-${String(vn.getUTCMonth() + 1).padStart(2, '0')}`;
};

test('a shopper pays by VNPay, the seller sees the tax withheld, the office files and refunds', async () => {
  // 1. The shopper, on a phone, buys a household seller's juice and chooses VNPay.
  const phone = await newPage(PHONE);
  await phone.goto(`${server.base}/products/${PRODUCT}`);
  await phone.getByRole('button', { name: 'Thêm vào giỏ' }).first().click();
  await phone.waitForURL(/\/cart\?notice=added/);
  await phone.getByRole('link', { name: 'Tiến hành đặt hàng' }).click();
  await phone.waitForURL(/\/checkout$/);
  await fillAddress(phone, '0912 345 678');
  await phone.getByLabel(/VNPay/).check();
  await look(phone, 'checkout-phone');
  await phone.getByRole('button', { name: 'Đặt hàng' }).click();

  // 2. VNPay's page (the stand-in) shows the amount signed for; the shopper pays.
  await phone.waitForURL((u) => u.href.startsWith(gateway));
  const amount = await phone.locator('#standin-amount').innerText();
  assert.match(amount, /₫/);
  await look(phone, 'gateway-phone');
  await phone.getByRole('button', { name: 'Thanh toán / Pay' }).click();

  // 3. Back on the order: paid, the shopper told so, the amount the gateway took.
  await phone.waitForURL(/\/orders\/OCOP-\d{4}-\d+\?key=.*notice=wallet_done/);
  assert.match(await phone.locator('.notice').first().innerText(), /Cổng thanh toán báo đã trả tiền/);
  assert.equal((await phone.locator('#order-status').innerText()).trim(), 'Đã thanh toán');
  assert.equal(await phone.locator('#order-total').innerText(), amount);
  const number = (await phone.locator('#order-number').innerText()).trim();
  await look(phone, 'order-paid-phone');
  // The notification came twice: confirmed once, then "already confirmed".
  const log = await (await fetch(`${gateway}/__standin/log`)).json();
  const replies = log.at(-1).replies.map((r) => JSON.parse(r.body).RspCode);
  assert.deepEqual(replies, ['00', '02']);

  // 4. The office finds the order, paid once, through VNPay.
  const office = await newPage(DESKTOP);
  await signIn(office, server.base, 'vanphong@ocop.local');
  await office.goto(`${server.base}/office/orders?q=${number}`);
  const row = office.locator(`#order-${number}`);
  assert.match(await row.innerText(), /Đã thanh toán/);
  assert.match(await row.innerText(), /VNPay/);
  assert.doesNotMatch(await row.innerText(), /đã trả/, 'paid in full, once');
  await look(office, 'office-orders-desktop');

  // 5. The seller's statement: the month's online sales, VAT 1% and PIT 0,5% withheld on goods.
  await office.goto(`${server.base}/office/producers?q=${encodeURIComponent('Nguyễn Ngọc Bảo')}`);
  const statement = office.locator('tr', { hasText: SELLER }).getByRole('link', { name: 'Đối soát' });
  await statement.click();
  await office.waitForURL(/\/office\/producers\/\d+\/statement/);
  await office.goto(`${office.url().split('?')[0]}?period=${thisMonth()}`);
  const withholding = office.locator('#withholding');
  await withholding.waitFor();
  assert.match(await withholding.innerText(), /1%/);
  assert.match(await withholding.innerText(), /0,5%/);
  const vat = (await office.locator('#withheld-vat').innerText()).trim();
  assert.notEqual(vat, '0 ₫');
  await look(office, 'statement-desktop');

  // 6. The month's declaration: the seller's row with the same VAT, checked against the dashboard,
  // and downloaded.
  await office.goto(`${server.base}/office/withholding?month=${thisMonth()}`);
  assert.match(await office.locator('#reconcile-verdict').innerText(), /Khớp đến từng đồng/);
  const sellerRow = office.locator('#declaration tbody tr', { hasText: SELLER });
  assert.match(await sellerRow.innerText(), new RegExp(vat.replace(/[.]/g, '\\.')));
  await look(office, 'declaration-desktop');
  const download = office.waitForEvent('download');
  await office.locator('#declaration-csv').click();
  const file = readFileSync(await (await download).path(), 'utf8');
  assert.match(file, new RegExp(SELLER));
  assert.match(file, /Thuế GTGT \/ VAT/);
  const phoneOffice = await newPage(PHONE);
  await signIn(phoneOffice, server.base, 'vanphong@ocop.local');
  await phoneOffice.goto(`${server.base}/office/withholding?month=${thisMonth()}`);
  await look(phoneOffice, 'declaration-phone');
  await phoneOffice.goto(`${server.base}/office/orders?q=${number}`);
  await look(phoneOffice, 'office-orders-phone');

  // 7. The office refunds through VNPay, with a reason; the order turns refunded.
  await office.goto(`${server.base}/office/orders?q=${number}`);
  await office.locator(`#reason-${number}`).fill('Khách huỷ đơn');
  await office.getByRole('button', { name: 'Hoàn tiền' }).click();
  await office.waitForURL(/notice=refunded/);
  assert.match(await office.locator(`#order-${number}`).innerText(), /Đã hoàn tiền/);
  await look(office, 'refunded-desktop');
  await phone.reload();
  assert.equal((await phone.locator('#order-status').innerText()).trim(), 'Đã hoàn tiền');

  assert.deepEqual(problems, [], 'nothing runs past the viewport');
});
