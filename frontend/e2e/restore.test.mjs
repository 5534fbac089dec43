// An admin restores a backup from the Backups screen (issue 12): the word
// RESTORE typed to confirm, the book then as the backup was, and the report
// naming the invoice the restore lost.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { apiCall, login, openBrowser, repo, seedSmallBook, shot, startServer } from './harness.mjs';

const COMPANY = 'Shree Ganesh Distributors';

/** The emulated TallyPrime (`vitaran tally sim`) on a free port. */
async function startSim() {
  const bin = process.env.VITARAN_BIN || join(repo, 'bin', 'vitaran');
  const proc = spawn(bin, ['tally', 'sim', '--addr', '127.0.0.1:0', '--company', COMPANY], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((ok, bad) => {
    const t = setTimeout(() => bad(new Error('tally sim did not start: ' + out)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Emulated Tally at (http:\/\/\S+?)\/? with/.exec(out);
      if (m) {
        clearTimeout(t);
        ok(m[1]);
      }
    });
  });
  return { url, stop: () => proc.kill('SIGTERM') };
}

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

test('after a restore, the lost invoice Tally still holds is pulled back from the screen under its own number', async () => {
  const server = await startServer();
  const sim = await startSim();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const set = await apiCall(page, 'PUT', '/api/tally/settings', { url: sim.url + '/', company: COMPANY, mode: 'invoice' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const b = await apiCall(page, 'POST', '/api/backups', {});
    assert.equal(b.status, 201, JSON.stringify(b.body));
    const r = await apiCall(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 3 }] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lost = r.body.number;
    const push = await apiCall(page, 'POST', '/api/tally/push', {});
    assert.equal(push.status, 200, JSON.stringify(push.body));
    assert.equal(push.body.still_failed + push.body.still_waiting, 0, JSON.stringify(push.body));

    await page.goto(server.url + '/#/backups');
    await page.reload();
    await page.locator('select[name="restore-file"]').selectOption(b.body.name);
    await page.locator('input[name="restore-confirm"]').fill('RESTORE');
    await page.getByRole('button', { name: 'Restore this backup' }).click();
    const report = page.locator('[data-testid=restore-report]');
    await report.getByText('can be pulled from Tally').waitFor();
    await report.getByRole('button', { name: 'Pull back 1 from Tally' }).click();
    await report.getByText(/pulled from Tally \d\d-\d\d-\d{4}/).waitFor();
    const back = await apiCall(page, 'GET', '/api/invoices/' + encodeURIComponent(lost));
    assert.equal(back.status, 200, 'the lost invoice is back in the book');
    assert.equal(back.body.lines[0].qty, 3);
    await shot(page, 'restore-pull.png');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-restore-pull.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    sim.stop();
    await server.stop();
  }
});
