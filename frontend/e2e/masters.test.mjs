// Issue 2's browser test: log in, set up the company, create a beat, create
// an outlet with a valid GSTIN, see an invalid GSTIN refused on the field,
// and keep a screenshot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gstinCheck, login, openBrowser, shot, startServer } from './harness.mjs';

assert.equal(gstinCheck('29ABCDE1234F1Z'), '29ABCDE1234F1ZW');

test('company setup, a beat, an outlet with a valid GSTIN, an invalid GSTIN refused on the field', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);

    // An empty book asks for the company first.
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await page.locator('#c-name').fill('Shree Ganesh Distributors');
    await page.locator('#c-address').fill('12, 2nd Cross, Gandhinagar, Bengaluru 560009');
    await page.locator('#c-gstin').fill(gstinCheck('29AAGCS1234K1Z'));
    await page.locator('#c-state').selectOption('29');
    await page.keyboard.press('Control+s');
    await page.locator('.topbar .company').getByText('Shree Ganesh Distributors').waitFor();
    assert.match(await page.locator('.topbar').textContent(), /FY 20\d\d-\d\d/);

    // A beat, created from the keyboard.
    await page.goto(server.url + '/#/beats');
    await page.getByRole('heading', { name: 'Beats' }).waitFor();
    await page.keyboard.press('Alt+n');
    await page.locator('#f-code').fill('BEAT-MON-01');
    await page.locator('#f-name').fill('Gandhinagar Monday');
    await page.locator('#f-weekday').selectOption('Monday');
    await page.keyboard.press('Control+s');
    await page.locator('.dg-row', { hasText: 'BEAT-MON-01' }).waitFor();

    // An outlet with an INVALID GSTIN is refused, the reason on the field.
    await page.goto(server.url + '/#/outlets');
    await page.getByRole('heading', { name: 'Outlets' }).waitFor();
    await page.keyboard.press('Alt+n');
    await page.locator('#f-code').fill('SLS01');
    await page.locator('#f-name').fill('Sri Lakshmi Stores');
    await page.locator('#f-address').fill('45, 4th Main, Gandhinagar');
    await page.locator('#f-gstin').fill('29ABCDE1234F1ZX');
    await page.locator('#f-state_code').selectOption('29');
    const beat = page.locator('.field[data-field=beat] input');
    await beat.click();
    await beat.fill('mon');
    await page.locator('.picker-opt', { hasText: 'BEAT-MON-01' }).waitFor();
    await beat.press('Enter');
    await page.keyboard.press('Control+s');
    const fieldError = page.locator('.field[data-field=gstin] [data-error-for=gstin]');
    await fieldError.waitFor();
    assert.equal((await fieldError.textContent()).trim(), 'GSTIN 29ABCDE1234F1ZX: the last character should be W');
    await shot(page, 'outlet-invalid-gstin.png');

    // Corrected, it saves and shows in the list.
    await page.locator('#f-gstin').fill('29ABCDE1234F1ZW');
    await page.keyboard.press('Control+s');
    const row = page.locator('.dg-row', { hasText: 'SLS01' });
    await row.waitFor();
    assert.match(await row.textContent(), /29ABCDE1234F1ZW/);
    assert.match(await row.textContent(), /BEAT-MON-01/);
    await shot(page, 'outlets.png');

    // And the API agrees.
    const saved = await page.evaluate(async () => (await fetch('/api/outlets/SLS01')).json());
    assert.equal(saved.gstin, '29ABCDE1234F1ZW');
    assert.equal(saved.beat, 'BEAT-MON-01');
    assert.equal(saved.state_code, '29');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-masters.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
