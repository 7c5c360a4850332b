// Starts the real server binary on a free port with a fresh SQLite file and tantivy index, and
// launches Debian's Chromium through playwright-core. Nothing is downloaded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import net from 'node:net';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const targetDir = process.env.CARGO_TARGET_DIR || join(process.cwd(), '..', 'target');
export const SERVER_BIN = process.env.SERVER_BIN || join(targetDir, 'debug', 'server');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child) {
  return new Promise((r) => (exited(child) ? r() : child.once('exit', r)));
}

async function spawnServer(port, dataDir, extraEnv) {
  const child = spawn(SERVER_BIN, [], {
    env: { ...process.env, BIND_ADDR: `127.0.0.1:${port}`, DATA_DIR: dataDir, OCOP_TODAY: '2026-11-28', DATABASE_URL: '', ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (exited(child)) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return child;
}

// `kill()` ends the server at once (SIGKILL, as a power cut would) and keeps its data; `restart()`
// starts it again on the same port and data directory; `stop()` ends it and removes its data.
export async function startServer(extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ocop-e2e-'));
  let child = await spawnServer(port, dataDir, extraEnv);
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    async kill() {
      if (!exited(child)) child.kill('SIGKILL');
      await waitExit(child);
    },
    async restart() {
      await this.kill();
      child = await spawnServer(port, dataDir, extraEnv);
    },
    async stop() {
      if (!exited(child)) child.kill('SIGTERM');
      await waitExit(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The showroom till, on a free port with a fresh data directory, its pairing form prefilled with
// `serverUrl`. Ready when it prints its "listening" line.
export const POS_BIN = process.env.POS_BIN || join(dirname(SERVER_BIN), 'shop-pos');

export async function startPos(serverUrl, extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ocop-pos-e2e-'));
  const child = spawn(POS_BIN, [], {
    env: { ...process.env, POS_ADDR: `127.0.0.1:${port}`, POS_DATA_DIR: dataDir, POS_SERVER_URL: serverUrl, POS_SYNC_SECONDS: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('shop-pos did not start within 30 s')), 30_000);
    const done = (err) => { clearTimeout(timer); child.off('exit', onExit); err ? reject(err) : resolve(); };
    const onExit = (code, signal) => done(new Error(`shop-pos exited with ${code ?? signal}`));
    child.on('exit', onExit);
    child.on('error', done);
    child.stdout.on('data', (chunk) => {
      process.stderr.write(chunk);
      if (out !== null) {
        out += chunk;
        if (out.includes('shop-pos listening on http://')) { out = null; done(); }
      }
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      if (!exited(child)) child.kill('SIGTERM');
      await waitExit(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DEMO_PASSWORD = 'ocop-demo-2026';

// Signs a demo account in through the sign-in form, as a person would: it lands where its work
// is (the portal for producers, the office for office staff, the account page for shoppers).
export async function signIn(page, base, login, password = DEMO_PASSWORD) {
  await page.goto(`${base}/account/sign-in`);
  await page.getByLabel('Email hoặc số điện thoại').fill(login);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/(account|portal|office|office\/dossiers)$/);
}

// The demo producer lists a product through the portal, as its member would: the first size with
// the product, the others added after, `stock` units of each received, and `photo` uploaded (the
// call returns once the photo is processed). Sizes: [{ sku, size, price }], prices as typed.
export async function listProduct(browser, base, { name, nameEn, category, sizes, stock, photo }) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const portal = await context.newPage();
  await signIn(portal, base, 'chuthe@ocop.local');
  await portal.goto(`${base}/portal/products/new`);
  await portal.getByLabel('Tên tiếng Việt').fill(name);
  await portal.getByLabel('Tên tiếng Anh').fill(nameEn);
  await portal.getByLabel(/^Loại/).fill(category);
  const [first, ...more] = sizes;
  await portal.getByLabel('SKU').fill(first.sku);
  await portal.getByLabel('Quy cách (tiếng Việt)').fill(first.size);
  await portal.getByLabel('Giá (đồng)').fill(first.price);
  await portal.getByRole('button', { name: 'Tạo sản phẩm' }).click();
  await portal.waitForURL(/\/portal\/products\/\d+\?notice=created$/);
  for (const s of more) {
    await portal.locator('#new-variant').locator('..').locator('summary').click();
    await portal.locator('#new-sku').fill(s.sku);
    await portal.locator('#new-size_vi').fill(s.size);
    await portal.locator('#new-price').fill(s.price);
    await portal.getByRole('button', { name: 'Thêm quy cách' }).click();
    await portal.waitForURL(/notice=saved/);
  }
  for (const s of sizes) {
    const v = portal.locator(`#variant-${s.sku}`);
    await v.locator('select[name=reason]').selectOption('received');
    await v.locator('input[name=qty]').fill(String(stock));
    await v.getByRole('button', { name: 'Ghi tồn kho' }).click();
    await portal.waitForURL(/notice=stock/);
  }
  await portal.getByLabel('Ảnh sản phẩm').setInputFiles(photo);
  await portal.getByRole('button', { name: 'Tải ảnh lên' }).click();
  await portal.waitForURL(/notice=photo/);
  for (let i = 0; i < 50 && !/^1 ảnh/.test(await portal.locator('#photo-count').innerText()); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await portal.reload();
  }
  await context.close();
}

// Fills the checkout's recipient and a Lâm Đồng address (Vietnamese labels).
export async function fillAddress(page, phone, name = 'Trần Văn Bình') {
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByLabel('Tỉnh/thành phố').selectOption('lam-dong');
  await page.getByLabel('Xã/phường').fill('Phường Phú Thủy');
  await page.getByLabel('Số nhà, đường, thôn/ấp').fill('25 Nguyễn Tất Thành');
}

// Visible elements whose box runs past the viewport's left or right edge. An element cut off by an
// ancestor that hides its overflow (and itself fits) is not visible there; one inside a sideways
// scroller is, since reaching it would take scrolling.
export function overflowing() {
  const width = document.documentElement.clientWidth;
  const fits = (r) => r.right <= width + 0.5 && r.left >= -0.5;
  const out = [];
  const selector = 'a, button, input, select, textarea, img, svg, td, th, .price, label, h1, h2, h3, p, li, dt, dd, .badge, .chip, legend, summary';
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || fits(r)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let clipped = false;
    for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/hidden|clip/.test(s.overflowX) && fits(a.getBoundingClientRect())) clipped = true;
    }
    if (!clipped) {
      const text = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 40);
      out.push(`<${el.tagName.toLowerCase()} class="${el.className?.baseVal ?? el.className}"> "${text}" ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    }
  }
  return out;
}


// A real PNG, as a phone would send a photo of a label: w×h pixels of a gradient.
export function photo(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < h; y++) {
    rows.push(Buffer.from([0]));
    rows.push(Buffer.from(Array.from({ length: w * 3 }, (_, i) => (i % 3 === 0 ? (i / 3) * 2 : y * 3) & 255)));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
