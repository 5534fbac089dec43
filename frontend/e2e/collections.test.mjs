// The round in a browser. The money: the accountant tags the beat's two open
// bills to Ravi, prints the sheet, and settles it — the first bill in full
// in cash, ₹100 of the second by cheque. The book then owes exactly what
// was not collected; the cheque is deposited and bounces, and its bill
// owes again with the bank's charge.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

async function must(page, method, path, body) {
  const r = await apiCall(page, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function pick(page, name, typed, shown) {
  await page.locator(`input[name=${name}]`).click();
  await page.keyboard.type(typed);
  await page.locator('.picker-opt', { hasText: shown }).first().waitFor();
  await page.keyboard.press('Enter');
}

test('a collection sheet is tagged, printed and settled bill-wise; a bounced cheque reopens its bill', { timeout: 120000 }, async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    await must(page, 'POST', '/api/salesmen', { code: 'RAVI', name: 'Ravi Kumar', active: true });
    const a = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 12 }] });
    const b = await must(page, 'POST', '/api/invoices', { outlet: 'SLS02', date: today, lines: [{ item: 'GD200', qty: 24 }] });

    await page.goto(server.url + '/#/collections');
    await page.reload();
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    await pick(page, 'beat', 'beat-mon', 'BEAT-MON-01');
    await page.locator('[data-testid=open-bills] tbody tr').nth(1).waitFor();
    await pick(page, 'salesman', 'ravi', 'RAVI');
    await page.getByRole('button', { name: /^Tag 2 bills/ }).click();
    const sheet = page.locator('[data-testid=collection-sheet]');
    await sheet.waitFor();
    assert.match(await sheet.innerText(), new RegExp(a.number.replace(/\//g, '\\/')));
    await shot(page, 'collection-sheet.png');

    const form = page.locator('[data-testid=settle-form]');
    await form.getByRole('button', { name: 'full' }).first().click();
    await page.locator('input[name=amount-1]').fill('100');
    await page.locator('select[name=mode-1]').selectOption('cheque');
    await page.locator('input[name=cheque-1]').fill('004512');
    await page.locator('input[name=bank-1]').fill('Canara Bank');
    await form.getByRole('button', { name: 'Settle sheet' }).click();
    await page.locator('[data-sheet="1"] h2', { hasText: 'settled' }).waitFor();

    const settled = await must(page, 'GET', '/api/collections/1');
    assert.equal(settled.status, 'settled');
    assert.match(settled.settle_request_id ?? '', /^[0-9a-f]{32}$/, 'the screen settles with a request_id, so a retry is answered, not refused');
    assert.deepEqual(settled.bills.map((x) => [x.invoice, x.result, x.collected_paise]), [[a.number, 'paid', a.total_paise], [b.number, 'short', 10000]]);
    assert.equal(settled.receipts.length, 2);
    const owes1 = await must(page, 'GET', '/api/outlets/SLS01/outstanding');
    const owes2 = await must(page, 'GET', '/api/outlets/SLS02/outstanding');
    assert.equal(owes1.due_paise, 0);
    assert.equal(owes2.due_paise, b.total_paise - 10000);

    // the cheque: deposited, then returned by the bank with a ₹150 charge
    await page.goto(server.url + '/#/cheques');
    await page.getByRole('heading', { name: 'Cheques' }).waitFor();
    await page.getByRole('button', { name: 'Deposit' }).click();
    await page.getByRole('button', { name: 'Bounced…' }).click();
    await page.locator('input[name=bounce-reason]').fill('funds insufficient');
    await page.locator('input[name=bounce-charge]').fill('150');
    await page.getByRole('button', { name: 'Record bounce' }).click();
    await page.locator('[data-testid=cheques] td', { hasText: 'CHB/' }).waitFor();
    const after = await must(page, 'GET', '/api/outlets/SLS02/outstanding');
    assert.equal(after.due_paise, b.total_paise + 15000);

    // the outlet's ledger, from the outlet list by keyboard: search, ↓ into
    // the list, Alt+L; invoice, receipt and bounce with the balance after
    // each, dates DD-MM-YYYY, the closing what the outlet owes
    await page.goto(server.url + '/#/outlets');
    await page.getByRole('heading', { name: 'Outlets' }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('SLS02');
    await page.keyboard.press('ArrowDown');
    await page.locator('.dg-row', { hasText: 'SLS02' }).first().waitFor();
    await page.keyboard.press('Alt+l');
    await page.getByRole('heading', { name: 'Ledger SLS02' }).waitFor();
    const totals = page.locator('[data-testid=ledger-totals]');
    await page.waitForFunction(() => /3\s+entries/.test(document.querySelector('[data-testid=ledger-totals]')?.textContent ?? ''));
    const money = (p) => (p / 100).toLocaleString('en-IN', { minimumFractionDigits: 2 });
    assert.match(await totals.textContent(), new RegExp(`Closing ₹ ${money(after.outstanding_paise ?? after.due_paise).replace(/[.,]/g, '\\$&')}`));
    const text = await page.locator('.master-body').innerText();
    const dmy = today.split('-').reverse().join('-');
    assert.ok(text.includes(dmy), `dates read ${dmy}: ${text.slice(0, 300)}`);
    assert.match(text, /Invoice[\s\S]*Receipt[\s\S]*Cheque bounce/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the ledger fits 1366 wide');
    await shot(page, 'outlet-ledger.png');
    // Enter on the first line opens its invoice; Esc comes back to the outlets
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Invoice ${b.number}` }).waitFor();
    await page.goto(server.url + '/#/outlet-ledger/SLS02');
    await page.getByRole('heading', { name: 'Ledger SLS02' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Outlets' }).waitFor();
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-collections.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a beat goes out on a van; the bill the shop refused comes back to stock the same day', { timeout: 120000 }, async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const a = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 12 }] });
    const b = await must(page, 'POST', '/api/invoices', { outlet: 'SLS02', date: today, lines: [{ item: 'GD200', qty: 30 }] });
    const before = await must(page, 'GET', '/api/stock/GD200');

    await page.goto(server.url + '/#/dispatches');
    await page.reload();
    await page.getByRole('heading', { name: 'Dispatches' }).waitFor();
    await pick(page, 'beat', 'beat-mon', 'BEAT-MON-01');
    await page.locator('input[name=vehicle_no]').fill('ka 05 ab 1234');
    await page.locator('input[name=driver]').fill('Selvam');
    await page.getByRole('button', { name: "Load the beat's bills" }).click();
    await page.locator('[data-trip="1"] h2', { hasText: 'KA05AB1234' }).waitFor();

    await page.locator('select[name=result-1]').selectOption('returned');
    await page.locator('input[name=reason-1]').fill('shop closed');
    await page.getByRole('button', { name: 'Record return' }).click();
    await page.locator('[data-trip="1"] h2', { hasText: 'returned' }).waitFor();

    const trip = await must(page, 'GET', '/api/dispatch/trips/1');
    assert.deepEqual(trip.invoices.map((x) => [x.invoice, x.result, x.back ?? '']), [[a.number, 'delivered', ''], [b.number, 'returned', 'cancelled']]);
    const inv = await must(page, 'GET', '/api/invoices/' + encodeURIComponent(b.number));
    assert.equal(inv.status, 'cancelled');
    const after = await must(page, 'GET', '/api/stock/GD200');
    assert.equal(after.qty, before.qty + 30);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-dispatches.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
