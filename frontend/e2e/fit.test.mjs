// Fits 1366×768 (issue 16): the common distributor PC. Stock and
// reconciliation show item names, not 7 characters of them, without
// sideways scrolling; the empty batch panel stays narrow; dashboard tiles
// keep their text inside; the whole menu is reachable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TODAY, addDays, login, openBrowser, shot, startServer } from './harness.mjs';

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
    const [shown, all] = (await page.locator('[data-testid=column-chooser] summary').innerText()).match(/\d+/g).map(Number);
    assert.ok(shown >= 5 && shown < all, `${shown} of ${all} columns shown`);
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

// The longest grid: a quarter's sales register, 10,000 lines on one page
// (reports page at 10,000 rows, and the register is the only report past
// that on the demo book, so it is the longest grid in the app). It is
// scrolled twice, and each frame is measured both ways: the wall clock
// between frames (requestAnimationFrame to requestAnimationFrame) and the
// main thread's own work in the frame (its CPU time, from Chromium's trace).
//   1. From requestAnimationFrame, 120 px a frame (a fast wheel: 7,200 px,
//      250 rows, a second): the same scroll in every frame however busy the
//      machine, so its work per frame is the grid's own cost.
//   2. A real wheel (Input.synthesizeScrollGesture, 7,200 px/s): Chromium
//      scrolls on its compositor as for a user, and the grid follows.
// What is asserted, and why: main-thread work per frame under 32 ms at p95,
// the grid never forcing a layout inside its scroll handler (before, every
// one of its layouts was forced there: a block of rows drawn in a task
// between frames was laid out by the next scroll event's read of
// scrollTop, and under load the long frames spent 23-76 ms in it), and at
// most one layout a frame. Those hold on any machine. The wall clock also counts
// the time the OS gives other processes, which no grid can win back: on the
// 2-core test VM shared by up to nine processes this build measured p95
// 16.7-16.8 ms at load average 9 (steal 1.2-1.6) and 33-50 ms at load
// average 13-16 (steal 2.3-2.7), where "steal" is the main thread's wall
// time over its CPU time in the run. So the wall bar is asserted only when
// the run was not starved (steal at most 1.3, as on a quiet machine or CI),
// and otherwise printed with the steal that explains it; VITARAN_E2E_WALL=1
// asserts it whatever the steal.
// A click on a heading sorts the 10,000 rows and puts them in the page in
// under 200 ms.
async function measureScroll(browser, page, how) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await page.evaluate((how) => {
    const body = document.querySelector('.dg-body');
    const m = { gaps: [], loafs: [], run: true, start: body.scrollTop };
    window.__frames = m;
    new window.PerformanceObserver((l) => m.loafs.push(...l.getEntries().map((e) => e.toJSON()))).observe({ type: 'long-animation-frame' });
    m.done = new Promise((done) => {
      let last = 0;
      let n = 0;
      const step = (t) => {
        console.timeStamp('grid-frame');
        if (last) m.gaps.push(t - last);
        last = t;
        if (how === 'raf') body.scrollTop += 120; // reads and writes the offset: the test's own layout, in FireAnimationFrame
        if (how === 'raf' ? ++n < 200 : m.run && ++n < 2000) window.requestAnimationFrame(step);
        else done();
      };
      window.requestAnimationFrame(step);
    });
  }, how);
  if (how === 'wheel') {
    const box = await page.locator('.dg-body').boundingBox();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.synthesizeScrollGesture', {
      x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2), yDistance: -24000, speed: 7200, gestureSourceType: 'mouse',
    });
    await cdp.detach();
  }
  const got = await page.evaluate(async () => {
    const m = window.__frames;
    m.run = false;
    await m.done;
    await new Promise((r) => setTimeout(r, 100)); // the last long frames reach the observer
    return { gaps: m.gaps, loafs: m.loafs, scrolled: document.querySelector('.dg-body').scrollTop - m.start };
  });
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const marks = trace.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'grid-frame').sort((a, b) => a.ts - b.ts);
  const [first, end] = [marks[0], marks[marks.length - 1]];
  const main = trace.filter((e) => e.ph === 'X' && e.pid === first.pid && e.tid === first.tid && e.ts >= first.ts && e.ts < end.ts);
  const tasks = main.filter((e) => e.name === 'RunTask');
  const work = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const [a, b] = [marks[i].ts, marks[i + 1].ts];
    work.push(tasks.filter((t) => t.ts >= a && t.ts < b).reduce((s, t) => s + (t.tdur ?? t.dur ?? 0), 0) / 1000);
  }
  const layouts = main.filter((e) => e.name === 'Layout');
  const handlers = main.filter((e) => e.name === 'EventDispatch');
  const forced = layouts.filter((l) => handlers.some((h) => l.ts >= h.ts && l.ts < h.ts + h.dur)).length;
  const steal = tasks.reduce((s, t) => s + t.dur, 0) / Math.max(1, tasks.reduce((s, t) => s + (t.tdur ?? t.dur), 0));
  // Long animation frames (over 50 ms): what ran in them, and the layout scripts forced.
  const scripts = {};
  for (const f of got.loafs) for (const sc of f.scripts) scripts[sc.invoker] = (scripts[sc.invoker] ?? 0) + (sc.forcedStyleAndLayoutDuration ?? 0);
  return { ...got, work, frames: marks.length - 1, layouts: layouts.length, forced, steal, scripts };
}

