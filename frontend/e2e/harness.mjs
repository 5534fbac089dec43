// Shared e2e plumbing: start the real Go server on a free port with a fresh
// book, launch the Debian chromium through playwright-core, and clean up.
//
// By default pages are served from frontend/dist on disk (headers still come
// from the Go server), so a test always exercises the frontend just built even
// when bin/vitaran embeds an older copy. VITARAN_E2E_DIST=server uses the
// binary's own embedded copy instead.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const dist = join(repo, 'frontend', 'dist');
export const screenshots = join(repo, 'screenshots');
export const ADMIN_PASSWORD = 'e2e-admin-pass-1';

/**
 * The day every browser test runs on. No test reads the wall clock: the demo
 * and the server inherit VITARAN_TODAY (a test-only setting that pins the
 * book's "today"), and the screens follow the server's clock. `make
 * test-dates` runs the date-sensitive tests again on a 1st of a month,
 * 1 April, 31 March and 29 February.
 */
export const TODAY = (process.env.VITARAN_TODAY ||= '2026-11-25');

/** Moves an ISO date by n days. */
export function addDays(iso, n) {
  return new Date(Date.parse(iso) + n * 86400000).toISOString().slice(0, 10);
}

/** Starts `vitaran serve` on 127.0.0.1:0 and resolves once it prints its URL. */
export async function startServer({ demo } = {}) {
  const bin = process.env.VITARAN_BIN || join(repo, 'bin', 'vitaran');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it with go build -o bin/vitaran .`);
  const data = mkdtempSync(join(tmpdir(), 'vitaran-e2e-'));
  if (demo) {
    await new Promise((ok, bad) => {
      const p = spawn(bin, ['demo', '--size', demo, '--data', data], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => (code === 0 ? ok() : bad(new Error(`vitaran demo failed: ${err}`))));
    });
  }
  const proc = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data', data, '--admin-password', ADMIN_PASSWORD], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`server did not start in 20 s:\n${out}\n${err}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Vitaran serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.stderr.on('data', (d) => (err += d));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      bad(new Error(`server exited (${code}) before serving:\n${out}\n${err}`));
    });
  });
  return {
    url,
    data,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((ok) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            ok();
          }, 5000);
          proc.on('exit', () => {
            clearTimeout(t);
            ok();
          });
        });
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };

/** Launches headless chromium and opens a page on the server. */
export async function openBrowser(server, { width = 1440, height = 900 } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  if (process.env.VITARAN_E2E_DIST !== 'server' && existsSync(join(dist, 'index.html'))) {
    await page.route((u) => u.origin === new URL(server.url).origin && !u.pathname.startsWith('/api/'), async (route) => {
      const u = new URL(route.request().url());
      let file = join(dist, decodeURIComponent(u.pathname));
      if (u.pathname === '/' || !file.startsWith(dist) || !existsSync(file)) file = join(dist, 'index.html');
      const resp = await route.fetch();
      const headers = { ...resp.headers(), 'content-type': types[extname(file)] || 'application/octet-stream' };
      delete headers['content-length'];
      await route.fulfill({ status: 200, headers, body: readFileSync(file) });
    });
  }
  await page.goto(server.url + '/');
  return { browser, page, errors };
}

/** Saves a screenshot under screenshots/ (git-ignored). */
export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, name);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Logs in as admin through the login screen. */
export async function login(page, password = ADMIN_PASSWORD) {
  await page.locator('#login-user').fill('admin');
  await page.locator('#login-password').fill(password);
  await page.keyboard.press('Enter');
}

/** The GSTIN check character for the first 14 characters (mod-36 Luhn). */
export function gstinCheck(first14) {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const p = chars.indexOf(first14[i]) * (i % 2 ? 2 : 1);
    sum += Math.floor(p / 36) + (p % 36);
  }
  return first14 + chars[(36 - (sum % 36)) % 36];
}

/** Calls the API from inside the logged-in page (cookie + CSRF token). */
export async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const me = await (await fetch('/api/me')).json();
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body],
  );
}

/** A small book: company in Karnataka, a beat with two outlets, one item in stock. */
export async function seedSmallBook(page) {
  const must = async (method, path, body) => {
    const r = await apiCall(page, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await must('PUT', '/api/company', {
    name: 'Shree Ganesh Distributors', address: '12, 2nd Cross, Gandhinagar, Bengaluru', gstin: gstinCheck('29AAGCS1234K1Z'),
    state_code: '29', fy_start_month: 4,
  });
  await must('POST', '/api/beats', { code: 'BEAT-MON-01', name: 'Gandhinagar Monday', weekday: 'Monday' });
  for (const [code, name, gstin] of [['SLS01', 'Sri Lakshmi Stores', '29ABCDE1234F1ZW'], ['SLS02', 'Sai Ram General Stores', '']]) {
    await must('POST', '/api/outlets', { code, name, address: 'Gandhinagar', state_code: '29', gstin, channel: 'grocery', beat: 'BEAT-MON-01', credit_limit_paise: 5000000, credit_days: 14, active: true });
  }
  await must('POST', '/api/items', {
    code: 'GD200', brand_code: 'BRT-GD-200', name: 'Good Day Cashew 200g', brand: 'Britannia', category: 'Biscuits/Cookies',
    hsn: '19053100', gst_rate_bp: 1800, mrp_paise: 4000, unit: 'PCS', case_size: 12, price_paise: 3000, active: true,
  });
  const { today } = await must('GET', '/api/me');
  if (today !== TODAY) throw new Error(`the server's today is ${today}, the tests pinned ${TODAY}`);
  await must('POST', '/api/purchases', {
    supplier_invoice_no: 'BRIT/2026/0001', date: today, lines: [{ item: 'GD200', batch: 'B2601', expiry: '2030-12-31', mrp_paise: 4000, qty: 240, rate_paise: 2500 }],
  });
  return { today };
}
