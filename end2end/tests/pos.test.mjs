// The showroom till (shop-pos) against the real marketplace server: the office pairs a device, the
// till sells by barcode and cash, keeps selling while the marketplace is down, and sends every sale
// exactly once when it is back. JavaScript is off in every browser: the till's status bar is read by
// reloading the page, as a cashier would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, startPos, launchBrowser, signIn } from './support.mjs';

const SHOWROOM = 'SR-E2E';
const MANAGER = 'Nguyễn Thị Hoà';
const PIN = '2468';
const FRESH_SEAWEED = '2000000000114'; // "Rong nho tươi", 95.000 ₫
const SALTED_SEAWEED = '2000000000213'; // "Rong nho muối", 65.000 ₫ (seed_catalogue::barcode(1))
const TIMEOUT = 20_000;

let server, pos, browser;

before(async () => {
  mkdirSync('test-results', { recursive: true });
  server = await startServer();
  pos = await startPos(server.base);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await pos?.stop();
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Calls `probe` until it returns { ok: true }; fails naming `what` and what was seen last. */
async function poll(what, probe, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const last = await probe();
    if (last.ok) return last;
    if (Date.now() > deadline) assert.fail(`${what}: not seen within ${timeout / 1000} s; last seen: ${last.seen}`);
    await sleep(250);
  }
}

/** Runs `action` (a form post, a key press) and waits for the page it leads to to load. */
async function submit(page, action) {
  const nav = page.waitForNavigation({ timeout: TIMEOUT });
  await action();
  await nav;
}

async function errorOn(page) {
  return (await page.locator('#error').count()) ? await page.locator('#error').innerText() : '(no #error on the page)';
}

/** Reloads the till's page and reads its status bar. */
async function statusBar(page) {
  await page.reload();
  const bar = {
    state: await page.locator('#sync-state').innerText(),
    unsynced: await page.locator('#unsynced').innerText(),
    last: await page.locator('#last-sync').innerText(),
  };
  return { ...bar, seen: `"${bar.state}" · "${bar.unsynced}" · "${bar.last}"` };
}

const online = (b) => /Trực tuyến \/ Online/.test(b.state);
const offline = (b) => /Ngoại tuyến \/ Offline/.test(b.state);
const unsynced = (b, n) => new RegExp(`Chưa đồng bộ / Unsynced: ${n}$`).test(b.unsynced.trim());

/** The showroom's "sales received from the tills" counter on the office page. */
async function salesReceived(office) {
  await office.goto(`${server.base}/office/showrooms`);
  assert.match(office.url(), /\/office\/showrooms$/, 'the office is still signed in after the server restart');
  const el = office.locator(`#sales-${SHOWROOM}`);
  assert.equal(await el.count(), 1, `the office page shows #sales-${SHOWROOM}`);
  const text = (await el.innerText()).trim();
  const m = /Lần bán đã nhận từ quầy: (\d+)$/.exec(text);
  assert.ok(m, `#sales-${SHOWROOM} reads "Lần bán đã nhận từ quầy: N", got "${text}"`);
  return Number(m[1]);
}

/** Scans a barcode as a scanner does: the code typed into the focused field, then Enter. */
async function scan(till, code) {
  assert.equal(await till.locator('#scan:focus').count(), 1, 'the scan field has the focus when /sell opens');
  await till.keyboard.type(code);
  await submit(till, () => till.keyboard.press('Enter'));
  assert.match(till.url(), /\/sell$/, `scanning ${code} comes back to /sell (${await errorOn(till)})`);
}

/** Pays in cash: the till is ready for the next sale with the change shown; the receipt is a click away. */
async function payCash(till, tendered) {
  await till.locator('#tendered').fill(tendered);
  await submit(till, () => till.locator('#pay-tendered').click());
  assert.match(till.url(), /\/sell\?done=[^/]+$/, `paying in cash comes back to selling (${await errorOn(till)})`);
  await submit(till, () => till.locator('#last-receipt').click());
  assert.match(till.url(), /\/receipts\/[^/]+$/, 'the receipt of the sale just paid');
  return till.locator('#receipt').innerText();
}

test('a paired till sells by barcode, keeps selling while the marketplace is down, and sends each sale once', async (t) => {
  const started = Date.now();
  const mark = (what) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // 1. The office adds the showroom and a device, and reads the one-time pairing code.
  const officeCtx = await browser.newContext({ javaScriptEnabled: false });
  const office = await officeCtx.newPage();
  await signIn(office, server.base, 'vanphong@ocop.local');
  await office.goto(`${server.base}/office/showrooms`);
  await office.locator('#sr-code').fill(SHOWROOM);
  await office.locator('#sr-name').fill('Điểm bán thử E2E');
  await office.locator('#sr-address').fill('Đường Nguyễn Đình Chiểu, Mũi Né');
  await office.locator('#new-showroom').getByRole('button', { name: 'Thêm điểm bán' }).click();
  await office.waitForURL(/\/office\/showrooms\?notice=saved$/);
  const block = office.locator(`#showroom-${SHOWROOM}`);
  assert.equal(await block.count(), 1, `the new showroom is listed as #showroom-${SHOWROOM}`);
  assert.equal(await salesReceived(office), 0, 'no sales before the till is paired');
  await block.locator('input[name=name]').fill('Quầy 1');
  await block.getByRole('button', { name: 'Thêm máy và lấy mã ghép' }).click();
  await office.waitForURL(/\/office\/showrooms\/\d+\/devices$/);
  assert.equal(await office.locator('#pairing-code').count(), 1,
    'the pairing code is on the page as rendered without JavaScript (not only inside a streamed <template>)');
  const code = (await office.locator('#pairing-code').innerText()).trim();
  assert.match(code, /^\S{5,}/, `a pairing code is shown, got "${code}"`);
  mark('device added');

  // 2. The till: setup and pairing, sign-in with the PIN, a shift with its float.
  const tillCtx = await browser.newContext({ javaScriptEnabled: false });
  const till = await tillCtx.newPage();
  await till.goto(pos.base);
  await till.waitForURL(/\/setup$/);
  assert.equal(await till.locator('input[name=server_url]').inputValue(), server.base, 'POS_SERVER_URL prefills the form');
  await till.locator('input[name=manager_name]').fill(MANAGER);
  await till.locator('input[name=manager_pin]').fill(PIN);
  await till.locator('input[name=code]').fill(code);
  await submit(till, () => till.getByRole('button', { name: 'Ghép máy / Pair' }).click());
  assert.match(till.url(), /\/signin$/, `pairing leads to sign-in (${await errorOn(till)})`);
  mark('paired');

  await till.locator('select[name=staff_id]').selectOption({ label: MANAGER });
  await till.locator('input[name=pin]').fill(PIN);
  await submit(till, () => till.getByRole('button', { name: 'Đăng nhập / Sign in' }).click());
  assert.match(till.url(), /\/shift\/open$/, `signing in asks for the float first (${await errorOn(till)})`);
  await till.locator('input[name=float]').fill('1.000.000');
  await submit(till, () => till.getByRole('button', { name: 'Mở ca / Open shift' }).click());
  assert.match(till.url(), /\/sell$/, `opening the shift leads to /sell (${await errorOn(till)})`);
  assert.equal((await till.locator('#total').innerText()).trim(), '0 ₫', 'an empty sale to start with');

  // The first sale: scanned, paid in cash with change.
  await scan(till, FRESH_SEAWEED);
  assert.match(await till.locator('#cart').innerText(), /Rong nho tươi/, 'the scanned product is in the sale');
  assert.equal((await till.locator('#total').innerText()).trim(), '95.000 ₫');
  const first = await payCash(till, '100.000');
  assert.match(first, /Rong nho tươi/, `the receipt names the product:\n${first}`);
  assert.match(first, /^TỔNG CỘNG \/ TOTAL +95\.000 ₫$/m, `the receipt's total is 95.000 ₫:\n${first}`);
  assert.match(first, /^Khách đưa \/ Tendered +100\.000 ₫$/m, `the receipt shows the cash handed over:\n${first}`);
  assert.match(first, /^Tiền thối \/ Change +5\.000 ₫$/m, `the receipt shows 5.000 ₫ change:\n${first}`);
  await till.screenshot({ path: 'test-results/pos-receipt.png', fullPage: true });
  mark('first sale');

  await poll('the till online with nothing left to send after the first sale', async () => {
    const b = await statusBar(till);
    return { ok: online(b) && unsynced(b, 0), seen: b.seen };
  });
  assert.equal(await salesReceived(office), 1, 'the marketplace has the first sale');
  mark('first sale synced');

  // 3. The marketplace goes down hard; the till sells on.
  await server.kill();
  await till.locator('#next-sale').click();
  await till.waitForURL(/\/sell$/);
  await scan(till, SALTED_SEAWEED);
  assert.equal((await till.locator('#total').innerText()).trim(), '65.000 ₫');
  const second = await payCash(till, '65.000');
  assert.match(second, /Rong nho muối/, `the offline receipt names the product:\n${second}`);
  assert.match(second, /^TỔNG CỘNG \/ TOTAL +65\.000 ₫$/m, `the offline receipt's total is 65.000 ₫:\n${second}`);
  await poll('the till offline with the second sale kept', async () => {
    const b = await statusBar(till);
    return { ok: offline(b) && unsynced(b, 1), seen: b.seen };
  });
  mark('offline sale kept');

  // 4. The marketplace is back on the same port and data: the till sends what it kept.
  await server.restart();
  mark('server restarted');
  const back = await poll('the till online again with the kept sale sent', async () => {
    const b = await statusBar(till);
    return { ok: online(b) && unsynced(b, 0), seen: b.seen };
  });
  mark('offline sale synced');

  // 5. Each sale reached the marketplace once, and stays counted once over further sync rounds
  // (two more changes of the till's "last sync" time).
  assert.equal(await salesReceived(office), 2, 'the marketplace counts both sales, each once');
  let lastSync = back.last;
  for (let round = 1; round <= 2; round++) {
    const b = await poll(`sync round ${round} after the catch-up`, async () => {
      const s = await statusBar(till);
      return { ...s, ok: s.last !== lastSync && online(s) && unsynced(s, 0) };
    });
    lastSync = b.last;
  }
  assert.equal(await salesReceived(office), 2, 'still two sales after more sync rounds: nothing is sent twice');
  mark('done');

  await tillCtx.close();
  await officeCtx.close();
});