const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const f1 = (x) => x.toFixed(1);

test('the longest grid scrolls without jank and sorts fast', async () => {
  const server = await startServer({ demo: 'small' });
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.locator('.nav-groups').waitFor();
    await page.goto(`${server.url}/#/reports/sales-register?from=${addDays(TODAY, -89)}&to=${TODAY}`);
    await page.reload();
    await page.locator('[data-testid=report-totals]').waitFor();
    const grid = page.locator('.dg[role=grid]').first();
    await page.waitForFunction(() => Number(document.querySelector('.dg[role=grid]')?.getAttribute('aria-rowcount')) > 10000, null, { timeout: 30000 });
    await page.waitForFunction(() => /10,000 rows/.test(document.querySelector('.dg-foot')?.textContent ?? ''), null, { timeout: 30000 });
    assert.ok((await grid.locator('.dg-row').count()) < 100, 'the grid draws only the rows in view');
    await page.waitForTimeout(500);

    for (const how of ['raf', 'wheel']) {
      const r = await measureScroll(browser, page, how);
      const lf = Object.entries(r.scripts).map(([k, v]) => `${k} ${f1(v)} ms forced layout`).join(', ') || 'none';
      console.log(`grid scroll over 10,000 rows (${how === 'raf' ? '120 px a frame from requestAnimationFrame' : 'a wheel at 7,200 px/s'}), ${r.frames} frames, ${r.scrolled} px: ` +
        `wall clock p50 ${f1(pct(r.gaps, 0.5))} ms, p95 ${f1(pct(r.gaps, 0.95))} ms; main-thread work p50 ${f1(pct(r.work, 0.5))} ms, p95 ${f1(pct(r.work, 0.95))} ms, max ${f1(Math.max(...r.work))} ms; ` +
        `${r.layouts} layouts, ${r.forced} forced in scroll handlers; steal ${f1(r.steal)}× (main-thread wall over CPU); ${r.loafs.length} frames over 50 ms, their scripts: ${lf}`);
      assert.ok(r.frames > (how === 'raf' ? 150 : 40), `${r.frames} frames traced`); // a wheel on a busy machine folds its scroll into fewer frames
      assert.ok(r.scrolled > 12000, `scrolled only ${r.scrolled}px`);
      assert.ok(pct(r.work, 0.95) < 32, `frame p95 ${f1(pct(r.work, 0.95))} ms of main-thread work`);
      assert.equal(r.forced, 0, 'the grid forced a layout in its scroll handler');
      assert.ok(r.layouts <= r.frames + 2, `${r.layouts} layouts in ${r.frames} frames`);
      if (r.steal <= 1.3 || process.env.VITARAN_E2E_WALL === '1') assert.ok(pct(r.gaps, 0.95) < 32, `wall-clock frame p95 ${f1(pct(r.gaps, 0.95))} ms (steal ${f1(r.steal)}×)`);
      else console.log(`wall clock not asserted: the machine starved the page (steal ${f1(r.steal)}× > 1.3)`);
    }

    // Sorting: a click on a heading, until the sorted rows are in the page.
    const sorts = [];
    for (const title of ['Line total', 'Outlet name', 'Line total']) {
      const ms = await page.evaluate(async (title) => {
        const th = [...document.querySelectorAll('.dg-th')].find((h) => h.textContent.replace(/[▲▼]/g, '').trim() === title);
        const before = document.querySelector('.dg-body .dg-row')?.textContent;
        const sorted = () => document.querySelector('.dg-body .dg-row')?.textContent !== before && th.getAttribute('aria-sort') !== 'none';
        const t0 = window.performance.now();
        th.click();
        while (!sorted() && window.performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 0));
        return sorted() ? window.performance.now() - t0 : -1;
      }, title);
      sorts.push(ms);
    }
    console.log(`sorting 10,000 rows: ${sorts.map((m) => m.toFixed(1) + ' ms').join(', ')}`);
    for (const ms of sorts) assert.ok(ms >= 0 && ms < 200, `a sort took ${ms.toFixed(1)} ms`);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-fit-scroll.png').catch(() => {});
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
