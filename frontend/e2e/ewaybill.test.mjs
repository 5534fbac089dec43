// The e-way bill screen, as a clerk uses it: from an invoice, check with no
// vehicle (the portal's refusal in plain words), put it on a dispatch trip
// (whose vehicle and distance fill the transport), download
// the JSON for the portal, record the EWB number it gave, and see it on the
// printed invoice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

test('an e-way bill from an invoice: problems in plain words, the JSON out, the EWB number back on the invoice', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    // the e-way bill needs both places' city and PIN; a ₹500 threshold makes a small bill need one
    for (const [method, path, body] of [
      ['PUT', '/api/company', { city: 'Bengaluru', pincode: '560009', ewaybill_threshold_paise: 50000 }],
      ['PUT', '/api/outlets/SLS01', { city: 'Bengaluru', pincode: '560020' }],
    ]) {
      const r = await apiCall(page, method, path, body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const inv = await apiCall(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 24 }] });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    const number = inv.body.number;
    await page.reload();

    // from the invoice's page
    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(number));
    await page.getByRole('button', { name: 'e-Way bill' }).click();
    await page.getByRole('heading', { name: 'e-Way bill' }).waitFor();
    assert.equal(await page.locator('#ewb-number').inputValue(), number);

    // no vehicle: told in plain words, nothing to download
    await page.getByRole('button', { name: /^Check/ }).click();
    await page.locator('.ewb-problems', { hasText: 'enter the vehicle number' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Download JSON/ }).isDisabled(), true);

    // the invoice goes out on a dispatch trip: its vehicle and distance fill the transport
    const trip = await apiCall(page, 'POST', '/api/dispatch/trips', { date: today, vehicle_no: 'ka05ab1234', driver: 'Ravi', distance_km: 12, invoices: [number] });
    assert.equal(trip.status, 201, JSON.stringify(trip.body));
    await page.locator('#ewb-tname').fill('Sri Lorry Service');
    await page.locator('#ewb-tname').press('Control+s');
    await page.locator('.ewb-report .ok', { hasText: 'Ready for the portal' }).waitFor();
    assert.equal(await page.locator('#ewb-vehicle').inputValue(), 'KA05AB1234');
    assert.equal(await page.locator('#ewb-distance').inputValue(), '12');
    await page.locator('.form-section', { hasText: `from dispatch trip #${trip.body.id}` }).waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download JSON/ }).click()]);
    const file = JSON.parse(await readFile(await dl.path(), 'utf8'));
    assert.equal(file.billLists.length, 1);
    assert.equal(file.billLists[0].docNo, number);
    assert.equal(file.billLists[0].vehicleNo, 'KA05AB1234');
    assert.equal(file.billLists[0].transporterName, 'Sri Lorry Service');
    assert.equal(file.billLists[0].toPincode, 560020);

    // the portal's number back on the invoice: a wrong one is named, then recorded
    await page.locator('input[name=ewb_no]').fill('12345');
    await page.getByRole('button', { name: 'Record on the invoice' }).click();
    await page.locator('.field-error', { hasText: 'the portal gives 12 digits' }).waitFor();
    await page.locator('input[name=ewb_no]').fill('1812 3456 7890');
    await page.getByRole('button', { name: 'Record on the invoice' }).click();
    await page.locator('.toast', { hasText: 'e-way bill 181234567890 recorded' }).waitFor();
    await shot(page, 'ewaybill.png');

    // it prints on the invoice
    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(number));
    await page.locator('.ip-ewb', { hasText: 'e-Way Bill No. 181234567890' }).waitFor();
    assert.match(await page.locator('.ip-ewb').textContent(), /vehicle KA05AB1234/);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-ewaybill.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
