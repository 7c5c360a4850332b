// The OCOP evaluation, end to end in the browser, with no JavaScript, by the five people it takes:
// the office opens a round and seats a council; the producer files a dossier for a product whose
// certificate has lapsed, fills the registration form and attaches its papers as PDFs and a photo;
// the commune officer proposes it; the office records the samples and accepts it; two council
// members score it on the sheet (neither sees the other's sheet first); the secretary closes the
// scoring; the office ranks the round, reads the results sheet and records the province's decision.
// Then the product's badge, its public /verify page, the /ocop registry and the dashboard's targets
// all show the new certificate. Pages are photographed at a phone and a desktop width and checked
// for anything past the viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launchBrowser, signIn, overflowing, photo } from './support.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
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

const problems = [];
async function look(page, name) {
  await page.screenshot({ path: `test-results/eval-${name}.png`, fullPage: true });
  for (const o of await page.evaluate(overflowing)) problems.push(`${name}: ${o}`);
}

// A small, whole PDF: one page of text in a compressed stream.
function pdf(title) {
  const text = `BT /F1 14 Tf 72 720 Td (${title}) Tj ET`;
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
    `4 0 obj << /Length ${text.length} >>`,
    'stream',
    text,
    'endstream',
    'endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n');
  return Buffer.from(body, 'latin1');
}

async function context(viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, javaScriptEnabled: false });
  return [ctx, await ctx.newPage()];
}

/** Picks, on every criterion of the score sheet, the option worth the most points. */
async function scoreBest(page) {
  const criteria = page.locator('fieldset.criterion');
  const n = await criteria.count();
  assert.ok(n >= 10, `the sheet lists its criteria (${n})`);
  for (let i = 0; i < n; i++) {
    const options = criteria.nth(i).locator('label.option');
    const points = (await options.locator('.points').allInnerTexts()).map((t) => parseInt(t, 10));
    await options.nth(points.indexOf(Math.max(...points))).locator('input').check();
  }
  return n;
}

