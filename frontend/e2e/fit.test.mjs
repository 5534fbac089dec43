// Fits 1366×768 (issue 16): the common distributor PC. Stock and
// reconciliation show item names, not 7 characters of them, without
// sideways scrolling; the empty batch panel stays narrow; dashboard tiles
// keep their text inside; the whole menu is reachable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, openBrowser, shot, startServer } from './harness.mjs';

/** Whatever on the screen runs past its box sideways: the page itself, or a grid that scrolls sideways. */
async function overflow(page) {
  return page.evaluate(() => {
    const out = [];
    const main = document.querySelector('main') ?? document.body;
    if (main.scrollWidth > main.clientWidth + 1) out.push(`the page is ${main.scrollWidth}px wide in ${main.clientWidth}px`);
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) out.push('the window scrolls sideways');
    for (const b of document.querySelectorAll('.dg-body')) {
      if (b.scrollWidth > b.clientWidth + 1) out.push(`a grid (${b.closest('.dg')?.getAttribute('aria-label')}) is ${b.scrollWidth}px wide in ${b.clientWidth}px`);
    }
    return out;
  });
}

/** Widths of the grid's name column (an index, or its heading) and how many of its visible cells are cut. */
async function nameColumn(page, col) {
  return page.evaluate((col) => {
    const body = document.querySelector('.dg-body');
    if (typeof col === 'string') col = [...document.querySelectorAll('.dg-th')].findIndex((h) => h.textContent.replace(/[▲▼]/g, '').trim() === col);
    if (col < 0) return { width: 0, cells: 0, cut: 0, missing: true, sideways: body.scrollWidth > body.clientWidth + 1 };
    const cells = [...document.querySelectorAll('.dg-row')].map((r) => r.children[col]).filter(Boolean);
    const cut = cells.filter((c) => c.scrollWidth > c.clientWidth + 1).length;
    return { width: cells[0]?.getBoundingClientRect().width ?? 0, cells: cells.length, cut, sideways: body.scrollWidth > body.clientWidth + 1 };
  }, col);
}

test('every screen the clerk uses fits 1366×768', async () => {
  const server = await startServer({ demo: 'small' });
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.locator('.nav-groups').waitFor();

    await page.goto(server.url + '/#/stock');
    await page.locator('.dg-row').first().waitFor();
    const stock = await nameColumn(page, 1);
    assert.ok(stock.width >= 180, `stock names get ${stock.width}px`);
    assert.ok(stock.cut <= stock.cells / 5, `stock: ${stock.cut} of ${stock.cells} names cut`);
    assert.equal(stock.sideways, false, 'stock scrolls sideways');
    assert.deepEqual(await overflow(page), [], 'stock runs past the screen');
    const panel = await page.locator('aside.side-detail').boundingBox();
    assert.ok(panel.width <= 340, `the batch panel takes ${panel.width}px`);
    await shot(page, 'fit-stock.png');

    await page.goto(server.url + '/#/reconciliation');
    await page.locator('.dg-row').first().waitFor();
    const rec = await nameColumn(page, 1);
    assert.ok(rec.width >= 140, `reconciliation names get ${rec.width}px`);
    assert.equal(rec.sideways, false, 'reconciliation scrolls sideways');
    assert.deepEqual(await overflow(page), [], 'reconciliation runs past the screen');
    await shot(page, 'fit-reconciliation.png');

    await page.goto(server.url + '/#/dashboard');
    await page.locator('.tile').first().waitFor();
    await page.waitForTimeout(1500);
    const cutTiles = await page.evaluate(() =>
      [...document.querySelectorAll('.tile')]
        .filter((t) => [...t.children].some((c) => c.getBoundingClientRect().right > t.getBoundingClientRect().right + 1 || c.scrollWidth > c.clientWidth + 1))
        .map((t) => t.textContent),
    );
    assert.deepEqual(cutTiles, [], 'tile text runs out of its tile');
    assert.deepEqual(await overflow(page), [], 'the dashboard runs past the screen');
    await shot(page, 'fit-dashboard.png');

    // The sales register: invoice numbers, names and GSTINs whole; the row count said once.
    await page.goto(server.url + '/#/reports/sales-register');
    await page.reload();
    await page.locator('[data-testid=report-totals]').waitFor();
    await page.locator('.dg-row').first().waitFor();
    for (const col of ['Date', 'Invoice', 'Outlet name', 'Item name', 'Line total']) {
      const reg = await nameColumn(page, col);
      assert.ok(!reg.missing, `the register hides ${col}`);
      assert.equal(reg.cut, 0, `${col}: ${reg.cut} of ${reg.cells} cells cut`);
    }
    assert.deepEqual(await overflow(page), [], 'the sales register runs past the screen');
    // What did not fit is one tick away, and the export still has it.
    assert.match(await page.locator('[data-testid=column-chooser] summary').innerText(), /^\d+ of 26 columns$/); // … free goods value and free goods deducted
    const foot = await page.locator('.dg-foot').innerText();
    const counts = [...foot.matchAll(/([\d,]+) rows?\b/g)].map((m) => m[1]);
    assert.equal(new Set(counts).size, counts.length, `the footer counts its rows twice: ${foot}`);
    await shot(page, 'fit-sales-register.png');

    // The whole menu is reachable: the last link scrolls into view.
    const last = page.locator('.nav-link').last();
    await last.scrollIntoViewIfNeeded();
    const box = await last.boundingBox();
    assert.ok(box && box.y + box.height <= 768, `the last menu link is at ${box?.y}`);

    // Every screen in the menu fits: nothing runs past 1366 px sideways.
    const links = await page.locator('.nav-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 20, `the menu has ${links.length} screens`);
    const past = {};
    for (const href of links) {
      await page.goto(server.url + '/' + href);
      await page.waitForTimeout(700);
      const o = await overflow(page);
      if (o.length) past[href] = o;
    }
    assert.deepEqual(past, {}, 'screens that run past 1366 px');

    // Tally: documents waiting in the book are not "Nothing in the queue".
    await page.goto(server.url + '/#/tally');
    const waiting = page.locator('[data-testid=tally-counts] .figure', { hasText: 'Waiting in the book' }).locator('strong');
    await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid=tally-counts] strong')?.textContent ?? ''));
    const n = await waiting.innerText();
    await page.locator('.dg-empty').waitFor();
    const empty = await page.locator('.dg-empty').innerText();
    assert.doesNotMatch(empty, /Nothing in the queue/, `beside ${n} waiting`);
    assert.ok(empty.includes(n), `the queue says ${empty}, the count ${n}`);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-fit.png').catch(() => {});
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
