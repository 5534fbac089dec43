// The daily round's screens that were API-only (issue 17), at 1366×768:
// purchase orders listed by status, their lines, and an open one closed with
// its reason; a cheque deposited and cleared on the Cheques screen (a
// cleared cheque no longer offers to bounce, and the bank cannot bounce
// it); the outlet ledger opened from the outstanding report, and Esc back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

const VIEW = { width: 1366, height: 768 };

async function must(page, method, path, body) {
  const r = await apiCall(page, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function run(name, fn) {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, VIEW);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    await fn(page, server, today);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
    assert.equal(sideways, false, `${name} runs past 1366 px`);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, `FAILED-orders-${name}.png`).catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
}

test('purchase orders: listed by status with their lines; an open one closed with its reason', async () => {
  await run('purchase-orders', async (page, server, today) => {
    const a = await must(page, 'POST', '/api/purchase-orders', { brand: 'Britannia', lines: [{ item: 'GD200', qty: 120 }] });
    const b = await must(page, 'POST', '/api/purchase-orders', { brand: 'Britannia', lines: [{ item: 'GD200', qty: 30 }] });
    // a GRN made from the second receives all of it
    await must(page, 'POST', '/api/purchases', {
      supplier_invoice_no: 'BRIT/2026/0002', date: today, purchase_order: b.number,
      lines: [{ item: 'GD200', batch: 'B2602', expiry: '2030-12-31', mrp_paise: 4000, qty: 30, rate_paise: 2500 }],
    });

    await page.goto(server.url + '/#/purchase-orders');
    await page.reload();
    await page.getByRole('heading', { name: 'Purchase orders' }).waitFor();
    const menu = await page.locator('.nav-link').evaluateAll((as) => as.map((x) => x.textContent.trim()));
    assert.ok(menu.some((t) => t.startsWith('Purchase orders')), `the menu: ${menu}`);
    const row = (n) => page.locator(`tr[data-po="${n}"]`);
    await row(a.number).waitFor();
    // newest first; the received one says so
    const numbers = await page.locator('[data-testid=purchase-orders] tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.po));
    assert.deepEqual(numbers, [b.number, a.number]);
    assert.match(await row(b.number).locator('[data-testid=po-status]').innerText(), /^Received/);
    assert.match(await page.locator('[data-testid=po-totals]').innerText(), /2 orders · ordered 150 · received 30 · pending 120/);
    assert.equal(await row(b.number).getByRole('button', { name: 'Close…' }).count(), 0, 'a received order cannot be closed');

    // its lines, in cases + pieces (12 a case)
    await row(a.number).getByRole('button', { name: 'Lines' }).click();
    const lines = page.locator('[data-testid=po-lines] tbody tr');
    await lines.first().waitFor();
    assert.match(await lines.first().innerText(), /GD200\s+Good Day Cashew 200g\s+BRT-GD-200\s+10 cs\s+0\s+10 cs/);

    // open only: one left
    await page.locator('select[name=status]').selectOption('open');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=purchase-orders] tbody tr').length === 1);

    // closed without a reason → refused on the field; with one → closed, nothing pending
    await row(a.number).getByRole('button', { name: 'Close…' }).click();
    await page.locator('input[name=close-reason]').waitFor();
    await page.getByRole('button', { name: 'Close order' }).click();
    const refused = page.locator('[data-testid=close-form] [role=alert]');
    await refused.waitFor();
    assert.equal(await refused.innerText(), 'The reason is required: say why the rest will not come');
    assert.equal((await must(page, 'GET', '/api/purchase-orders/' + encodeURIComponent(a.number))).status, 'open');
    await page.locator('input[name=close-reason]').fill('brand out of stock till Diwali');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=purchase-orders] tbody tr').length === 0);
    const closed = await must(page, 'GET', '/api/purchase-orders/' + encodeURIComponent(a.number));
    assert.deepEqual([closed.status, closed.pending, closed.closed_reason], ['closed', 0, 'brand out of stock till Diwali']);
    await page.locator('select[name=status]').selectOption('closed');
    await row(a.number).waitFor();
    assert.match(await row(a.number).locator('[data-testid=po-status]').innerText(), /Closed: brand out of stock till Diwali/);
    await shot(page, 'purchase-orders.png');
  });
});

