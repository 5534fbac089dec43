// The owner's screens on a demo book: the dashboard shows exactly what
// /api/dashboard says and drills down; a report exports a real .xlsx. Then a
// keyboard-only invoice with a 10+1 scheme (free row and scheme line on
// screen and in the saved invoice), printed to PDF with the amount in words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, apiCall, login, openBrowser, screenshots, seedSmallBook, shot, startServer, TODAY } from './harness.mjs';
import { pdfTexts } from './pdftext.mjs';

const rupees = (p) => {
  const r = String(Math.round(Math.abs(p) / 100));
  const last3 = r.slice(-3);
  const rest = r.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return (p < 0 ? '-' : '') + '₹ ' + (rest ? rest + ',' + last3 : last3);
};

test('dashboard numbers match /api/dashboard, drill down, and a report exports a real .xlsx', async () => {
  const server = await startServer({ demo: 'small' });
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.locator('.nav').waitFor();
    await page.goto(server.url + '/#/dashboard');
    await page.locator('[data-testid=tile-mtd]').waitFor();
    const d = (await apiCall(page, 'GET', '/api/dashboard')).body;
    const tiles = {
      yesterday: d.yesterday.now.total_paise, mtd: d.month_to_date.now.total_paise, primary: d.primary_value_paise,
      stock: d.stock_value_paise, overstocked: d.overstocked.value_paise, 'near-expiry': d.near_expiry.value_paise,
      schemes: d.scheme_spend_paise, collections: d.collections.outstanding_paise,
    };
    assert.ok(d.month_to_date.now.total_paise > 0, 'the demo book has sales this month');
    for (const [id, paise] of Object.entries(tiles)) {
      const t = page.locator(`[data-testid=tile-${id}]`);
      assert.equal(Number(await t.getAttribute('data-value')), paise, id);
      assert.ok((await t.locator('.tile-value').textContent()).includes(rupees(paise)), `${id} shows ${rupees(paise)}`);
    }
    assert.match(await page.locator('[data-testid=tile-stock]').textContent(), new RegExp(`${d.days_of_cover} days of cover`));
    assert.match(await page.locator('[data-testid=tile-tally]').textContent(), new RegExp(`${d.tally.waiting.toLocaleString('en-IN')} waiting`));
    await page.locator('canvas').nth(1).waitFor();
    await page.waitForTimeout(600); // charts animate in
    await shot(page, 'dashboard.png');

    // Month to date → brands → the first brand's SKUs; the brands add up to the tile (before round-off).
    await page.locator('[data-testid=tile-mtd]').click();
    const drill = page.locator('[data-testid=drill]');
    await drill.locator('.dg-row').first().waitFor();
    const brands = (await apiCall(page, 'GET', `/api/dashboard/sales?by=brand&from=${d.month_to_date.now.from}&to=${d.month_to_date.now.to}`)).body;
    assert.equal(await drill.locator('.dg-row').count(), Math.min(brands.length, await drill.locator('.dg-row').count()));
    assert.match(await drill.locator('.dg-row').first().textContent(), new RegExp(brands[0].key));
    await drill.locator('.dg-row').first().dblclick();
    await drill.getByRole('heading', { name: new RegExp(brands[0].key) }).waitFor();
    await drill.locator('.seg button.on', { hasText: 'SKU' }).waitFor();
    const [dl1] = await Promise.all([page.waitForEvent('download'), drill.getByRole('button', { name: 'Export to Excel' }).click()]);
    assert.equal(readFileSync(await dl1.path()).subarray(0, 2).toString(), 'PK');

    // Reports: the last 30 days' sales register (a fixed span, whatever day
    // of the month the tests run on), exported by the backend.
    await page.goto(`${server.url}/#/reports/sales-register?from=${addDays(TODAY, -29)}&to=${TODAY}`);
    await page.reload();
    await page.locator('[data-testid=report-totals]').waitFor();
    await page.locator('.dg-row').first().waitFor();
    // The grid draws only what is on screen: thousands of register lines,
    // a few dozen rows in the page.
    const grid = page.locator('.dg[role=grid]').first();
    const lines = Number(await grid.getAttribute('aria-rowcount')) - 1;
    const drawn = await grid.locator('.dg-row').count();
    assert.ok(lines > 1000, `the register has ${lines} lines`);
    assert.ok(drawn < 100, `${drawn} rows drawn for ${lines} lines`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export to Excel' }).click()]);
    const bytes = readFileSync(await dl.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip');
    assert.ok(bytes.length > 2000);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    await shot(page, 'reports.png');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-dashboard.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});

async function focused(page, name) {
  await page.waitForFunction((n) => document.activeElement?.getAttribute('name') === n, name, { timeout: 5000 });
}

test('a keyboard-only invoice with a 10+1 scheme, printed to PDF', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const to = new Date(Date.parse(today) + 30 * 86400000).toISOString().slice(0, 10);
    const sch = await apiCall(page, 'POST', '/api/schemes', {
      code: 'GD10P1', name: 'Good Day 10+1', kind: 'buy_x_get_y', valid_from: today, valid_to: to, items: ['GD200'], buy_qty: 10, free_qty: 1,
    });
    assert.equal(sch.status, 201, JSON.stringify(sch.body));
    await page.goto(server.url + '/#/billing');
    await page.reload();
    await page.getByRole('heading', { name: 'Sales Invoice' }).waitFor();
    const k = page.keyboard;
    await focused(page, 'outlet');
    await k.type('sls01');
    await page.locator('.picker-opt', { hasText: 'SLS01' }).waitFor();
    await k.press('Enter');
    await k.type('GD200');
    await page.locator('.picker-opt', { hasText: 'GD200' }).waitFor();
    await k.press('Enter');
    await focused(page, 'cs-1');
    await k.type('1'); // a case of 12 → one free
    await k.press('Enter');
    await focused(page, 'pcs-1');
    await k.press('Enter');
    await focused(page, 'rate-1');
    await k.press('Enter');
    await focused(page, 'disc-1');
    await k.press('Enter');
    await focused(page, 'item-2');
    const free = page.locator('.bl-note.free', { hasText: 'GD200' });
    await free.waitFor();
    assert.match(await free.textContent(), /FREE GD200 .*× 1 \(GD10P1\)/);
    await page.locator('.bl-note.scheme', { hasText: 'GD10P1' }).first().waitFor();
    await k.press('Enter');
    await shot(page, 'billing.png');

    await k.press('Control+s');
    const last = page.locator('.last-inv');
    await last.waitFor();
    const number = /Last: (\S+)/.exec(await last.textContent())[1];
    const inv = (await apiCall(page, 'GET', '/api/invoices/' + encodeURIComponent(number))).body;
    const freeLine = inv.lines.find((l) => l.free);
    assert.ok(freeLine, 'the saved invoice has a free line');
    assert.equal(freeLine.qty, 1);
    assert.equal(freeLine.scheme, 'GD10P1');

    // The invoice, printed to PDF (A4) as the print dialog would.
    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(number));
    await page.locator(`[data-invoice="${number}"]`).waitFor();
    const words = /Rupees [A-Za-z\- ]+ Only/.exec(await page.locator('.invoice-print').textContent())[0];
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.locator('.print-area').screenshot({ path: join(screenshots, 'invoice.png') });
    await page.emulateMedia({ media: 'print' });
    mkdirSync(screenshots, { recursive: true });
    const pdfPath = join(screenshots, 'invoice.pdf');
    const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const texts = pdfTexts(pdf).map((t) => t.replace(/\s+/g, ' '));
    assert.ok(texts.some((t) => t.includes(number)), `the PDF names ${number}`);
    assert.ok(texts.some((t) => t.includes(words)), `the PDF says "${words}"`);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-scheme-invoice.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
