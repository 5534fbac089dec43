// An admin restores a backup from the Backups screen (issue 12): the word
// RESTORE typed to confirm, the book then as the backup was, and the report
// naming the invoice the restore lost.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

test('an admin restores a listed backup from the screen, typing RESTORE; the lost invoice is named', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const b = await apiCall(page, 'POST', '/api/backups', {});
    assert.equal(b.status, 201, JSON.stringify(b.body));
    const r = await apiCall(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 3 }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lost = r.body.number;

    await page.goto(server.url + '/#/backups');
    await page.reload();
    await page.getByRole('heading', { name: 'Restore' }).waitFor();
    await page.locator('select[name="restore-file"]').selectOption(b.body.name);
    const go = page.getByRole('button', { name: 'Restore this backup' });
    assert.equal(await go.isDisabled(), true, 'no restore before RESTORE is typed');
    await page.locator('input[name="restore-confirm"]').fill('restore');
    assert.equal(await go.isDisabled(), true, 'the word is RESTORE, in capitals');
    await page.locator('input[name="restore-confirm"]').fill('RESTORE');
    await go.click();
    const report = page.locator('[data-testid=restore-report]');
    await report.getByText(`lost: invoice ${lost} (nowhere else)`).waitFor();
    await report.locator('td', { hasText: lost }).waitFor();
    const gone = await apiCall(page, 'GET', '/api/invoices/' + encodeURIComponent(lost));
    assert.equal(gone.status, 404, 'the restored book does not have the lost invoice');
    const again = await apiCall(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 1 }] });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.ok(again.body.number > lost, `the next invoice ${again.body.number} is above the lost ${lost}`);
    await shot(page, 'restore.png');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-restore.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
