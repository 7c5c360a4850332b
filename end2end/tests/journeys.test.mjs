// Two people buying on a phone (390×844, JavaScript off), start to finish:
//  - a Vietnamese shopper who types with a typo, filters, picks a size on a photo card's product,
//    checks out, is thanked, and follows the order as its maker ships it and the office records
//    the delivery;
//  - a tourist reading in English who buys a gift combo with a German phone number.
// Screenshots of each step are left in test-results/journey-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, signIn, listProduct, fillAddress } from './support.mjs';

const PHOTO = fileURLToPath(new URL('../fixtures/muc-mot-nang.png', import.meta.url));
const PHONE = { width: 390, height: 844 };
const NAME = 'Kẹo hạt điều rang muối Năm Trang';
const OFFICE = 'e2e-office-token';

let server, browser;

before(async () => {
  mkdirSync('test-results', { recursive: true });
  server = await startServer({ OFFICE_TOKEN: OFFICE });
  browser = await launchBrowser();

  // A producer lists a cashew sweet in two sizes, with stock and a photo.
  await listProduct(browser, server.base, {
    name: NAME,
    nameEn: 'Salted roast cashew sweets, Năm Trang',
    category: 'hạt điều',
    sizes: [{ sku: 'JOURNEY-200', size: 'Hộp 200 g', price: '85.000' }, { sku: 'JOURNEY-500', size: 'Hộp 500 g', price: '190000' }],
    stock: 10,
    photo: PHOTO,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a shopper on a phone searches with a typo, filters, buys a size and follows the parcel', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, server.base, 'khach@ocop.local');
  await page.goto(server.base);

  // "đìu" for "điều": the search reads it as meant and says so.
  await page.locator('header .search input[name=q]').fill('kẹo hạt đìu');
  await page.locator('header .search button').click();
  await page.waitForURL(/\/products\?q=/);
  assert.match(await page.locator('#did-you-mean').innerText(), /Bạn có muốn tìm: kẹo hạt điều/);
  const card = page.locator('.card', { hasText: NAME });
  assert.equal(await card.count(), 1, 'the new product is among the results');
  const firstCard = await page.locator('.card').first().boundingBox();
  assert.ok(firstCard.y < PHONE.height, 'results start on the first screen');
  await page.screenshot({ path: 'test-results/journey-search-390.png', fullPage: true });

  // Filters open under their button; food products only.
  await page.locator('label.filter-btn').click();
  await page.selectOption('select[name=group]', 'food');
  await page.getByRole('button', { name: 'Lọc' }).click();
  await page.waitForURL(/group=food/);
  assert.equal(await page.locator('.card', { hasText: NAME }).count(), 1, 'still there once filtered');
  // Its card shows the producer's photo, at the sizes made for it.
  const img = page.locator('.card', { hasText: NAME }).locator('img.photo');
  assert.match(await img.getAttribute('srcset'), /\/media\/\S+ \d+w/);

  // The larger size, chosen as a chip, two of them.
  await page.locator('.card', { hasText: NAME }).locator('h3 a').click();
  await page.locator('.size-chip', { hasText: 'Hộp 500 g' }).click();
  await page.locator('.buy-bar input[name=qty]').fill('2');
  await page.screenshot({ path: 'test-results/journey-product-390.png' });
  await page.getByRole('button', { name: 'Thêm vào giỏ' }).click();
  await page.waitForURL(/\/cart\?notice=added/);
  assert.match(await page.locator('.cart-lines').innerText(), /Hộp 500 g/);
  assert.equal(await page.locator('#cart-subtotal').innerText(), '380.000 ₫');

  // Checkout, and the thanks on the first view of the order.
  await page.goto(`${server.base}/checkout`);
  await fillAddress(page, '0912 345 678', 'Nguyễn Thị Hoà');
  await page.getByLabel(/Thanh toán khi nhận hàng/).check();
  await page.getByRole('button', { name: 'Đặt hàng' }).click();
  await page.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=.*placed=1/);
  const orderUrl = page.url().replace('&placed=1', '');
  const number = await page.locator('#order-number').innerText();
  assert.match(await page.locator('#thank-you').innerText(), /Cảm ơn bạn đã đặt hàng/);
  const timeline = page.locator('#order-timeline');
  assert.match(await timeline.innerText(), /Đã đặt hàng[\s\S]*Người bán đã đóng gói[\s\S]*Đã giao hàng/);
  assert.match(await page.locator('#order-estimate').innerText(), /\d{2}\/\d{2} – \d{2}\/\d{2}\/\d{4}/);
  await page.screenshot({ path: 'test-results/journey-thanks-390.png', fullPage: true });

  // The maker ships it with a GHN tracking number.
  const maker = await browser.newContext({ javaScriptEnabled: false });
  const portal = await maker.newPage();
  await signIn(portal, server.base, 'chuthe@ocop.local');
  await portal.goto(`${server.base}/portal/orders`);
  const order = portal.locator(`#f-${number}`);
  await order.locator('input[name=tracking]').fill('GHN-5566778899');
  await order.locator('select[name=carrier]').selectOption('ghn');
  await order.getByRole('button', { name: 'Đã gửi hàng' }).click();
  await portal.waitForURL(/notice=shipped/);
  const memberName = (await (await portal.goto(`${server.base}/account`)).text()).match(/id="account-name">([^<]+)</)[1];
  await maker.close();

  // Back on the order page: on its way, with the parcel to follow and no staff names.
  await page.goto(orderUrl);
  assert.equal(await page.locator('#thank-you').count(), 0, 'thanks only on the first view');
  assert.match(await page.locator('#order-status').innerText(), /Đang giao/);
  const step = page.locator('#order-timeline .step.done', { hasText: 'Đã giao cho đơn vị vận chuyển' });
  assert.equal(await step.count(), 1, 'shipped is done on the timeline');
  const link = page.locator('#order-parcels a', { hasText: 'GHN-5566778899' });
  assert.equal(await link.getAttribute('href'), 'https://donhang.ghn.vn/?order_code=GHN-5566778899');
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes(memberName), `the member's name (${memberName}) is not shown`);
  await page.screenshot({ path: 'test-results/journey-shipped-390.png', fullPage: true });

  // The courier hands it over; the office records the delivery, and the timeline ends there.
  const office = await context.request.post(`${server.base}/office/api/orders/${number}/status`, {
    headers: { authorization: `Bearer ${OFFICE}` },
    data: { status: 'delivered' },
  });
  assert.equal(office.status(), 200, await office.text());
  await page.goto(orderUrl);
  assert.equal(await page.locator('#order-timeline .step.done', { hasText: 'Đã giao hàng' }).count(), 1);
  assert.equal(await page.locator('#order-estimate').count(), 0, 'no estimate once it has arrived');
  await page.screenshot({ path: 'test-results/journey-delivered-390.png', fullPage: true });

  // And it is under "My orders" on the account page.
  await page.goto(`${server.base}/account`);
  const mine = page.locator('#my-orders');
  assert.match(await mine.innerText(), new RegExp(number));
  await mine.getByRole('link', { name: new RegExp(number) }).click();
  await page.waitForURL(new RegExp(`/orders/${number}\\?key=`));
  await page.goto(`${server.base}/account`);
  await page.screenshot({ path: 'test-results/journey-account-390.png', fullPage: true });
  await context.close();
});

