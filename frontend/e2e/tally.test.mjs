// Pulling masters from Tally (the emulated TallyPrime, `vitaran tally sim`):
// the preview flags new stock items "needs MRP" (Tally keeps none); the
// accountant types the MRP of one and skips the other; apply creates the
// first with that MRP and leaves the second, saying why.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { apiCall, login, openBrowser, repo, seedSmallBook, shot, startServer } from './harness.mjs';

const COMPANY = 'Shree Ganesh Distributors';

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

/** Creates a stock item in the emulated Tally, as the accountant would have. */
async function tallyItem(url, name) {
  const xml = `<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER><BODY><IMPORTDATA><REQUESTDESC><REPORTNAME>All Masters</REPORTNAME>
<STATICVARIABLES><SVCURRENTCOMPANY>${COMPANY}</SVCURRENTCOMPANY></STATICVARIABLES></REQUESTDESC><REQUESTDATA><TALLYMESSAGE>
<STOCKITEM NAME="${name}" ACTION="Create"><GSTDETAILS.LIST><HSNCODE>19053100</HSNCODE><STATEWISEDETAILS.LIST><RATEDETAILS.LIST>
<GSTRATEDUTYHEAD>IGST</GSTRATEDUTYHEAD><GSTRATE>18</GSTRATE></RATEDETAILS.LIST></STATEWISEDETAILS.LIST></GSTDETAILS.LIST></STOCKITEM>
</TALLYMESSAGE></REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>`;
  const r = await fetch(url, { method: 'POST', body: xml });
  assert.match(await r.text(), /<CREATED>1<\/CREATED>/);
}

test('Tally pull: new items need an MRP; one typed, one skipped', async () => {
  const sim = await startSim();
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seedSmallBook(page);
    const s = (await apiCall(page, 'GET', '/api/tally/settings')).body;
    const put = await apiCall(page, 'PUT', '/api/tally/settings', { ...s, url: sim.url, company: COMPANY });
    assert.ok(put.status < 300, JSON.stringify(put.body));
    await tallyItem(sim.url, 'Marie Gold 250g');
    await tallyItem(sim.url, 'Bourbon 150g');

    await page.goto(server.url + '/#/tally');
    await page.reload();
    await page.getByRole('button', { name: 'Pull masters' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    const marie = page.locator('tr', { hasText: 'Marie Gold 250g' });
    await marie.waitFor();
    assert.match(await marie.textContent(), /needs MRP/);
    assert.match(await page.locator('[data-testid=mrp-state]').textContent(), /0 of 2 new items have an MRP/);

    await marie.locator('.mrp-cell input[inputmode=decimal]').fill('35');
    await page.locator('tr', { hasText: 'Bourbon 150g' }).getByRole('checkbox').check();
    assert.match(await page.locator('[data-testid=mrp-state]').textContent(), /1 of 2 new items have an MRP/);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('.toast', { hasText: 'Applied' }).waitFor();
    assert.match(await page.locator('tr', { hasText: 'Bourbon 150g' }).textContent(), /skipped: needs MRP/);
    await shot(page, 'tally-pull.png');

    const items = (await apiCall(page, 'GET', '/api/items')).body;
    const list = Array.isArray(items) ? items : Object.values(items).find(Array.isArray);
    const m = list.find((i) => i.name === 'Marie Gold 250g');
    assert.ok(m, 'Marie Gold was created');
    assert.equal(m.mrp_paise, 3500);
    assert.ok(!list.some((i) => i.name === 'Bourbon 150g'), 'Bourbon was skipped');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-tally.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
    sim.stop();
  }
});
