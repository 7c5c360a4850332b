// Issue 12 in a real browser: names that try to break out of the page <title> and a <textarea> run
// nothing even with the Content-Security-Policy switched off (the escaping alone holds), and every
// page of the storefront, portal, office and till meets that policy (no violation reported).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, startPos, launchBrowser, signIn } from './support.mjs';

// Each one counts in window.__xss if any part of it ever runs.
const RUN = 'window.__xss=(window.__xss||0)+1';
const NAME = `</title><img src=x onerror="${RUN}"><script>${RUN}</script>Mực một nắng`;
const DESCRIPTION = `</textarea><img src=x onerror="${RUN}"><script>${RUN}</script>Mực câu tẩm ướp`;
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

// A page that ran none of the hostile text, and holds none of it as markup.
async function assertInert(page, where) {
  assert.equal(await page.evaluate(() => window.__xss ?? 0), 0, `${where}: a script ran`);
  assert.equal(await page.locator('img[src="x"]').count(), 0, `${where}: an injected image`);
  assert.equal(await page.locator('script').count(), 0, `${where}: a script element`);
}

test('a title and a textarea holding markup run nothing, even with the CSP off', async () => {
  // bypassCSP: the page's policy is ignored, so only the escaping stands between the text and a script.
  const dialogs = [];
  const producer = await browser.newContext({ bypassCSP: true });
  const page = await producer.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await signIn(page, server.base, 'chuthe@ocop.local');
  await page.goto(`${server.base}/portal/products/new`);
  await page.getByLabel('Tên tiếng Việt').fill(NAME);
  await page.getByLabel('Tên tiếng Anh').fill(NAME);
  await page.getByLabel(/^Loại/).fill('Mực khô');
  await page.getByLabel('Mô tả tiếng Việt').fill(DESCRIPTION);
  await page.getByLabel('SKU').fill('XSS-TT-1');
  await page.getByLabel('Quy cách (tiếng Việt)').fill('Khay 300 g');
  await page.getByLabel('Giá (đồng)').fill('210.000');
  await page.getByRole('button', { name: 'Tạo sản phẩm' }).click();
  await page.waitForURL(/\/portal\/products\/\d+\?notice=created$/);
  const editor = page.url().split('?')[0];
  await assertInert(page, 'the producer\'s editor');
  assert.equal(await page.locator('#description_vi').inputValue(), DESCRIPTION, 'the description stays in its field, whole');

  // The office opens that producer's editor.
  const officeContext = await browser.newContext({ bypassCSP: true });
  const office = await officeContext.newPage();
  office.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await signIn(office, server.base, 'vanphong@ocop.local');
  await office.goto(editor);
  await assertInert(office, 'the office in the editor');
  assert.equal(await office.locator('#description_vi').inputValue(), DESCRIPTION);
  assert.equal(await office.locator('#name_vi').inputValue(), NAME);

  // Every visitor of the public page, on a phone and a desktop.
  const slug = await office.evaluate(async (url) => {
    const html = await (await fetch(url)).text();
    return html.match(/href="\/products\/([^"]+)"/)?.[1];
  }, editor);
  assert.ok(slug, 'the editor links to the public page');
  for (const viewport of [{ width: 390, height: 844 }, { width: 1366, height: 900 }]) {
    const visitor = await browser.newContext({ bypassCSP: true, viewport });
    const shop = await visitor.newPage();
    shop.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await shop.goto(`${server.base}/products/${slug}`);
    assert.equal(await shop.title(), `${NAME} — OCOP`, 'the tab shows the name as typed');
    await assertInert(shop, `the product page at ${viewport.width}px`);
    // Shown whole: the long name wraps inside the screen instead of running off it.
    const overflow = await shop.locator('h1').evaluate((h) => h.scrollWidth - h.clientWidth);
    assert.ok(overflow <= 0, `the name overflows its heading by ${overflow}px at ${viewport.width}px`);
    await shop.screenshot({ path: `test-results/xss-product-${viewport.width}.png`, fullPage: false });
    // Seen again from the page cache: still the same.
    await shop.reload();
    await assertInert(shop, 'the cached product page');
    await shop.goto(`${server.base}/products?q=${encodeURIComponent('mực một nắng')}`);
    await assertInert(shop, 'search results');
    await visitor.close();
  }
  assert.deepEqual(dialogs, []);
  await producer.close();
  await officeContext.close();
});

// Collects every CSP violation a page reports (the listener is added before any page script could run).
async function watchedContext(options = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return context;
}

