// A scheme an invoice redeemed keeps its terms (issue 12): on the scheme
// form a new "buy 5" is refused with the whole reason on top — which field,
// why, and to end the scheme and create a new one — and the name and end
// date still save.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TODAY, addDays, apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

async function must(page, method, path, body) {
  const r = await apiCall(page, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

test('a redeemed scheme refuses new terms on its form, naming them; the name and end date save', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seedSmallBook(page);
    await must(page, 'POST', '/api/schemes', {
      code: 'GD10P1', name: 'Good Day 10+1', kind: 'buy_x_get_y', valid_from: TODAY, valid_to: addDays(TODAY, 30), items: ['GD200'], buy_qty: 10, free_qty: 1,
    });
    const inv = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: TODAY, lines: [{ item: 'GD200', qty: 25 }] });
    assert.equal(inv.lines[1].qty, 2);

    await page.goto(server.url + '/#/schemes');
    await page.reload();
    await page.getByRole('heading', { name: 'Schemes' }).waitFor();
    await page.getByText('Good Day 10+1').dblclick();
    await page.getByRole('button', { name: 'Edit scheme' }).click();
    await page.locator('input[name=buy_qty]').fill('5');
    await page.getByRole('button', { name: /^Save/ }).click();
    const refusal = page.locator('.note.error[role=alert]');
    await refusal.waitFor();
    const text = await refusal.textContent();
    assert.match(text, /GD10P1 has been redeemed by invoices since/);
    assert.match(text, /buy_qty cannot change; end this scheme \(set its valid_to\) and create a new one/);

    await page.locator('input[name=buy_qty]').fill('10');
    await page.locator('input[name=name]').fill('Good Day 10+1 (this month)');
    await page.getByRole('button', { name: /^Save/ }).click();
    await page.getByText('Scheme GD10P1 saved').waitFor();
    const s = await must(page, 'GET', '/api/schemes/GD10P1');
    assert.equal(s.name, 'Good Day 10+1 (this month)');
    assert.equal(s.buy_qty, 10);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-schemes-frozen.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
