// The till at the counter, driven as a cashier drives it: a barcode scanner typing into the focused
// field, then keys only. Counts the key presses a sale takes after the scan, checks that everything
// a cashier needs is on screen without scrolling on a 1366×768 counter screen and a 1024×768 tablet,
// and saves the sell, pay, receipt, refund and close screens at both sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startPos, launchBrowser } from './support.mjs';

const MANAGER = 'Nguyễn Thị Hoà';
const PIN = '2468';
const FRESH_SEAWEED = '2000000000114'; // "Rong nho tươi", 95.000 ₫
const SALTED_SEAWEED = '2000000000213'; // "Rong nho muối", 65.000 ₫
const SIZES = [[1366, 768], [1024, 768]];
const TIMEOUT = 20_000;

let pos, browser;

before(async () => {
  mkdirSync('test-results', { recursive: true });
  pos = await startPos('');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await pos?.stop();
});

const money = (v) => `${v.toLocaleString('de-DE')} ₫`;

/** Runs `action` and waits for the page it leads to. */
async function submit(page, action) {
  const nav = page.waitForNavigation({ timeout: TIMEOUT });
  await action();
  await nav;
}

async function errorOn(page) {
  return (await page.locator('#error').count()) ? await page.locator('#error').innerText() : '(no #error)';
}

/** A barcode scanner: the code typed into whatever has the focus, then Enter. Not counted as keys. */
async function scanner(page, code) {
  assert.equal(await page.locator('#scan:focus').count(), 1, `the scan field has the focus before scanning ${code}`);
  await page.keyboard.type(code);
  await submit(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\/sell$/, `the scan of ${code} lands in the sale (${await errorOn(page)})`);
}

/** The cashier's own key presses, counted. */
function keyboard(page) {
  let count = 0;
  return {
    get count() { return count; },
    async press(key) { count += 1; await page.keyboard.press(key); },
  };
}

/** Whether the element is wholly inside the window (nothing a cashier needs below the fold). */
async function inView(page, selector) {
  const el = page.locator(selector).first();
  assert.equal(await el.count(), 1, `${selector} is on the page`);
  const box = await el.boundingBox();
  const { width, height } = page.viewportSize();
  return box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

async function assertFits(page, what, selectors) {
  for (const sel of selectors) {
    assert.ok(await inView(page, sel), `${what}: ${sel} is inside the ${page.viewportSize().width}×${page.viewportSize().height} window`);
  }
  const scroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(scroll <= 0, `${what}: the page does not scroll (it is ${scroll}px taller than the window)`);
}

async function waitForFile(path, what) {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(path), `${what}: ${path}`);
}

async function shot(page, name) {
  const { width, height } = page.viewportSize();
  await page.screenshot({ path: `test-results/till-${name}-${width}x${height}.png` });
}

async function total(page) {
  return (await page.locator('#total').innerText()).trim();
}