test('a dossier goes from the producer through the commune and the council to a certificate the public can check', async () => {
  // 1. The office opens a round on the loaded sheet and seats two council members.
  const [officeCtx, office] = await context();
  await signIn(office, server.base, 'vanphong@ocop.local');
  await office.goto(`${server.base}/office/rounds`);
  assert.match(await office.locator('#sheets').innerText(), /mẫu minh hoạ/, 'the sample sheet is labelled as such');
  await office.locator('#label').fill('Đợt 2 năm 2026');
  await office.locator('#year').fill('2026');
  await office.locator('#deadline').fill('2026-12-20');
  await office.getByRole('button', { name: 'Mở kỳ' }).click();
  await office.waitForURL(/\/office\/rounds\/\d+\?notice=opened$/);
  const roundUrl = office.url().split('?')[0];
  await office.locator('#user_id').selectOption({ label: 'Thành viên hội đồng mẫu 1' });
  await office.locator('#seat input[name=secretary]').check();
  await office.getByRole('button', { name: 'Phân công' }).click();
  await office.waitForURL(/notice=seated/);
  await office.locator('#user_id').selectOption({ label: 'Thành viên hội đồng mẫu 2' });
  await office.getByRole('button', { name: 'Phân công' }).click();
  await office.waitForURL(/notice=seated/);
  const council = await office.locator('#council').innerText();
  assert.match(council, /mẫu 1\s*thư ký/);
  assert.match(council, /mẫu 2/);
  await look(office, 'round-desktop');

  // The badge and the dashboard before: the product's certificate has lapsed.
  await office.goto(`${server.base}/office/dashboard`);
  const reBefore = parseInt(await office.locator('#target-reevaluations td.num').first().innerText(), 10);

  // 2. The producer starts a dossier, fills the form, attaches the papers, and submits.
  const [producerCtx, producer] = await context(PHONE);
  await signIn(producer, server.base, 'chuthe@ocop.local');
  await producer.goto(`${server.base}/portal/dossiers`);
  await look(producer, 'dossiers-phone-empty');
  await producer.locator('#product_id').selectOption({ label: 'Rong nho tươi' });
  await producer.getByRole('button', { name: 'Tạo hồ sơ' }).click();
  await producer.waitForURL(/\/portal\/dossiers\/\d+\?notice=started$/);
  const dossierPath = new URL(producer.url()).pathname;
  const id = dossierPath.split('/').pop();
  assert.match(await producer.locator('#missing').innerText(), /Giấy đăng ký kinh doanh/);
  await producer.locator('#registered_name').fill('Rong nho tươi Phan Thiết');
  await producer.locator('#annual_output').fill('8.000 hộp 200 g');
  await producer.locator('#raw_materials').fill('Rong nho nuôi tại vùng biển Phan Thiết');
  await producer.locator('#story').fill('<b>Trứng cá</b> xanh của biển — nuôi từ 2015');
  await producer.getByRole('button', { name: 'Lưu', exact: true }).click();
  await producer.waitForURL(/notice=saved/);
  // Submitting too early names what is missing.
  await producer.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  assert.match(await producer.locator('#state').innerText(), /thiếu giấy tờ bắt buộc: Giấy đăng ký kinh doanh/);
  const papers = [
    ['business_registration', 'dang-ky-kinh-doanh.pdf'],
    ['quality_declaration', 'tu-cong-bo.pdf'],
    ['food_safety_test', 'phieu-kiem-nghiem.pdf'],
    ['food_safety_establishment', 'giay-atttp.pdf'],
  ];
  for (const [kind, name] of papers) {
    await producer.locator('#doc-kind').selectOption(kind);
    await producer.locator('#doc-file').setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf(name) });
    await producer.getByRole('button', { name: 'Tải lên' }).click();
    await producer.waitForURL(/notice=attached/);
  }
  // The label as a phone photo; and a file that is not a document is refused with a reason.
  await producer.locator('#doc-kind').selectOption('label');
  await producer.locator('#doc-file').setInputFiles({ name: 'nhan.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') });
  await producer.getByRole('button', { name: 'Tải lên' }).click();
  assert.match(await producer.locator('#upload').innerText(), /Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP/);
  const png = photo(120, 80);
  await producer.locator('#doc-kind').selectOption('label');
  await producer.locator('#doc-file').setInputFiles({ name: 'nhan-mat-sau.png', mimeType: 'image/png', buffer: png });
  await producer.getByRole('button', { name: 'Tải lên' }).click();
  await producer.waitForURL(/notice=attached/);
  assert.equal(await producer.locator('#missing').count(), 0, 'nothing required is missing now');
  assert.equal(await producer.locator('#documents li.doc').count(), 5);
  await look(producer, 'dossier-phone-draft');
  await producer.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await producer.waitForURL(/notice=step/);
  assert.match(await producer.locator('#state').innerText(), /Chờ UBND xã kiểm tra/);
  assert.equal(await producer.locator('#fields input, #fields textarea').count(), 0, 'a submitted dossier is read, not edited');
  assert.match(await producer.locator('#fields').innerText(), /<b>Trứng cá<\/b>/, 'typed markup is shown as text');

  // 3. The commune officer finds it waiting and proposes it to the province.
  const [communeCtx, commune] = await context(PHONE);
  await signIn(commune, server.base, 'xa@ocop.local');
  assert.match(commune.url(), /\/office\/dossiers$/, 'a commune officer lands at the commune\'s dossiers');
  assert.match(await commune.locator('#dossiers').innerText(), /Rong nho tươi[\s\S]*chờ bạn/);
  await look(commune, 'commune-list-phone');
  await commune.locator('#dossiers a', { hasText: 'Rong nho tươi' }).click();
  const doc = await commune.request.get(`${server.base}/dossiers/${id}/documents/1`);
  assert.equal(doc.status(), 200, 'the commune reads the papers');
  assert.equal(doc.headers()['content-type'], 'application/pdf');
  // First it goes back with a reason; the producer reads it where it looks first and submits again.
  await commune.locator('#reason-commune_return').fill('Bổ sung số lượng sản xuất theo tháng');
  await commune.getByRole('button', { name: 'Trả lại cho chủ thể' }).click();
  await commune.waitForURL(/notice=step/);
  await producer.goto(`${server.base}${dossierPath}`);
  assert.match(await producer.locator('#return-reasons').innerText(), /Bổ sung số lượng sản xuất theo tháng/);
  await look(producer, 'dossier-phone-returned');
  await producer.locator('#annual_output').fill('8.000 hộp 200 g (700 hộp mỗi tháng)');
  await producer.getByRole('button', { name: 'Lưu', exact: true }).click();
  await producer.waitForURL(/notice=saved/);
  await producer.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await producer.waitForURL(/notice=step/);
  await commune.reload();
  await commune.getByRole('button', { name: 'Đề nghị lên tỉnh' }).click();
  await commune.waitForURL(/notice=step/);
  assert.match(await commune.locator('#state').innerText(), /Xã đã đề nghị/);

  // 4. The office sees it waiting on its home page, records the samples and accepts the dossier.
  await office.goto(`${server.base}/office`);
  assert.equal((await office.locator('#kpi-dossiers .kpi-value').innerText()).trim(), '1');
  await look(office, 'office-home-desktop');
  await office.locator('#kpi-dossiers').click();
  await office.locator('#dossiers a', { hasText: 'Rong nho tươi' }).click();
  assert.equal(new URL(office.url()).pathname, `/office/dossiers/${id}`);
  await office.locator('#received_on').fill('2026-11-25');
  await office.locator('#samples_note').fill('3 hộp 200 g');
  await office.getByRole('button', { name: 'Ghi nhận mẫu' }).click();
  await office.waitForURL(/notice=samples/);
  await office.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
  await office.waitForURL(/notice=step/);
  await look(office, 'dossier-office-accepted');

  // 5. Two council members score it, each alone; the secretary closes the scoring.
  const [m2Ctx, m2] = await context();
  await signIn(m2, server.base, 'hoidong2@ocop.local');
  await m2.setViewportSize(PHONE);
  await m2.goto(`${server.base}/office/dossiers/${id}/score`);
  await scoreBest(m2);
  await look(m2, 'score-sheet-phone');
  await m2.getByRole('button', { name: 'Nộp phiếu' }).click();
  await m2.waitForURL(/notice=scored/);
  const [m1Ctx, m1] = await context();
  await signIn(m1, server.base, 'hoidong1@ocop.local');
  await m1.goto(`${server.base}/office/dossiers/${id}/score`);
  assert.equal(await m1.locator('#members-scores').count(), 0, 'no one else\'s sheet before submitting one\'s own');
  const criteria = await scoreBest(m1);
  // A lower option on the first criterion that is not mandatory, with a note.
  const plain = m1.locator('fieldset.criterion:not(:has(.pill))').first();
  const plainPoints = (await plain.locator('label.option .points').allInnerTexts()).map((t) => parseInt(t, 10));
  await plain.locator('label.option').nth(plainPoints.indexOf(Math.min(...plainPoints))).locator('input').check();
  await plain.locator('.note input').fill('Bao bì chưa ghi mã truy xuất');
  await m1.getByRole('button', { name: 'Lưu nháp' }).click();
  await m1.waitForURL(/notice=draft/);
  assert.equal(await m1.locator('fieldset.criterion input[type=radio]:checked').count(), criteria, 'the draft kept every choice');
  assert.equal(await plain.locator('.note input').inputValue(), 'Bao bì chưa ghi mã truy xuất');
  await look(m1, 'score-sheet-desktop');
  await m1.getByRole('button', { name: 'Nộp phiếu' }).click();
  await m1.waitForURL(/notice=scored/);
  await m1.goto(`${server.base}/office/dossiers/${id}/score`);
  assert.equal(await m1.locator('#members-scores tbody tr').count(), 2, 'both sheets once one\'s own is in');
  await m1.goto(`${server.base}/office/dossiers/${id}`);
  await m1.getByRole('button', { name: 'Kết thúc chấm điểm' }).click();
  await m1.waitForURL(/notice=step/);
  const mean = await m1.locator('#mean').innerText();
  assert.ok(parseFloat(mean.replace(',', '.')) >= 90, `scored ${mean}`);
  assert.match(await m1.locator('#outcome').innerText(), /đề nghị Trung ương xét 5 sao/);

  // 6. The office ranks the round, reads the results sheet, and records the province's decision.
  await office.goto(roundUrl);
  await office.getByRole('button', { name: /Đưa hồ sơ đã chấm vào bảng kết quả/ }).click();
  await office.waitForURL(/notice=ranked/);
  const results = await office.locator('#results').innerText();
  assert.match(results, /Rong nho tươi[\s\S]*4★ · đề nghị Trung ương xét 5★/);
  const csv = await office.request.get(`${roundUrl}/results.csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /Rong nho tươi/);
  await office.locator('#decision-number').fill('2468/QĐ-UBND');
  await office.locator('#decision-date').fill('2026-11-27');
  await office.getByRole('button', { name: /Ghi quyết định và cấp giấy chứng nhận/ }).click();
  await office.waitForURL(/notice=decided/);
  const number = (await office.locator('#results td.mono').first().innerText()).trim();
  assert.equal(number, '2468/QĐ-UBND-001');
  await look(office, 'round-decided-desktop');
  await office.setViewportSize(PHONE);
  await look(office, 'round-decided-phone');
  await office.setViewportSize(DESKTOP);

  // 7. What the public and the office see now.
  const [shopCtx, shop] = await context(PHONE);
  await shop.goto(`${server.base}/products/rong-nho-tuoi`);
  const badge = await shop.locator('main').innerText();
  assert.match(badge, /OCOP 4 sao/);
  assert.match(badge, /Đề nghị xét 5 sao/);
  await look(shop, 'product-proposed-five-phone');
  const verify = await shop.goto(`${server.base}/verify/${encodeURIComponent(number)}`);
  assert.equal(verify.status(), 200);
  const checked = await shop.locator('main').innerText();
  assert.match(checked, /Còn hiệu lực/);
  assert.match(checked, /Ngày quyết định\s*27\/11\/2026\s*Hiệu lực đến hết ngày\s*27\/11\/2029/, 'valid 36 months from the decision');
  await shop.goto(`${server.base}/ocop?year=2026&stars=4`);
  assert.match(await shop.locator('#registry').innerText(), /Rong nho tươi[\s\S]*2468\/QĐ-UBND-001/);
  await look(shop, 'registry-phone');
  await office.goto(`${server.base}/office/dashboard`);
  const reAfter = parseInt(await office.locator('#target-reevaluations td.num').first().innerText(), 10);
  assert.equal(reAfter, reBefore + 1, 'the dashboard counts the re-certified product (its old certificate had lapsed)');
  await producer.goto(`${server.base}${dossierPath}`);
  assert.match(await producer.locator('#state').innerText(), /Sản phẩm đã được công nhận OCOP[\s\S]*|Đã công nhận/);
  await look(producer, 'dossier-phone-certified');

  // 8. The Ministry's decision makes it five stars: the proposal gives way to the national badge.
  await office.goto(roundUrl);
  assert.ok(await office.locator('#ministry input[name=five]').isChecked(), 'the proposed product is ticked');
  await office.locator('#ministry-number').fill('1234/QĐ-BNNMT');
  await office.locator('#ministry-date').fill('2026-11-28');
  await office.locator('#ministry').getByRole('button').click();
  await office.waitForURL(/notice=decided/);
  assert.equal(await office.locator('#ministry').count(), 0, 'recorded once');
  await shop.goto(`${server.base}/products/rong-nho-tuoi`);
  const national = await shop.locator('main').innerText();
  assert.match(national, /OCOP 5 sao/);
  assert.doesNotMatch(national, /Đề nghị xét 5 sao/);
  assert.match(national, /Cấp quốc gia|Trung ương/);

  assert.deepEqual(problems, [], `nothing past the viewport:\n${problems.join('\n')}`);
  for (const c of [officeCtx, producerCtx, communeCtx, m1Ctx, m2Ctx, shopCtx]) await c.close();
});
