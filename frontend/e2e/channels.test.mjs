// The Channels screen (issue 16), at 1366×768 and from the keyboard: the
// built-in channels with their synonyms; a channel of the distributor's own
// added with its spellings (Alt+N, Ctrl+S); synonyms added to it later
// (Enter on its row); a spelling that already means another channel refused
// on the field; an outlet typed with a synonym kept as the channel's code,
// and one typed with an unknown channel refused as the clerk typed it. A
// built-in channel's own synonyms are removed the same way (paan loses
// "pan"), shown as removed, audited, and the freed spelling given to
// another channel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

test('channels: listed with synonyms, added and extended from the keyboard, used by outlets', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seedSmallBook(page);

    // In the menu, next to Beats.
    await page.goto(server.url + '/#/channels');
    await page.reload();
    const grocery = page.locator('.dg-row', { hasText: 'grocery' });
    await grocery.waitFor();
    await page.locator('.nav-groups').waitFor();
    const menu = await page.locator('.nav-link').evaluateAll((as) => as.map((a) => a.textContent.trim()));
    const at = menu.findIndex((t) => t.startsWith('Channels'));
    assert.ok(at > 0 && menu[at - 1].startsWith('Beats'), `Channels sits at ${at} in ${menu}`);
    assert.match(await grocery.innerText(), /kirana, general store/);
    assert.equal(await page.locator('.dg-row').count(), 8);

    // A channel of his own, all from the keyboard.
    const k = page.keyboard;
    await k.press('Alt+N');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'code');
    await k.type('Van Sales');
    await k.press('Tab');
    await k.type('Van sales');
    await k.press('Tab');
    await k.type('VS, van');
    await k.press('Control+S');
    const van = page.locator('.dg-row', { hasText: 'van_sales' });
    await van.waitFor();
    assert.match(await van.innerText(), /VS, van/);
    assert.equal(await page.locator('.drawer').count(), 0);

    // More spellings later: / to search, down into the list, Enter on its row.
    await page.waitForFunction(() => document.activeElement?.closest('.dg'));
    await k.press('/');
    await k.type('van_');
    await page.waitForFunction(() => document.querySelectorAll('.dg-row').length === 1);
    await k.press('ArrowDown');
    await k.press('Enter');
    await page.locator('.drawer textarea[name=synonyms]').waitFor();
    assert.equal(await page.locator('.drawer input[name=code]').isDisabled(), true);
    await page.locator('.drawer textarea[name=synonyms]').focus();
    await k.press('End');
    await k.type(', Mobile Van, kirana');
    await k.press('Control+S');
    // "kirana" is grocery's: refused on the field, nothing saved.
    const err = page.locator('.drawer [data-field=synonyms]');
    await page.waitForFunction(() => /already means channel grocery/.test(document.querySelector('.drawer [data-field=synonyms]')?.textContent ?? ''));
    assert.match(await err.innerText(), /"kirana" already means channel grocery/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'synonyms');
    const stored = (await apiCall(page, 'GET', '/api/channels')).body.find((c) => c.code === 'van_sales');
    assert.deepEqual(stored.synonyms, ['VS', 'van']);
    await k.press('Backspace');
    for (let i = 0; i < ', kirana'.length - 1; i++) await k.press('Backspace');
    await k.press('Control+S');
    await page.locator('.drawer').waitFor({ state: 'detached' });
    await page.locator('.dg-row', { hasText: 'Mobile Van' }).waitFor();
    assert.deepEqual((await apiCall(page, 'GET', '/api/channels')).body.find((c) => c.code === 'van_sales').synonyms, ['VS', 'van', 'Mobile Van']);

    // A built-in channel's own synonyms: paan keeps "paan shop", takes
    // "Beeda", and loses "pan" and "pan shop", from the keyboard.
    await page.waitForFunction(() => document.activeElement?.closest('.dg'));
    await k.press('/');
    await k.press('Control+A');
    await k.type('paan');
    await page.waitForFunction(() => document.querySelectorAll('.dg-row').length === 1);
    await k.press('ArrowDown');
    await k.press('Enter');
    const syn = page.locator('.drawer textarea[name=synonyms]');
    await syn.waitFor();
    assert.equal(await syn.inputValue(), 'pan, paan shop, pan shop');
    await syn.focus();
    await k.press('Control+A');
    await k.type('paan shop, Beeda');
    await k.press('Control+S');
    await page.locator('.drawer').waitFor({ state: 'detached' });
    const paan = page.locator('.dg-row', { hasText: 'Beeda' });
    await paan.waitFor();
    assert.match(await paan.innerText(), /paan shop, Beeda[\s\S]*Yes[\s\S]*pan, pan shop/);
    const stored2 = (await apiCall(page, 'GET', '/api/channels')).body.find((c) => c.code === 'paan');
    assert.deepEqual([stored2.synonyms, stored2.removed, stored2.built_in], [['paan shop', 'Beeda'], ['pan', 'pan shop'], true]);
    const audit = (await apiCall(page, 'GET', '/api/audit?kind=channel&q=paan')).body.entries;
    assert.equal(audit[0]?.note, 'synonyms added: Beeda; synonyms removed: pan, pan shop', JSON.stringify(audit[0]));
    // "pan" means nothing now, so an outlet typed with it is refused, and it may go to a channel of his own.
    const pan = await apiCall(page, 'POST', '/api/outlets', { code: 'PAN01', name: 'Pan corner', state_code: '29', channel: 'pan', active: true });
    assert.equal(pan.status, 400, JSON.stringify(pan.body));
    const masala = await apiCall(page, 'POST', '/api/channels', { code: 'pan_masala', synonyms: ['pan'] });
    assert.equal(masala.status, 200, JSON.stringify(masala.body));
    // Through the API too: the list posted is the whole list, so "paan shop" goes and "pan shop" comes back.
    const back = await apiCall(page, 'POST', '/api/channels', { code: 'paan', name: 'Paan', synonyms: ['Beeda', 'pan shop'] });
    assert.deepEqual([back.body.synonyms, back.body.removed], [['pan shop', 'Beeda'], ['pan', 'paan shop']]);

    // Fits 1366×768: nothing runs past the screen.
    const past = await page.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      return main.scrollWidth > main.clientWidth + 1 || document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
    });
    assert.equal(past, false, 'the Channels screen runs past 1366 px');
    await shot(page, 'channels.png');

    // Outlets: a synonym is the channel's code; an unknown channel is named as typed.
    const ok = await apiCall(page, 'POST', '/api/outlets', { code: 'VAN01', name: 'Van one', state_code: '29', channel: 'mobile  van', active: true });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.channel, 'van_sales');
    const bad = await apiCall(page, 'POST', '/api/outlets', { code: 'TOY01', name: 'Toys', state_code: '29', channel: 'Toy shop', active: true });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /"Toy shop\\" is not a channel/);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-channels.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
