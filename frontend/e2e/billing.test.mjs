// A keyboard-only invoice, end to end: outlet, item, cases + pieces, rate,
// discount, Enter to totals, Ctrl+S; the saved invoice matches what the
// screen showed, the form clears and the next shop on the beat is one Enter away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

/** Waits until the focused element is the named input (focus moves after a render). */
async function focused(page, name) {
  await page.waitForFunction((n) => document.activeElement?.getAttribute('name') === n, name, { timeout: 5000 });
}

test('a keyboard-only invoice: outlet, item, 1 case + 6 pcs, 10% discount, Ctrl+S', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seedSmallBook(page);
    await page.goto(server.url + '/#/billing');
    await page.reload();
    await page.getByRole('heading', { name: 'Sales Invoice' }).waitFor();

    // The cursor starts in Outlet.
    const outlet = page.locator('input[name=outlet]');
    await outlet.waitFor();

    const k = page.keyboard;
    await focused(page, 'outlet');
    await k.type('sls01');
    await page.locator('.picker-opt', { hasText: 'SLS01' }).waitFor();
    await k.press('Enter');
    // Item type-ahead by name; the list shows stock and MRP.
    await k.type('good day');
    const opt = page.locator('.picker-opt', { hasText: 'GD200' });
    await opt.waitFor();
    assert.match(await opt.textContent(), /240/);
    await k.press('Enter');
    await focused(page, 'cs-1');
    await k.type('1'); // cases
    await k.press('Enter');
    await focused(page, 'pcs-1');
    await k.type('6'); // pieces
    await k.press('Enter');
    await focused(page, 'rate-1');
    assert.equal(await page.locator('input[name=rate-1]').inputValue(), '30.00'); // from the price list
    await k.press('Enter');
    await focused(page, 'disc-1');
    await k.type('10'); // discount %
    await k.press('Enter');
    // Now on row 2's item: Enter on an empty item goes to the totals.
    await focused(page, 'item-2');
    await k.press('Enter');

    // 18 pcs × ₹30 = 540, less 10% = 486.00 taxable; CGST/SGST 9% each = 43.74; total 573.48 → ₹573.
    const totals = page.locator('[data-testid=totals]');
    await page.waitForFunction(() => document.querySelector('[data-testid=total]')?.textContent?.includes('573'));
    assert.match(await totals.textContent(), /486\.00/);
    assert.match(await totals.textContent(), /43\.74/);
    assert.equal((await page.locator('.bl-amount').first().textContent()).trim(), '486.00');
    await shot(page, 'billing-plain.png');

    await k.press('Control+s');
    const last = page.locator('.last-inv');
    await last.waitFor();
    const number = /Last: (\S+)/.exec(await last.textContent())[1];
    assert.match(number, /^SI\/\d\d-\d\d\/0*1$/);

    const inv = await apiCall(page, 'GET', '/api/invoices/' + encodeURIComponent(number));
    assert.equal(inv.status, 200);
    assert.equal(inv.body.outlet, 'SLS01');
    assert.equal(inv.body.lines[0].qty, 18);
    assert.equal(inv.body.lines[0].discount_bp, 1000);
    assert.equal(inv.body.taxable_paise, 48600);
    assert.equal(inv.body.total_paise, 57300);

    // The form cleared and the next shop on the beat is one Enter away.
    await focused(page, 'outlet');
    await page.locator('.picker-opt', { hasText: 'SLS02' }).first().waitFor();
    await k.press('Enter');
    await page.locator('.bill-outlet-info').waitFor();
    assert.match(await outlet.inputValue(), /SLS02/);
    assert.equal(await page.locator('.bl-group').count(), 1);

    // The invoice list shows it; Enter opens it.
    await page.goto(server.url + '/#/invoices');
    await page.locator('.dg-row', { hasText: number }).waitFor();
    await page.locator('.dg-body').focus();
    await k.press('Enter');
    await page.locator(`[data-invoice="${number}"]`).waitFor();
    assert.match(await page.locator('.invoice-print').textContent(), /Rupees Five Hundred Seventy-Three Only/);
    await shot(page, 'invoice-view.png');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-billing.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