test('setup, then sales, refunds and closing by keyboard at the counter screen and the tablet', async (t) => {
  // Setup in demo mode and the first sign-in, through the forms.
  const first = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const setupPage = await first.newPage();
  await setupPage.goto(pos.base);
  await setupPage.waitForURL(/\/setup$/);
  await shot(setupPage, 'setup');
  // A wrong marketplace address keeps what was typed and names the field at fault.
  await setupPage.locator('input[name=manager_name]').fill(MANAGER);
  await setupPage.locator('input[name=manager_pin]').fill(PIN);
  await setupPage.locator('input[name=server_url]').fill('cho-ocop.example.vn:99999');
  await setupPage.locator('input[name=code]').fill('ABCDE-12345');
  await submit(setupPage, () => setupPage.getByRole('button', { name: 'Ghép máy / Pair' }).click());
  assert.match(await errorOn(setupPage), /Cổng “99999” không hợp lệ/);
  assert.equal(await setupPage.locator('input[name=manager_name]').inputValue(), MANAGER, 'the name is kept');
  assert.equal(await setupPage.locator('input[name=code]').inputValue(), 'ABCDE-12345', 'the code is kept');
  assert.equal(await setupPage.locator('input[name=server_url]').getAttribute('aria-invalid'), 'true');
  await setupPage.locator('input[name=manager_pin]').fill(PIN);
  await submit(setupPage, () => setupPage.getByRole('button', { name: 'Dùng thử / Demo mode' }).click());
  assert.match(setupPage.url(), /\/signin$/, await errorOn(setupPage));
  await first.close();

  let shiftOpen = false;
  for (const [width, height] of SIZES) {
    await t.test(`${width}×${height}`, async () => {
      const ctx = await browser.newContext({ viewport: { width, height } });
      const page = await ctx.newPage();
      await page.goto(`${pos.base}/signin`);
      await page.locator('select[name=staff_id]').selectOption({ label: MANAGER });
      await page.locator('input[name=pin]').fill(PIN);
      await submit(page, () => page.getByRole('button', { name: 'Đăng nhập / Sign in' }).click());
      if (!shiftOpen) {
        assert.match(page.url(), /\/shift\/open$/);
        await page.locator('input[name=float]').fill('1.000.000');
        await submit(page, () => page.getByRole('button', { name: 'Mở ca / Open shift' }).click());
        shiftOpen = true;
      }
      assert.match(page.url(), /\/sell$/, await errorOn(page));
      if (await total(page) !== '0 ₫') {
        // A sale left open by the previous size's run: cancelled with Escape twice.
        await page.keyboard.press('Escape');
        await submit(page, () => page.keyboard.press('Escape'));
      }
      await shot(page, 'sell-empty');

      // A one-item sale paid with exact cash: one key after the scan, and the next scan lands in a new sale.
      await scanner(page, FRESH_SEAWEED);
      assert.equal(await total(page), '95.000 ₫');
      let keys = keyboard(page);
      await submit(page, () => keys.press('F9'));
      assert.match(page.url(), /\/sell\?done=DEMO-\d+$/, `F9 takes exact cash (${await errorOn(page)})`);
      assert.ok(keys.count <= 2, `a one-item exact cash sale took ${keys.count} keys`);
      assert.match(await page.locator('#done').innerText(), /Đã thu đủ/);
      assert.equal((await page.locator('#change').innerText()).trim(), '95.000 ₫');
      const receiptNo = new URL(page.url()).searchParams.get('done');
      await waitForFile(join(pos.dataDir, 'prints', `${receiptNo}.bin`), 'the receipt printed with the sale (no printer set: to its file)');
      assert.match(await page.locator('#printed').innerText(), /Biên lai (đã in ra tệp|đang in)|Đang in biên lai/);
      assert.equal(await total(page), '0 ₫', 'the screen is a new, empty sale');
      await scanner(page, SALTED_SEAWEED);
      assert.equal(await page.locator('#done').count(), 0, 'the next scan starts the next sale');
      assert.match(await page.locator('#cart').innerText(), /Rong nho muối/);

      // A two-item sale paid with a quick-cash amount, with change: one key after the scans.
      await scanner(page, FRESH_SEAWEED);
      assert.equal(await total(page), '160.000 ₫');
      const quick = await page.locator('#quick-cash button').allInnerTexts();
      // 160.000: the next 10.000 is the total itself; 200.000 and 500.000 are what customers hand over.
      assert.deepEqual(quick.map((q) => q.replace(/\s+/g, ' ').trim()), ['F5 200.000 ₫', 'F6 500.000 ₫']);
      await assertFits(page, 'selling', ['#scan', '#total', '#pay-cash', '#quick-cash button >> nth=1', '#pay-qr', '#discount-box', '#clear-sale']);
      await shot(page, 'pay');
      keys = keyboard(page);
      await submit(page, () => keys.press('F5'));
      assert.ok(keys.count <= 4, `a two-item quick-cash sale took ${keys.count} keys`);
      assert.match(await page.locator('#done').innerText(), /Tiền thối \/ Change due/);
      assert.equal((await page.locator('#change').innerText()).trim(), '40.000 ₫', '200.000 handed over for 160.000');
      assert.equal(await page.locator('#scan:focus').count(), 1, 'the scan field has the focus after payment');
      const sold = new URL(page.url()).searchParams.get('done');

      // The receipt preview is a key away, and Escape comes back to selling.
      await submit(page, () => page.keyboard.press('F1'));
      assert.match(page.url(), new RegExp(`/receipts/${sold}$`));
      assert.match(await page.locator('#receipt').innerText(), /^Tiền thối \/ Change +40\.000 ₫$/m);
      await shot(page, 'receipt');
      await submit(page, () => page.keyboard.press('Escape'));
      assert.match(page.url(), /\/sell$/);

      // A long sale: the cart scrolls inside its box, the total and payment stay on screen.
      const tiles = page.locator('#grid button');
      assert.ok(await tiles.count() >= 12, `the grid offers goods to tap (${await tiles.count()})`);
      for (let i = 0; i < 12; i++) {
        await submit(page, () => page.locator('#grid button').nth(i).click());
      }
      assert.equal(await page.locator('#cart tr').count(), 13, 'twelve lines and the header');
      await assertFits(page, 'a twelve-line sale', ['#scan', '#total', '#pay-cash', '#quick-cash button >> nth=0', '#pay-qr']);
      await shot(page, 'sell');
      // Escape twice cancels the sale (once only warns).
      await page.keyboard.press('Escape');
      assert.match(await page.locator('#key-hint').innerText(), /Esc lần nữa/);
      await submit(page, () => page.keyboard.press('Escape'));
      assert.equal(await total(page), '0 ₫', 'the sale is cancelled');

      // VietQR: F10 shows the code, F9 records the transfer as received.
      await scanner(page, SALTED_SEAWEED);
      await submit(page, () => page.keyboard.press('F10'));
      assert.equal(await page.locator('#qr svg').count(), 1, 'a QR code to scan');
      await assertFits(page, 'the VietQR screen', ['#qr svg', '#qr-received', '#qr-unconfirmed']);
      await shot(page, 'vietqr');
      await submit(page, () => page.keyboard.press('F9'));
      assert.match(page.url(), /\/sell\?done=/);

      // A refund of one bottle of three, found by the receipt's last digits.
      for (let i = 0; i < 3; i++) await scanner(page, FRESH_SEAWEED);
      await submit(page, () => page.keyboard.press('F9'));
      const three = new URL(page.url()).searchParams.get('done');
      await page.goto(`${pos.base}/refund`);
      assert.match(await page.locator('#recent').innerText(), new RegExp(three), 'the receipt is in this shift\'s list');
      await page.locator('input[name=no]').fill(String(Number(three.split('-').pop())));
      await submit(page, () => page.keyboard.press('Enter'));
      const qty = page.locator('#refund-form input[name^=qty_]').first();
      assert.equal(await qty.inputValue(), '0', 'quantities start at 0');
      await qty.fill('1');
      await submit(page, () => page.locator('#review-refund').click());
      assert.equal((await page.locator('#give-back').innerText()).trim(), '95.000 ₫', 'one bottle, not the whole sale');
      assert.match(await page.locator('#give-back-how').innerText(), /tiền mặt/);
      assert.equal(await page.locator('input[name=pin]').count(), 1, 'a cash refund asks for a manager\'s PIN');
      await assertFits(page, 'the refund review', ['#give-back', '#do-refund', 'input[name=pin]']);
      await shot(page, 'refund');
      await page.locator('input[name=pin]').fill(PIN);
      await submit(page, () => page.locator('#do-refund').click());
      assert.match(page.url(), /\/receipts\/DEMO-\d+$/, await errorOn(page));
      assert.match(await page.locator('#receipt').innerText(), /PHIẾU HOÀN TIỀN/);

      // Closing with a sale still open: the screen says so before anything is closed.
      await page.goto(`${pos.base}/sell`);
      await scanner(page, SALTED_SEAWEED);
      await page.goto(`${pos.base}/shift/close`);
      assert.match(await page.locator('#open-cart-warning').innerText(), /65\.000 ₫/);
      await assertFits(page, 'closing', ['#open-cart-warning', '#close-shift']);
      await shot(page, 'close');
      await submit(page, () => page.locator('#close-shift').click());
      assert.match(await errorOn(page), /Còn đơn đang bán/, 'closing over an open sale is refused');
      await page.goto(`${pos.base}/sell`);
      await page.keyboard.press('Escape');
      await submit(page, () => page.keyboard.press('Escape'));
      await ctx.close();
    });
  }
});

test('every page works without JavaScript: a sale, its receipt and the next sale by plain forms', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${pos.base}/signin`);
  await page.locator('select[name=staff_id]').selectOption({ label: MANAGER });
  await page.locator('input[name=pin]').fill(PIN);
  await submit(page, () => page.getByRole('button', { name: 'Đăng nhập / Sign in' }).click());
  assert.match(page.url(), /\/sell$/, await errorOn(page));
  if (await total(page) !== '0 ₫') await submit(page, () => page.locator('#clear-sale').click());
  await scanner(page, FRESH_SEAWEED);
  await page.locator('#tendered').fill('100.000');
  await submit(page, () => page.keyboard.press('Enter'));
  assert.equal((await page.locator('#change').innerText()).trim(), money(5000));
  await submit(page, () => page.locator('#last-receipt').click());
  assert.match(await page.locator('#receipt').innerText(), /^Khách đưa \/ Tendered +100\.000 ₫$/m);
  await submit(page, () => page.locator('#next-sale').click());
  assert.equal(await page.locator('#scan:focus').count(), 1);
  await ctx.close();
});
