// Every screen opens on a seeded book without a script error; the stock
// screen shows the batch received.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

const routes = ['/billing', '/invoices', '/orders', '/returns', '/credit-notes', '/receipts', '/receipt-register', '/stock', '/purchases', '/purchase-suggestions', '/purchase-register', '/adjustments', '/transfers',
  '/reconciliation', '/dispatch', '/dispatches', '/collections', '/cheques', '/items', '/outlets', '/beats', '/salesmen', '/godowns', '/schemes', '/dashboard', '/reports', '/tally',
  '/upload', '/company', '/import', '/users', '/backups', '/audit'];

test('every screen opens without a script error', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seedSmallBook(page);
    await page.reload();
    for (const r of routes) {
      await page.goto(server.url + '/#' + r);
      await page.locator('.content h1').first().waitFor();
    }
    await page.goto(server.url + '/#/stock');
    const row = page.locator('.dg-row', { hasText: 'GD200' });
    await row.waitFor();
    assert.match(await row.textContent(), /240/);
    assert.match(await row.textContent(), /20 cs/);
    await row.click();
    await page.locator('.side-detail', { hasText: 'B2601' }).waitFor();
    await shot(page, 'stock.png');

    // The Tally mapping imports from a sheet (raw body, ?name= says CSV or Excel).
    await page.goto(server.url + '/#/tally');
    await page.getByRole('button', { name: 'Mapping' }).click();
    await page.getByRole('button', { name: 'Import from Excel…' }).waitFor();
    await page.locator('input[name=mapping-file]').setInputFiles({
      name: 'tally-mapping.csv', mimeType: 'text/csv',
      buffer: Buffer.from('Kind,Vitaran name,Tally name\nledger,Sri Lakshmi Stores,Sri Lakshmi Stores (Gandhinagar)\n'),
    });
    await page.locator('.toast', { hasText: 'Mapping imported' }).waitFor();
    const m = await apiCall(page, 'GET', '/api/tally/mapping');
    assert.match(JSON.stringify(m.body), /Sri Lakshmi Stores \(Gandhinagar\)/);
    assert.equal(await page.locator('input[aria-label="Tally name for Sri Lakshmi Stores"]').inputValue(), 'Sri Lakshmi Stores (Gandhinagar)');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-screens.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
