// Cancelling an earlier day's invoice asks whether the goods left: "yes"
// offers the sales return instead, "no" cancels it, and the invoice then
// shows who cancelled it, when and why.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

test("cancelling yesterday's invoice asks whether the goods left; yes offers the sales return", async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const r = await apiCall(page, 'POST', '/api/invoices', {
      outlet: 'SLS01', date: addDays(today, -1), date_override: true, lines: [{ item: 'GD200', qty: 12 }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const number = r.body.number;

    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(number));
    await page.reload(); // the company set up through the API
    await page.getByRole('button', { name: 'Cancel invoice' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Did the goods leave the godown?').waitFor();
    await dialog.locator('input[name="reason"]').fill('billed to the wrong outlet');
    assert.equal(await dialog.getByRole('button', { name: 'Cancel invoice' }).isDisabled(), true, 'no cancelling before the answer');

    await dialog.getByLabel('Yes, they went out').check();
    await dialog.getByText('Goods that left come back by a sales return').waitFor();
    await dialog.getByRole('button', { name: 'Open sales return' }).click();
    await page.waitForURL(/#\/returns\//);

    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(number));
    await page.getByRole('button', { name: 'Cancel invoice' }).click();
    await dialog.locator('input[name="reason"]').fill('billed to the wrong outlet');
    await dialog.getByLabel('No, they never left').check();
    await dialog.getByRole('button', { name: 'Cancel invoice' }).click();
    await page.getByText(/Cancelled .* by admin at .*: billed to the wrong outlet/).waitFor();

    const inv = await apiCall(page, 'GET', '/api/invoices/' + encodeURIComponent(number));
    assert.equal(inv.body.status, 'cancelled');
    assert.equal(inv.body.cancellation.date, today);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-cancel.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
