// Head-office dashboard end to end: a receiver with an admin and one
// registered distributor, a demo distributor book uploaded into it with the
// real `vitaran upload`, then the dashboard (ho.html, the second Vite entry)
// in headless chromium: log in, the national secondary on screen equals
// /api/ho/summary to the paisa, drill national → region → distributor → beat
// → outlet from the keyboard, a list paged on the server ("outlets 11–20 of
// N", next and previous, the totals of the whole list on every page),
// overstock and freshness flags, screenshots, at 1366×768.
//
// The page is served by `vitaran headoffice serve --static DIR`, DIR being
// (first found) $VITARAN_HO_STATIC, frontend/dist when it has ho.html, or a
// build made here into a temporary folder with a throwaway Vite config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';

const repo = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const frontend = join(repo, 'frontend');
const bin = process.env.VITARAN_BIN || join(repo, 'bin', 'vitaran');
const screenshots = join(repo, 'screenshots');
const PASSWORD = 'ho-e2e-password-1';

/** Runs a command to the end; resolves with stdout, rejects with stderr. */
function run(cmd, args, opt = {}) {
  return new Promise((ok, bad) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opt });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? ok(out) : bad(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out}\n${err}`))));
  });
}

/** The built dashboard to serve: env, frontend/dist, or a fresh build. */
async function builtStatic(tmp) {
  if (process.env.VITARAN_HO_STATIC) return { dir: process.env.VITARAN_HO_STATIC };
  if (existsSync(join(frontend, 'dist', 'ho.html'))) return { dir: join(frontend, 'dist') };
  const out = join(tmp, 'dist');
  const config = join(tmp, 'ho.vite.config.mjs');
  writeFileSync(config, `export default ${JSON.stringify({
    root: frontend, base: './', esbuild: { jsx: 'automatic' }, logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 1500, rollupOptions: { input: { ho: join(frontend, 'ho.html') } } },
  })};\n`);
  await run(join(frontend, 'node_modules', '.bin', 'vite'), ['build', '--config', config], { cwd: frontend });
  return { dir: out };
}

/** Indian grouping of whole rupees with paise: 263877402 → "₹ 26,38,774.02". */
function rupees(paise) {
  const r = String(Math.floor(Math.abs(paise) / 100));
  const last3 = r.slice(-3);
  const rest = r.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return (paise < 0 ? '-' : '') + '₹ ' + (rest ? rest + ',' : '') + last3 + '.' + String(Math.abs(paise) % 100).padStart(2, '0');
}

test('head-office dashboard: login, national secondary equals the API, drill to an outlet', { timeout: 240000 }, async () => {
  assert.ok(existsSync(bin), `${bin} is missing: go build -o bin/vitaran .`);
  const tmp = mkdtempSync(join(tmpdir(), 'vitaran-ho-e2e-'));
  const hoData = join(tmp, 'ho');
  const distData = join(tmp, 'dist-book');
  let server;
  let browser;
  try {
    const [{ dir: staticDir }] = await Promise.all([
      builtStatic(tmp),
      (async () => {
        await run(bin, ['headoffice', 'set-admin', '--user', 'admin', '--password', PASSWORD, '--data', hoData]);
        await run(bin, ['demo', '--size', 'small', '--data', distData]);
      })(),
    ]);
    const key = (await run(bin, ['headoffice', 'add-distributor', 'D001', '--region', 'South', '--name', 'Sri Lakshmi Agencies', '--data', hoData])).trim();
    assert.match(key, /^[0-9a-f]{64}$/);

    server = spawn(bin, ['headoffice', 'serve', '--addr', '127.0.0.1:0', '--static', staticDir, '--data', hoData], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const url = await new Promise((ok, bad) => {
      const timer = setTimeout(() => bad(new Error(`receiver did not start:\n${log}`)), 20000);
      const on = (d) => {
        log += d;
        const m = /head office receiving on (http:\/\/\S+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      };
      server.stdout.on('data', on);
      server.stderr.on('data', (d) => (log += d));
      server.on('exit', (code) => bad(new Error(`receiver exited (${code}):\n${log}`)));
    });
    assert.match(log, /dashboard from /);
    const up = await run(bin, ['upload', '--url', url, '--distributor', 'D001', '--key', key, '--now', '--data', distData]);
    assert.match(up, /sent 1/);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && !/401|Failed to load resource/.test(m.text()) && errors.push(m.text()));
    try {
      await page.goto(url + '/');
      // Not logged in: the login form; a wrong password says so.
      await page.locator('#ho-user').fill('admin');
      await page.locator('#ho-password').fill('not-the-password');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').filter({ hasText: 'Wrong user or password' }).waitFor();
      await page.locator('#ho-password').fill(PASSWORD);
      await page.keyboard.press('Enter');

      // National secondary on screen = /api/ho/summary for the period in the address.
      const tile = page.getByTestId('national-secondary');
      await page.waitForFunction(() => /₹/.test(document.querySelector('[data-testid="national-secondary"]')?.textContent ?? ''));
      const hash = new URL(page.url()).hash;
      const q = new URLSearchParams(hash.split('?')[1]);
      const summary = await page.evaluate(async (qs) => (await fetch('/api/ho/summary?' + qs, { credentials: 'same-origin' })).json(), `from=${q.get('from')}&to=${q.get('to')}`);
      assert.ok(summary.secondary.taxable_paise > 0, 'the upload carried secondary sales');
      assert.equal(await tile.textContent(), rupees(summary.secondary.taxable_paise));
      assert.equal(await page.getByTestId('national-primary').textContent(), rupees(summary.primary.taxable_paise));
      // The overstock tile counts what /api/ho/stock flags at the 30-day threshold.
      const cover = await page.evaluate(async (qs) => (await fetch('/api/ho/stock?' + qs, { credentials: 'same-origin' })).json(), `from=${q.get('from')}&to=${q.get('to')}&threshold=30`);
      const over = cover.distributors.filter((d) => d.overstocked).length;
      await page.locator('.ho-tile', { hasText: 'Overstocked' }).filter({ hasText: `${over} of 1` }).waitFor();
      await page.locator('.ho-tile', { hasText: 'Late uploads' }).filter({ hasText: '0 of 1' }).waitFor();
      await page.locator('.ho-charts canvas').first().waitFor();
      await page.locator('.ho-regions td', { hasText: 'South' }).waitFor();
      await page.waitForTimeout(300); // charts settle
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'headoffice.png') });

      // Drill from the keyboard: Alt+2 opens region → outlet; Enter goes down.
      await page.keyboard.press('Alt+2');
      const crumbs = page.locator('.ho-crumbs');
      const grid = page.locator('.ho-drill .dg');
      await grid.locator('.dg-row', { hasText: 'South' }).waitFor();
      assert.equal(await page.getByTestId('drill-total').locator('strong').first().textContent(), rupees(summary.secondary.taxable_paise));
      await page.keyboard.press('Enter');
      await grid.locator('.dg-row', { hasText: 'D001' }).waitFor();
      // an overstocked distributor is flagged in the drill too, and only then
      if (over > 0) await grid.locator('.ho-flag.over').waitFor();
      else assert.equal(await grid.locator('.ho-flag.over').count(), 0);
      await crumbs.filter({ hasText: 'South' }).waitFor();
      await page.keyboard.press('Enter');
      await crumbs.filter({ hasText: 'D001' }).waitFor();
      const beatRow = grid.locator('.dg-row').first();
      await beatRow.waitFor();
      const beat = (await beatRow.locator('.dg-cell').first().textContent()).trim();
      assert.match(beat, /^BEAT-/);
      await page.keyboard.press('Enter');
      await crumbs.filter({ hasText: beat }).waitFor();
      await grid.getByRole('columnheader', { name: 'Outlet' }).waitFor();
      const outletRow = grid.locator('.dg-row').first();
      await outletRow.waitFor();
      const outlet = (await outletRow.locator('.dg-cell').first().textContent()).trim();
      const outlets = await page.evaluate(async (qs) => (await fetch('/api/ho/drill?' + qs)).json(),
        `by=outlet&distributor=D001&beat=${encodeURIComponent(beat)}&from=${q.get('from')}&to=${q.get('to')}`);
      assert.equal(outlets.rows[0].key, outlet, 'biggest outlet first, as the API answers');
      assert.equal(await page.getByTestId('drill-total').locator('strong').first().textContent(), rupees(outlets.total.taxable_paise));
      await page.screenshot({ path: join(screenshots, 'headoffice-outlets.png') });

      // The list is a page: 10 a page, the next page is the API's rows
      // 11–20 in the same order, and the totals stay the whole beat's.
      const n = outlets.total_rows;
      assert.ok(n > 10, `the beat has more than 10 outlets with sales (${n})`);
      const range = page.getByTestId('pager-range');
      await range.filter({ hasText: `outlets 1–${Math.min(100, n)} of ${n}` }).waitFor();
      await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('10');
      await range.filter({ hasText: `outlets 1–10 of ${n}` }).waitFor();
      await page.getByRole('button', { name: 'Next ›' }).click();
      await range.filter({ hasText: `outlets 11–${Math.min(20, n)} of ${n}` }).waitFor();
      const page2 = await page.evaluate(async (qs) => (await fetch('/api/ho/drill?' + qs)).json(),
        `by=outlet&distributor=D001&beat=${encodeURIComponent(beat)}&from=${q.get('from')}&to=${q.get('to')}&limit=10&offset=10`);
      assert.equal(page2.offset, 10);
      assert.equal(page2.total_rows, n);
      await grid.locator('.dg-row').first().filter({ hasText: page2.rows[0].key }).waitFor();
      assert.equal((await grid.locator('.dg-row').first().locator('.dg-cell').first().textContent()).trim(), page2.rows[0].key);
      assert.equal(await grid.locator('.dg-row').count(), page2.rows.length);
      assert.equal(await page.getByTestId('drill-total').locator('strong').first().textContent(), rupees(outlets.total.taxable_paise));
      assert.equal(page2.totals.taxable_paise, outlets.total.taxable_paise);
      await page.screenshot({ path: join(screenshots, 'headoffice-outlets-page2.png') });
      await page.getByRole('button', { name: '‹ Previous' }).click();
      await range.filter({ hasText: `outlets 1–10 of ${n}` }).waitFor();
      await grid.locator('.dg-row').first().filter({ hasText: outlet }).waitFor();
      // The search runs on the server over the whole beat, not the page.
      const far = page2.rows[page2.rows.length - 1].key;
      await page.getByRole('searchbox', { name: 'Search code or name' }).fill(far);
      await page.keyboard.press('Enter');
      await range.filter({ hasText: 'outlets 1–1 of 1' }).waitFor();
      await grid.locator('.dg-row').first().filter({ hasText: far }).waitFor();
      await page.getByRole('searchbox', { name: 'Search code or name' }).fill('');
      await page.keyboard.press('Enter');
      await range.filter({ hasText: `outlets 1–10 of ${n}` }).waitFor();
      await grid.locator('.dg-row').first().click();
      // Backspace climbs back to the beats.
      await page.keyboard.press('Backspace');
      await grid.getByRole('columnheader', { name: 'Beat' }).waitFor();

      // Freshness: D001 uploaded just now, on time.
      await page.keyboard.press('Alt+6');
      await page.locator('.ho-list .dg-row', { hasText: 'D001' }).filter({ hasText: 'On time' }).waitFor();
      // Stock: D001 listed, flagged exactly when the API says it is overstocked.
      await page.keyboard.press('Alt+5');
      await page.locator('.ho-list .dg-row', { hasText: 'D001' }).waitFor();
      assert.equal(await page.locator('.ho-list .dg-row.ho-row-over', { hasText: 'D001' }).count(), over);
      // The stock list's totals are the whole list's, as the API counts them.
      await page.getByTestId('stock-total').filter({ hasText: rupees(cover.totals.stock_value_paise) }).waitFor();
      await page.getByTestId('pager-range').filter({ hasText: `distributors 1–1 of ${cover.total_rows}` }).waitFor();
      await page.screenshot({ path: join(screenshots, 'headoffice-stock.png') });
      // Schemes: the cost of every row of the period, whatever the page.
      await page.keyboard.press('Alt+7');
      await page.getByRole('heading', { name: 'Scheme cost and redemptions' }).waitFor();
      const schemes = await page.evaluate(async (qs) => (await fetch('/api/ho/schemes?' + qs)).json(), `from=${q.get('from')}&to=${q.get('to')}`);
      await page.getByTestId('schemes-total').filter({ hasText: rupees(schemes.totals.cost_paise) }).waitFor();
      await page.getByTestId('pager-range').filter({ hasText: ` of ${schemes.total_rows}` }).waitFor();
      await page.screenshot({ path: join(screenshots, 'headoffice-schemes.png') });
      // Claims open without error (the demo may carry no redemptions).
      await page.keyboard.press('Alt+8');
      await page.getByRole('heading', { name: 'Claims on evidence' }).waitFor();
      await page.locator('.ho-leak').first().waitFor();
      const claims = await page.evaluate(async (qs) => (await fetch('/api/ho/claims?' + qs)).json(), `from=${q.get('from')}&to=${q.get('to')}`);
      await page.locator('.ho-list-head', { hasText: `${claims.totals.redemptions.toLocaleString('en-IN')} redemptions claimed` }).waitFor();
      await page.locator('.ho-pager', { hasText: `flags ` }).filter({ hasText: ` of ${claims.pages.flags.total_rows}` }).waitFor();
      await page.screenshot({ path: join(screenshots, 'headoffice-claims.png') });

      assert.deepEqual(errors, []);
    } catch (e) {
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'FAILED-headoffice.png') }).catch(() => {});
      console.error('page errors:', errors, '\nreceiver log:\n', log);
      throw e;
    }
  } finally {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((ok) => server.once('exit', ok));
    }
    rmSync(tmp, { recursive: true, force: true });
  }
});