// The marketplace runs no script at all; the till runs one file of its own (its keys), never inline code.
async function visit(page, url, found, { ownScript = false } = {}) {
  const res = await page.goto(url);
  assert.ok(res.status() < 500, `${url}: ${res.status()}`);
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.match(csp, ownScript ? /script-src 'self';/ : /script-src 'none'/, `${url}: CSP header`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${url}: CSP header`);
  const violations = await page.evaluate(() => window.__violations);
  for (const v of violations) found.push(`${url}: ${v}`);
  const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => ({ src: e.getAttribute('src'), text: e.textContent })));
  const foreign = scripts.filter((x) => !(ownScript && /^\/assets\/pos\.js\?v=[0-9a-f]+$/.test(x.src ?? '') && x.text === ''));
  if (foreign.length) found.push(`${url}: <script> elements ${JSON.stringify(foreign)}`);
}

test('every page of the storefront, portal and office meets its Content-Security-Policy', async () => {
  const found = [];
  const anon = await (await watchedContext()).newPage();
  for (const path of ['/', '/products', '/products?q=nuoc+mam', '/products?group=food&stars=4', '/cart', '/orders',
    '/account/sign-in', '/account/sign-up', '/account/reset', '/no-such-page']) {
    await visit(anon, `${server.base}${path}`, found);
  }
  await anon.goto(`${server.base}/products`);
  const product = await anon.locator('a[href^="/products/"]').first().getAttribute('href');
  await visit(anon, `${server.base}${product}`, found);
  // Buying: the cart, checkout and the order page, with its VietQR code when offered.
  await anon.locator('form[action="/cart/add"] button[type="submit"]').first().click();
  await visit(anon, `${server.base}/cart`, found);
  await visit(anon, `${server.base}/checkout`, found);
  const producer = await (await watchedContext()).newPage();
  await signIn(producer, server.base, 'chuthe@ocop.local');
  for (const path of ['/account', '/portal', '/portal/products/new', '/portal/orders', '/portal/combos', '/portal/import',
    '/portal/channels', '/portal/sales']) {
    await visit(producer, `${server.base}${path}`, found);
  }
  const office = await (await watchedContext()).newPage();
  await signIn(office, server.base, 'vanphong@ocop.local');
  for (const path of ['/office', '/office/certificates', '/office/producers', '/office/users', '/office/showrooms',
    '/office/audit', '/office/channels', '/office/dashboard', '/office/report']) {
    await visit(office, `${server.base}${path}`, found);
  }
  await office.screenshot({ path: 'test-results/csp-office-report.png', fullPage: false });
  assert.deepEqual(found, []);
});

test('the till\'s screens meet their Content-Security-Policy', async () => {
  const pos = await startPos(server.base);
  try {
    const found = [];
    const context = await watchedContext({ viewport: { width: 1366, height: 768 } });
    const till = await context.newPage();
    const own = { ownScript: true };
    await visit(till, `${pos.base}/setup`, found, own);
    await till.locator('input[name="manager_name"]').fill('Nguyễn Thị Hoà');
    await till.locator('input[name="manager_pin"]').fill('2468');
    await till.getByRole('button', { name: 'Dùng thử / Demo mode' }).click();
    await till.waitForURL(/\/signin$/);
    await visit(till, `${pos.base}/signin`, found, own);
    await till.locator('input[name="pin"]').fill('2468');
    await till.getByRole('button', { name: 'Đăng nhập / Sign in' }).click();
    await till.locator('input[name="float"]').fill('500000');
    await till.getByRole('button', { name: 'Mở ca / Open shift' }).click();
    await till.waitForURL(/\/sell$/);
    for (const path of ['/sell', '/refund', '/stock', '/staff', '/shift/close']) {
      await visit(till, `${pos.base}${path}`, found, own);
    }
    // The stylesheet applies (it used to be inline, which the policy now refuses).
    const background = await till.locator('#status').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(background, 'rgb(15, 81, 50)', 'the status bar is styled from /assets/pos.css');
    // The key script runs under the policy: F2 puts the focus in the scan field.
    await till.goto(`${pos.base}/sell`);
    await till.locator('body').click({ position: { x: 5, y: 300 } });
    await till.keyboard.press('F2');
    assert.equal(await till.locator('#scan:focus').count(), 1, 'the till\'s own script runs');
    await till.screenshot({ path: 'test-results/csp-till-1366.png', fullPage: false });
    await till.setViewportSize({ width: 1024, height: 768 });
    await visit(till, `${pos.base}/sell`, found, own);
    await till.screenshot({ path: 'test-results/csp-till-1024.png', fullPage: false });
    assert.deepEqual(found, []);
  } finally {
    await pos.stop();
  }
});
