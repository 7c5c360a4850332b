// Traceability and recall, end to end in the browser with no JavaScript: the producer counts its
// online stock of a product to zero, records a production batch (inputs one step back, a quality
// test, units received online) and prints its QR labels; a shopper opens the label's GS1 Digital
// Link on a phone and reads the trace page (in Vietnamese, then English) and buys one; the producer
// packs that order naming the batch; the showroom till sells one by scanning the label. The office
// recalls the batch: the product page says so, a cart holding it is refused at checkout, the till
// refuses the batch at its next pull, and the recall lists the order and the showroom sale. Pages
// are photographed (phone, desktop, the till at 1366×768) and checked for anything past the viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, startPos, launchBrowser, signIn, fillAddress, overflowing, photo } from './support.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const TILL = { width: 1366, height: 768 };
const SHOWROOM = 'SR-TRACE';
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

const problems = [];
async function look(page, name) {
  await page.screenshot({ path: `test-results/trace-${name}.png`, fullPage: true });
  for (const o of await page.evaluate(overflowing)) problems.push(`${name}: ${o}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function submit(page, action) {
  const nav = page.waitForNavigation({ timeout: TIMEOUT });
  await action();
  await nav;
}

async function poll(what, probe, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) assert.fail(`${what}: not seen within ${timeout / 1000} s`);
    await sleep(300);
  }
}

async function page(viewport) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport });
  return ctx.newPage();
}

test('a batch is traced from its label to every sale, and its recall stops it online and at the till', async () => {
  const base = server.base;

  // The office adds a showroom and a till device; the till is paired and a shift opened.
  const office = await page(DESKTOP);
  await signIn(office, base, 'vanphong@ocop.local');
  await office.goto(`${base}/office/showrooms`);
  await office.locator('#sr-code').fill(SHOWROOM);
  await office.locator('#sr-name').fill('Điểm bán Bàu Trắng');
  await office.locator('#new-showroom').getByRole('button', { name: 'Thêm điểm bán' }).click();
  await office.waitForURL(/notice=saved$/);
  const block = office.locator(`#showroom-${SHOWROOM}`);
  await block.locator('input[name=name]').fill('Quầy 1');
  await block.getByRole('button', { name: 'Thêm máy và lấy mã ghép' }).click();
  const code = (await office.locator('#pairing-code').innerText()).trim();
  const till = await page(TILL);
  await till.goto(pos.base);
  await till.locator('input[name=manager_name]').fill('Lê Thị Hà');
  await till.locator('input[name=manager_pin]').fill('2468');
  await till.locator('input[name=code]').fill(code);
  await submit(till, () => till.getByRole('button', { name: 'Ghép máy / Pair' }).click());
  await till.locator('select[name=staff_id]').selectOption({ label: 'Lê Thị Hà' });
  await till.locator('input[name=pin]').fill('2468');
  await submit(till, () => till.getByRole('button', { name: 'Đăng nhập / Sign in' }).click());
  await till.locator('input[name=float]').fill('500.000');
  await submit(till, () => till.getByRole('button', { name: 'Mở ca / Open shift' }).click());
  assert.match(till.url(), /\/sell$/);

  // The producer counts the online stock of its first size to zero, then records a batch of 20
  // received online, with where its fish came from and a test result.
  const producer = await page(DESKTOP);
  await signIn(producer, base, 'chuthe@ocop.local');
  await producer.goto(`${base}/portal/batches`);
  assert.match(await producer.locator('.empty-state').innerText(), /Chưa có lô nào/);
  const size = producer.locator('#variant_id option').nth(1);
  const sizeValue = await size.getAttribute('value');
  const sizeLabel = (await size.innerText()).trim();
  const productName = sizeLabel.split(' — ')[0];
  const productId = await (async () => {
    await producer.goto(`${base}/portal`);
    const href = await producer.locator(`a[href^="/portal/products/"]`, { hasText: productName }).first().getAttribute('href');
    return href.split('/').pop().split('#')[0];
  })();
  await producer.goto(`${base}/portal/products/${productId}`);
  const stockForm = producer.locator(`#stock-${sizeValue}`);
  await stockForm.locator('select[name=location_id]').selectOption({ label: 'Kho bán hàng trực tuyến / Online warehouse' });
  await stockForm.locator('select[name=reason]').selectOption('counted');
  await stockForm.locator('input[name=qty]').fill('0');
  await submit(producer, () => stockForm.getByRole('button', { name: 'Ghi tồn kho' }).click());

  await producer.goto(`${base}/portal/batches`);
  await producer.locator('#variant_id').selectOption(sizeValue);
  await producer.locator('#code').fill('l2611-e2e');
  await producer.locator('#quantity').fill('20');
  await producer.locator('#produced_on').fill('2026-11-02');
  await producer.locator('#expires_on').fill('2028-11-01');
  await producer.locator('#location_id').selectOption({ label: 'Kho bán hàng trực tuyến / Online warehouse' });
  await producer.locator('#input_material_0').fill('Cá cơm than');
  await producer.locator('#input_origin_0').fill('Tàu BTh-96123-TS, ngư trường Phú Quý');
  await producer.locator('#input_received_on_0').fill('2026-10-30');
  await producer.locator('#test_name_0').fill('Histamine');
  await producer.locator('#test_result_0').fill('120 mg/kg (giới hạn 400)');
  await producer.locator('#test_lab_0').fill('Quatest 3');
  await look(producer, 'batch-form-desktop');
  await submit(producer, () => producer.getByRole('button', { name: 'Ghi lô' }).click());
  assert.match(producer.url(), /\/portal\/batches\/\d+\?notice=recorded$/, 'the batch page opens');
  const batchId = producer.url().match(/batches\/(\d+)/)[1];
  assert.match(await producer.locator('h1').innerText(), /L2611-E2E/);
  // A photo of the catch, published with the batch.
  await producer.locator('#doc-title').fill('Ảnh mẻ cá khi cập bến');
  await producer.locator('#doc-file').setInputFiles({ name: 'me-ca.png', mimeType: 'image/png', buffer: photo(160, 120) });
  await submit(producer, () => producer.getByRole('button', { name: 'Công bố' }).click());
  assert.match(producer.url(), /notice=attached/, 'the photo is published');
  assert.equal(await producer.locator('#documents img').count(), 1);
  await look(producer, 'batch-desktop');

  // Its label sheet: 24 QR labels on A4 by default, each carrying the Digital Link.
  await submit(producer, () => producer.getByRole('link', { name: 'In tem QR' }).click());
  assert.equal(await producer.locator('.label').count(), 24);
  assert.equal(await producer.locator('.label-qr svg').count(), 24, 'a QR code on every label');
  const link = (await producer.locator('#label-link').innerText()).trim();
  assert.match(link, /\/01\/\d{14}\/10\/L2611-E2E$/, `a GS1 Digital Link, got ${link}`);
  await look(producer, 'labels-desktop');

  // A shopper's phone opens the label: the trace page, in Vietnamese, then English.
  const shopper = await page(PHONE);
  await shopper.goto(link);
  assert.match(shopper.url(), new RegExp(`/trace/${batchId}$`), 'the Digital Link resolves to the trace page');
  const trace = await shopper.locator('article.trace').innerText();
  for (const part of ['L2611-E2E', 'Cá cơm than', 'Tàu BTh-96123-TS', 'Histamine', '02/11/2026', '01/11/2028', 'Ảnh mẻ cá khi cập bến']) {
    assert.ok(trace.includes(part), `${part} on the trace page`);
  }
  assert.equal(await shopper.locator('#documents img').count(), 1, 'the published photo shows');
  await look(shopper, 'trace-phone');
  await shopper.goto(`${base}/lang/en?next=/trace/${batchId}`);
  assert.match(await shopper.locator('article.trace').innerText(), /Inputs \(one step back\)/);
  await look(shopper, 'trace-phone-en');
  await shopper.goto(`${base}/lang/vi?next=/trace/${batchId}`);

  // The shopper buys one; the producer packs it naming the batch.
  await submit(shopper, () => shopper.locator('article.trace h1 a').click());
  await submit(shopper, () => shopper.getByRole('button', { name: 'Thêm vào giỏ' }).first().click());
  await shopper.goto(`${base}/checkout`);
  await fillAddress(shopper, '0912 345 678');
  await shopper.locator('input[name=email]').fill('khach@example.vn');
  await submit(shopper, () => shopper.getByRole('button', { name: 'Đặt hàng' }).click());
  const orderNo = (await shopper.locator('#order-number').innerText()).trim();
  await producer.goto(`${base}/portal/orders`);
  const card = producer.locator(`#f-${orderNo}`);
  const packed = card.locator(`select[name=batch_${sizeValue}]`);
  await packed.selectOption(await packed.locator('option', { hasText: 'L2611-E2E' }).getAttribute('value'));
  await card.locator('input[name=tracking]').fill('GHN12345678');
  await submit(producer, () => card.getByRole('button', { name: 'Đã gửi hàng' }).click());
  assert.match(producer.url(), /notice=shipped$/);

  // The till sells one by scanning the label (the scanner types the link and Enter).
  await till.goto(`${pos.base}/sell`);
  await till.locator('#scan').fill(link);
  await submit(till, () => till.locator('#scan').press('Enter'));
  assert.match(till.url(), /\/sell$/, 'the label scanned');
  assert.ok((await till.locator('#cart').innerText()).includes(productName), 'its product is in the sale');
  await till.locator('#tendered').fill('500.000');
  await submit(till, () => till.locator('#pay-tendered').click());
  const receipt = decodeURIComponent(till.url().split('done=')[1]);
  await look(till, 'till-sold-1366');

  // Another shopper has it in the cart when the office recalls the batch.
  const late = await page(PHONE);
  await late.goto(`${base}/trace/${batchId}`);
  await submit(late, () => late.locator('article.trace h1 a').click());
  const productUrl = late.url();
  await submit(late, () => late.getByRole('button', { name: 'Thêm vào giỏ' }).first().click());

  await poll('the sale on the marketplace', async () => {
    await office.goto(`${base}/office/showrooms`);
    return /Lần bán đã nhận từ quầy: 1/.test(await office.locator(`#sales-${SHOWROOM}`).innerText());
  });
  await office.goto(`${base}/office/recalls`);
  await office.locator('#batch_id').selectOption(await office.locator('#batch_id option', { hasText: 'L2611-E2E' }).getAttribute('value'));
  await office.locator('#reason').fill('Histamine vượt ngưỡng ở mẫu lưu');
  await submit(office, () => office.getByRole('button', { name: 'Mở thu hồi' }).click());
  assert.match(office.url(), /\/office\/recalls\/\d+\?notice=recalled$/);
  assert.ok((await office.locator('#recall-orders').innerText()).includes(orderNo), 'the recall lists the order');
  assert.ok((await office.locator('#recall-sales').innerText()).includes(receipt), 'and the showroom sale');
  assert.match(await office.locator('#notified').innerText(), /khach@example\.vn/, 'the shopper to notify');
  await look(office, 'recall-desktop');
  const recallUrl = office.url();

  // Online: the product page says so, and the cart holding it is refused at checkout.
  await late.goto(productUrl);
  assert.match(await late.locator('#product-recall').innerText(), /L2611-E2E/);
  await look(late, 'product-recalled-phone');
  await late.goto(`${base}/checkout`);
  await fillAddress(late, '0987 654 321');
  await submit(late, () => late.getByRole('button', { name: 'Đặt hàng' }).click());
  assert.match(late.url(), /\/cart\?notice=stock$/, 'sent back to the cart');
  assert.match(await late.locator('main').innerText(), /đang bị thu hồi/);
  await look(late, 'cart-recalled-phone');

  // The till, at its next pull, refuses the batch when its label is scanned.
  await poll('the recall at the till', async () => {
    await till.goto(`${pos.base}/sell`);
    await till.locator('#scan').fill(link);
    await submit(till, () => till.locator('#scan').press('Enter'));
    return (await till.locator('#error').count()) > 0;
  });
  assert.match(await till.locator('#error').innerText(), /đang bị thu hồi.*Histamine/s);
  await look(till, 'till-refused-1366');
  await till.setViewportSize({ width: 1024, height: 768 });
  await look(till, 'till-refused-1024');

  // The recall page on a phone, still listing both.
  const phoneOffice = await page(PHONE);
  await signIn(phoneOffice, base, 'vanphong@ocop.local');
  await phoneOffice.goto(recallUrl.replace(/\?.*/, ''));
  assert.ok((await phoneOffice.locator('#recall-sales').innerText()).includes(receipt));
  await look(phoneOffice, 'recall-phone');
  assert.deepEqual(problems, [], 'nothing a user needs sits outside the viewport');
});