test('a cheque is deposited and cleared on the Cheques screen; a cleared cheque cannot bounce', async () => {
  await run('cheque-clear', async (page, server, today) => {
    const inv = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 12 }] });
    const rc = await must(page, 'POST', '/api/receipts', {
      outlet: 'SLS01', date: today, mode: 'cheque', amount_paise: 20000, reference: '004711', bank: 'Canara Bank', cheque_date: today,
    });
    await page.goto(server.url + '/#/cheques');
    await page.reload();
    await page.getByRole('heading', { name: 'Cheques' }).waitFor();
    const row = page.locator('[data-testid=cheques] tbody tr', { hasText: '004711' });
    await row.waitFor();
    assert.match(await row.innerText(), /In hand/);
    await row.getByRole('button', { name: 'Deposit' }).click();
    await row.getByRole('button', { name: 'Cleared' }).waitFor();
    assert.match(await row.innerText(), /Deposited/);
    await row.getByRole('button', { name: 'Cleared' }).click();
    // cleared on today's date, DD-MM-YYYY, and nothing more offered (no Bounced…)
    const dmy = today.split('-').reverse().join('-');
    await page.waitForFunction(() => document.querySelector('[data-testid=cheques] tbody tr')?.querySelectorAll('button').length === 0);
    assert.match(await row.innerText(), new RegExp(`Cleared ${dmy}`));
    const c = await must(page, 'GET', '/api/cheques/' + encodeURIComponent(rc.number));
    assert.deepEqual([c.status, c.cleared_on], ['cleared', today]);
    const bounce = await apiCall(page, 'POST', `/api/cheques/${encodeURIComponent(rc.number)}/bounce`, { date: today, reason: 'late' });
    assert.equal(bounce.status, 409, JSON.stringify(bounce.body));
    // the money stays received: the bill owes the rest
    const owes = await must(page, 'GET', '/api/outlets/SLS01/outstanding');
    assert.equal(owes.due_paise, inv.total_paise - 20000);
    await page.locator('select[name=status]').selectOption('cleared');
    await page.waitForFunction(() => /1 cheques/.test(document.querySelector('[data-testid=cheque-totals]')?.textContent ?? ''));
    await shot(page, 'cheque-cleared.png');
  });
});

test('the outstanding report opens an outlet’s ledger with Enter, and Esc comes back to it', async () => {
  await run('ledger-from-outstanding', async (page, server, today) => {
    await must(page, 'POST', '/api/invoices', { outlet: 'SLS02', date: today, lines: [{ item: 'GD200', qty: 24 }] });
    await page.goto(server.url + '/#/reports/outstanding');
    await page.reload();
    const sls02 = page.locator('.dg-row', { hasText: 'SLS02' });
    await sls02.waitFor();
    // keyboard: into the grid, down to SLS02's row, Enter
    await page.locator('.dg-body').focus();
    const rows = await page.locator('.dg-row').evaluateAll((rs) => rs.map((r) => r.textContent));
    const at = rows.findIndex((t) => t.includes('SLS02'));
    assert.ok(at >= 0, rows.join(' | '));
    for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ledger SLS02' }).waitFor();
    await page.waitForFunction(() => /1\s+entr/.test(document.querySelector('[data-testid=ledger-totals]')?.textContent ?? ''));
    assert.match(await page.locator('.master-body').innerText(), /Invoice/);
    // Esc goes back to the report it came from, not to the outlets
    await page.keyboard.press('Escape');
    await page.getByText('Outstanding and ageing · as of').waitFor();
    await page.locator('.dg-row', { hasText: 'SLS02' }).waitFor();
    // the bill-by-bill report too, by a double click
    await page.goto(server.url + '/#/reports/outstanding-bills');
    await page.reload();
    await page.locator('.dg-row', { hasText: 'SLS02' }).first().dblclick();
    await page.getByRole('heading', { name: 'Ledger SLS02' }).waitFor();
  });
});
