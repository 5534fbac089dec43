// Every screen opens on a seeded book without a script error; the stock
// screen shows the batch received.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

const routes = ['/billing', '/invoices', '/orders', '/returns', '/receipts', '/stock', '/purchases', '/adjustments', '/transfers',
  '/reconciliation', '/items', '/outlets', '/beats', '/salesmen', '/godowns', '/schemes', '/dashboard', '/reports', '/tally',
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
