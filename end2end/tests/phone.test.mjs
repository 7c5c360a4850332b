// The shopper's pages on a phone (375×667, 390×844) and a desktop (1366×900, 1024×768), with JavaScript off
// and on: nothing visible runs past the right edge, the header stays compact, the add-to-cart
// button and the cart total are on screen without scrolling sideways, and no page breaks its
// Content-Security-Policy. A screenshot of each page at each width is left in
// test-results/phone-<page>-<width>.png for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, signIn, listProduct, fillAddress, overflowing } from './support.mjs';

const PHOTO = fileURLToPath(new URL('../fixtures/muc-mot-nang.png', import.meta.url));
// Long on purpose: the cart must show it whole, not a word a line.
const LONG_NAME = 'Mực một nắng Phan Thiết loại đặc biệt tẩm sa tế cay, câu đêm ở Mũi Né';
const VIEWPORTS = [
  { width: 375, height: 667 },
  { width: 390, height: 844 },
  { width: 1366, height: 900 },
  { width: 1024, height: 768 },
];

let server, browser, storageState, orderPath, productPath;

before(async () => {
  mkdirSync('test-results', { recursive: true });
  server = await startServer();
  browser = await launchBrowser();

  // A producer lists a product with a long name, two sizes in stock and a photo.
  await listProduct(browser, server.base, {
    name: LONG_NAME,
    nameEn: 'Sun-dried squid, Phan Thiết, special grade with chilli',
    category: 'Mực khô',
    sizes: [{ sku: 'PHONE-300', size: 'Khay 300 g', price: '210.000' }, { sku: 'PHONE-1K', size: 'Túi 1 kg', price: '650000' }],
    stock: 20,
    photo: PHOTO,
  });

  // A signed-in shopper buys once cash on delivery, then fills the cart again with three lines.
  const shopper = await browser.newContext({ javaScriptEnabled: false });
  const page = await shopper.newPage();
  await signIn(page, server.base, 'khach@ocop.local');
  await page.goto(`${server.base}/products?q=muc+mot+nang+phan+thiet`);
  productPath = await page.locator('.card h3 a', { hasText: 'loại đặc biệt' }).first().getAttribute('href');
  assert.ok(productPath, 'the new product is listed');
  const add = async (path, size) => {
    await page.goto(server.base + path);
    if (size) await page.locator('.size-chip', { hasText: size }).click();
    await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
    await page.waitForURL(/\/cart\?notice=added/);
  };
  await add('/products/nuoc-mam-ca-den');
  await page.goto(`${server.base}/checkout`);
  await fillAddress(page, '0912 345 678');
  await page.getByLabel(/Thanh toán khi nhận hàng/).check();
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=/);
  orderPath = new URL(page.url()).pathname + new URL(page.url()).search;
  await add(productPath, 'Túi 1 kg');
  await add('/products/nuoc-mam-ca-den');
  await add('/combos/qua-bien-phan-thiet');
  storageState = await shopper.storageState();
  await shopper.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function pages() {
  return [
    ['home', '/'],
    ['catalogue', '/products'],
    ['search', '/products?q=nuoc+mam'],
    ['product', productPath],
    ['combo', '/combos/qua-bien-phan-thiet'],
    ['producer', '/producers/htx-thanh-long-sach-hoa-le'],
    ['cart', '/cart'],
    ['checkout', '/checkout'],
    ['order', orderPath],
    ['lookup', '/orders'],
    ['account', '/account'],
    ['verify', '/verify/BTH-2025-001'],
    ['404', '/khong-co-trang-nay'],
  ];
}

// Whether the element is wholly inside the viewport as the page first shows it.
function onScreen(selector) {
  const el = document.querySelector(selector);
  if (!el) return `${selector}: missing`;
  const r = el.getBoundingClientRect();
  const ok = r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= document.documentElement.clientWidth;
  return ok ? '' : `${selector}: ${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)} in ${window.innerWidth}×${window.innerHeight}`;
}

for (const js of [false, true]) {
  test(`every shopper page fits a phone and a desktop, JavaScript ${js ? 'on' : 'off'}`, async () => {
    const problems = [];
    for (const viewport of VIEWPORTS) {
      const phone = viewport.width < 800;
      const context = await browser.newContext({ viewport, javaScriptEnabled: js, storageState });
      await context.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const page = await context.newPage();
      for (const [name, path] of pages()) {
        const where = `${name} at ${viewport.width}px, JS ${js ? 'on' : 'off'}`;
        const res = await page.goto(server.base + path);
        assert.equal(res.status(), name === '404' ? 404 : 200, `${where}: status`);
        await page.waitForLoadState('load');
        for (const o of await page.evaluate(overflowing)) problems.push(`${where}: ${o}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (scroll > 0) problems.push(`${where}: the page scrolls sideways by ${scroll}px`);
        const header = await page.locator('header.top').boundingBox();
        if (phone && header.height > 64) problems.push(`${where}: header ${header.height}px tall`);
        if (name === 'product') {
          const off = await page.evaluate(onScreen, 'form.buy button.add');
          if (off) problems.push(`${where}: add to cart not on the first screen: ${off}`);
          assert.equal(await page.locator('.size-chip').count(), 2, `${where}: two size chips`);
        }
        if (name === 'cart') {
          const off = await page.evaluate(onScreen, '#cart-subtotal');
          if (off) problems.push(`${where}: cart total not on screen: ${off}`);
          assert.equal(await page.locator('.cart-lines .line').count(), 3, `${where}: three lines`);
        }
        if (['home', 'catalogue', 'search', 'producer'].includes(name)) {
          const cards = await page.locator('.card').count();
          if (cards === 0) problems.push(`${where}: no product cards`);
        }
        // The count in the header is a picture the page loads; it must have loaded.
        const count = await page.locator('img.cart-count').evaluate((img) => img.complete && img.naturalWidth > 0);
        if (!count) problems.push(`${where}: the cart count did not load`);
        if (js) {
          for (const v of await page.evaluate(() => window.__violations)) problems.push(`${where}: CSP ${v}`);
        } else {
          await page.screenshot({ path: `test-results/phone-${name}-${viewport.width}.png`, fullPage: true });
        }
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}

test('in English, the narrowest phone still fits every shopper page', async () => {
  const context = await browser.newContext({ viewport: VIEWPORTS[0], javaScriptEnabled: false, storageState });
  await context.addCookies([{ name: 'lang', value: 'en', url: server.base }]);
  const page = await context.newPage();
  const problems = [];
  for (const [name, path] of pages()) {
    await page.goto(server.base + path);
    for (const o of await page.evaluate(overflowing)) problems.push(`${name} in English: ${o}`);
    const header = await page.locator('header.top').boundingBox();
    if (header.height > 64) problems.push(`${name} in English: header ${header.height}px tall`);
  }
  assert.match(await page.locator('html').getAttribute('lang'), /^en$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone without JavaScript: the menu and the filters open, sizes are chosen, the count counts', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, javaScriptEnabled: false, storageState });
  const page = await context.newPage();
  await page.goto(`${server.base}/products?q=muc+mot+nang`);
  assert.equal(await page.getByRole('link', { name: 'Giỏ hàng' }).count(), 1, 'the cart icon link has a name');
  assert.equal(await page.getByRole('link', { name: 'Tra cứu đơn' }).isVisible(), false, 'menu folded');
  await page.locator('label.menu-btn').click();
  assert.equal(await page.getByRole('link', { name: 'Tra cứu đơn' }).isVisible(), true, 'menu open');
  await page.screenshot({ path: 'test-results/phone-menu-375.png' });
  await page.locator('label.menu-btn').click();

  // Results come before the filters, which open under their button.
  const firstCard = await page.locator('.card').first().boundingBox();
  assert.ok(firstCard.y < 667, `the first result starts on the first screen (${firstCard.y}px)`);
  assert.equal(await page.locator('select[name=group]').isVisible(), false, 'filters folded');
  await page.locator('label.filter-btn').click();
  await page.selectOption('select[name=group]', 'food');
  await page.screenshot({ path: 'test-results/phone-filters-375.png', fullPage: true });
  await page.getByRole('button', { name: 'Lọc' }).click();
  await page.waitForURL(/group=food/);
  // The producer's photo is on its card, at the sizes made for it.
  const img = page.locator('.card', { hasText: 'loại đặc biệt' }).locator('img.photo');
  assert.match(await img.getAttribute('srcset'), /\/media\/\S+ \d+w/);
  assert.equal(await img.getAttribute('loading'), 'lazy');

  // The second size, chosen as a chip, is what lands in the cart.
  await page.goto(server.base + productPath);
  await page.locator('.size-chip', { hasText: 'Khay 300 g' }).click();
  await page.locator('.buy-bar input[name=qty]').fill('2');
  await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await page.waitForURL(/\/cart\?notice=added/);
  assert.match(await page.locator('.cart-lines').innerText(), /Khay 300 g/);
  const svg = await (await context.request.get(`${server.base}/cart/count.svg`)).text();
  assert.match(svg, />5</, 'three lines of one and one of two');
  // − and + change a line without JavaScript.
  const line = page.locator('.line', { hasText: 'Khay 300 g' });
  await line.getByRole('button', { name: 'Bớt một' }).click();
  await page.waitForURL(/\/cart$/);
  assert.equal(await page.locator('.line', { hasText: 'Khay 300 g' }).locator('input[type=number]').inputValue(), '1');
  await page.screenshot({ path: 'test-results/phone-cart-stepped-375.png', fullPage: true });

  // The check itself sees a button pushed past the edge (a guard against a check that finds nothing).
  await page.evaluate(() => {
    const probe = document.createElement('button');
    probe.textContent = 'probe';
    probe.style.marginLeft = '360px';
    document.querySelector('main').append(probe);
  });
  assert.ok((await page.evaluate(overflowing)).some((o) => o.includes('"probe"')), 'the overflow check finds a wide button');
  await context.close();
});