test('a tourist reading in English buys a gift combo with a German phone number', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  await context.addCookies([{ name: 'lang', value: 'en', url: server.base }]);
  const page = await context.newPage();
  await page.goto(`${server.base}/combos/qua-bien-phan-thiet`);
  const combo = await page.locator('main').innerText();
  // The combo's parts in English, sizes included.
  assert.match(combo, /500 ml bottle/);
  assert.match(combo, /500 g bag/);
  assert.ok(!/Chai 500 ml|Túi 500 g/.test(combo), 'no Vietnamese sizes on the English page');
  await page.screenshot({ path: 'test-results/journey-combo-en-390.png', fullPage: true });
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await page.waitForURL(/\/cart\?notice=added/);

  await page.goto(`${server.base}/checkout`);
  await page.getByLabel('Full name').fill('Anna Schmidt');
  await page.getByLabel('Phone').fill('+49 151 2345 6789');
  await page.getByLabel('Province or city').selectOption('lam-dong');
  await page.getByLabel(/Commune/).fill('Phường Mũi Né');
  await page.getByLabel(/House number/).fill('Resort Sea Links, 12 Nguyễn Đình Chiểu');
  await page.screenshot({ path: 'test-results/journey-checkout-en-390.png', fullPage: true });
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/OCOP-\d{4}-\d{6}\?key=/);
  assert.match(await page.locator('#thank-you').innerText(), /Thank you for your order/);
  assert.match(await page.locator('main').innerText(), /\+4915123456789/);
  assert.match(await page.locator('#order-timeline').innerText(), /Order placed/);
  await page.screenshot({ path: 'test-results/journey-order-en-390.png', fullPage: true });
  await context.close();
});
