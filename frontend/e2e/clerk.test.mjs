// A clerk's day without surprises (issue 16), at 1366×768: a bill in
// progress survives leaving the screen and a reload and is offered back; a
// line with an item but no quantity is named, never dropped; two Enters on an
// empty row do not save; keys sent at 0 ms spacing land in the right cells.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { TODAY, apiCall, login, openBrowser, seedSmallBook, shot, startServer } from './harness.mjs';

const VIEW = { width: 1366, height: 768 };

async function focused(page, name) {
  await page.waitForFunction((n) => document.activeElement?.getAttribute('name') === n, name, { timeout: 5000 });
}

async function must(page, method, path, body) {
  const r = await apiCall(page, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The rows of a list, paged ({rows}) or bare. */
async function rows(page, path) {
  const b = await must(page, 'GET', path);
  return Array.isArray(b) ? b : b.rows;
}

/** The small book plus a loose item (no case size) for pieces-only lines. */
async function seed(page) {
  const { today } = await seedSmallBook(page);
  await must(page, 'POST', '/api/items', {
    code: 'PG100', brand_code: 'PAR-PG-100', name: 'Parle-G 100g', brand: 'Parle', category: 'Biscuits/Glucose',
    hsn: '19053100', gst_rate_bp: 1800, mrp_paise: 1000, unit: 'PCS', case_size: 1, price_paise: 800, active: true,
  });
  await must(page, 'POST', '/api/purchases', {
    supplier_invoice_no: 'PAR/2026/0001', date: today, lines: [{ item: 'PG100', batch: 'P1', expiry: '2030-12-31', mrp_paise: 1000, qty: 500, rate_paise: 700 }],
  });
  return { today };
}

/** In the picker cell `name`, types `typed` and takes the option showing `shown` with Enter. */
async function pick(page, name, typed, shown = typed.toUpperCase()) {
  await focused(page, name);
  await page.keyboard.type(typed);
  await page.locator('.picker-opt', { hasText: shown }).waitFor();
  await page.keyboard.press('Enter');
}

async function openBilling(page, server) {
  await page.goto(server.url + '/#/billing');
  await page.reload();
  await page.getByRole('heading', { name: 'Sales Invoice' }).waitFor();
}

async function run(name, fn) {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, VIEW);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    await seed(page);
    await fn(page, server);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, `FAILED-clerk-${name}.png`).catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
}

test('a bill in progress is a draft: F3 away, back, reload — resumed; the empty-quantity line is named', async () => {
  await run('draft', async (page, server) => {
    const k = page.keyboard;
    await openBilling(page, server);
    await pick(page, 'outlet', 'sls01');
    await pick(page, 'item-1', 'GD200');
    await focused(page, 'cs-1');
    await k.type('1');
    await k.press('Enter');
    await k.type('6');
    await k.press('Enter');
    await k.press('Enter');
    await k.press('Enter');
    await pick(page, 'item-2', 'PG100');
    await focused(page, 'pcs-2'); // no quantity typed on line 2

    // F3 in the middle of the bill: the bill is kept, not thrown away.
    await k.press('F3');
    await page.waitForFunction(() => window.location.hash.startsWith('#/invoices'));
    await k.press('F2');
    const offer = page.locator('[data-testid=draft-offer]');
    await offer.waitFor();
    assert.match(await offer.textContent(), /SLS01 · 2 lines/);
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Resume'));
    await k.press('Enter');
    await focused(page, 'pcs-2'); // the cursor goes to what is missing
    assert.match(await page.locator('input[name=outlet]').inputValue(), /SLS01/);
    assert.match(await page.locator('input[name=item-1]').inputValue(), /GD200/);
    assert.equal(await page.locator('input[name=cs-1]').inputValue(), '1');
    assert.equal(await page.locator('input[name=pcs-1]').inputValue(), '6');
    assert.match(await page.locator('input[name=item-2]').inputValue(), /PG100/);

    // A reload (and so an app restart: the draft is in the book) keeps it too.
    await k.press('Escape'); // leave the cell untouched; let the draft settle
    await page.waitForTimeout(400);
    await page.reload();
    await offer.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Resume'));
    await k.press('Enter');
    await focused(page, 'pcs-2');
    const kept = await must(page, 'GET', '/api/drafts/invoice');
    assert.equal(kept.draft.outlet, 'SLS01');
    assert.equal(kept.draft.rows.length, 2);

    // Saving names line 2 and puts the cursor in its quantity; nothing is saved.
    await k.press('Control+s');
    const rowErr = page.locator('[data-testid=row-error]');
    await rowErr.waitFor();
    assert.match(await rowErr.textContent(), /Line 2 \(PG100 Parle-G 100g\) has no quantity/);
    await focused(page, 'pcs-2');
    assert.equal((await rows(page, '/api/invoices')).length, 0);
    await shot(page, 'clerk-row-named.png');

    // Two Enters on an empty row go to the totals and stop there: no save.
    await k.type('4');
    await k.press('Enter');
    await k.press('Enter');
    await k.press('Enter');
    await focused(page, 'item-3');
    await k.press('Enter');
    await k.press('Enter');
    await page.waitForTimeout(300);
    assert.equal((await rows(page, '/api/invoices')).length, 0, 'two Enters must not save');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'totals');

    // Ctrl+S is the one deliberate key: both lines saved, the draft goes.
    await k.press('Control+s');
    await page.locator('.last-inv').waitFor();
    const invs = await rows(page, '/api/invoices');
    assert.equal(invs.length, 1);
    const inv = await must(page, 'GET', '/api/invoices/' + encodeURIComponent(invs[0].number));
    assert.deepEqual(inv.lines.filter((l) => !l.free).map((l) => [l.item, l.qty]), [['GD200', 18], ['PG100', 4]]);
    await page.waitForFunction(async () => {
      const r = await fetch('/api/drafts/invoice');
      return (await r.json()).draft === null;
    });
  });
});

/** Sends keys back to back through the DevTools protocol: 0 ms spacing, nothing awaited between them. */
async function blast(page, keys) {
  const cdp = await page.context().newCDPSession(page);
  const sent = [];
  for (const key of keys) {
    if (key === 'Enter') {
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }));
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 }));
    } else {
      const upper = key.toUpperCase();
      const code = /[0-9]/.test(key) ? 'Digit' + key : 'Key' + upper;
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text: key, windowsVirtualKeyCode: upper.charCodeAt(0) }));
      sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: upper.charCodeAt(0) }));
    }
  }
  await Promise.all(sent);
  await cdp.detach();
}

test('keys at 0 ms spacing land in the right cells; numeric cells refuse letters', async () => {
  await run('fast', async (page, server) => {
    const k = page.keyboard;
    await openBilling(page, server);
    await pick(page, 'outlet', 'sls01');
    await focused(page, 'item-1');
    await page.locator('input[name=item-1]').waitFor();
    // Item, 0 cases, 36 pieces, rate as is, 10 % (with a stray letter), then the next item and its pieces.
    await blast(page, [...'GD200', 'Enter', '0', 'Enter', ...'36', 'Enter', 'Enter', ...'1x0', 'Enter', ...'PG100', 'Enter', ...'5', 'Enter']);
    await focused(page, 'rate-2');
    assert.equal(await page.locator('input[name=cs-1]').inputValue(), '0');
    assert.equal(await page.locator('input[name=pcs-1]').inputValue(), '36');
    assert.equal(await page.locator('input[name=disc-1]').inputValue(), '10');
    assert.match(await page.locator('input[name=item-2]').inputValue(), /PG100/);
    assert.equal(await page.locator('input[name=pcs-2]').inputValue(), '5');
    await k.press('Control+s');
    await page.locator('.last-inv').waitFor();
    const invs = await rows(page, '/api/invoices');
    const inv = await must(page, 'GET', '/api/invoices/' + encodeURIComponent(invs[0].number));
    assert.deepEqual(inv.lines.filter((l) => !l.free).map((l) => [l.item, l.qty, l.discount_bp ?? 0]), [['GD200', 36, 1000], ['PG100', 5, 0]]);
  });
});

test('sales return: after loading the invoice the cursor is in the first quantity; Enter walks the boxes', async () => {
  await run('return', async (page, server) => {
    const today = TODAY;
    const inv = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 24 }, { item: 'PG100', qty: 10 }] });
    await page.goto(server.url + '/#/returns');
    await page.reload();
    await page.getByRole('heading', { name: /Sales return/ }).waitFor();
    await focused(page, 'invoice');
    // The number, Enter, and the quantities at once, as a fast clerk types them.
    await blast(page, [...inv.number.toLowerCase(), 'Enter', '2', 'Enter', '3']);
    await focused(page, 'qty-2');
    assert.equal(await page.locator('input[name=invoice]').inputValue(), inv.number);
    assert.equal(await page.locator('input[name=qty-1]').inputValue(), '2');
    assert.equal(await page.locator('input[name=qty-2]').inputValue(), '3');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Save credit note'));
    await page.locator('input[name=reason]').fill('Damaged in transit');
    await page.keyboard.press('Control+s');
    await page.locator('.last-inv').waitFor();
    const notes = await rows(page, '/api/sales-returns');
    assert.equal(notes.length, 1);
  });
});

test('sales return of a line that earned free goods: the clerk says they stay with the outlet; the note deducts their value', async () => {
  await run('return-free', async (page, server) => {
    const today = TODAY;
    const to = new Date(Date.parse(today) + 30 * 86400000).toISOString().slice(0, 10);
    await must(page, 'POST', '/api/schemes', {
      code: 'GD10P1', name: 'Good Day 10+1', kind: 'buy_x_get_y', valid_from: today, valid_to: to, items: ['GD200'], buy_qty: 10, free_qty: 1,
    });
    const inv = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 25 }, { item: 'PG100', qty: 10 }] });
    assert.equal(inv.lines[2].free, true);
    assert.equal(inv.lines[2].qty, 2);
    await page.goto(server.url + '/#/returns');
    await page.reload();
    await page.getByRole('heading', { name: /Sales return/ }).waitFor();
    await page.locator('input[name=invoice]').fill(inv.number);
    await page.keyboard.press('Enter');
    await focused(page, 'qty-1');
    await page.keyboard.type('10');
    // only the line that earned free goods asks about them
    assert.equal(await page.locator('select[name=free-1]').count(), 1);
    assert.equal(await page.locator('select[name=free-2]').count(), 0);
    await page.locator('select[name=free-1]').selectOption('kept');
    await page.locator('input[name=reason]').fill('Shop returned unsold stock');
    await page.keyboard.press('Control+s');
    await page.locator('.last-inv').waitFor();
    // 15 kept earn 1 free: the other is kept by the outlet and its ₹30.00 deducted
    await page.locator('[role=status]', { hasText: '1 free no longer earned, 0 back in stock, 1 kept: ₹30.00 deducted' }).waitFor();
    const notes = await rows(page, '/api/sales-returns');
    assert.equal(notes.length, 1);
    const cn = await must(page, 'GET', '/api/returns/' + encodeURIComponent(notes[0].number));
    assert.equal(cn.free_deducted_paise, 3000);
    assert.equal(cn.lines.length, 1);
    assert.equal(cn.lines[0].free_due, 1);
    assert.equal(cn.lines[0].taxable_paise, 27000);
  });
});

test('a scanner at 0 ms: a scan adds the item or adds a piece to its row, wherever the cursor is', async () => {
  await run('scan', async (page, server) => {
    // Barcodes typed on the item form, several in one box.
    await page.goto(server.url + '/#/items');
    await page.reload();
    await page.getByRole('heading', { name: 'Items' }).waitFor();
    await page.keyboard.press('Alt+n');
    for (const [f, v] of [['code', 'MB75'], ['name', 'Marie Biscuit 75g'], ['brand', 'Britannia'], ['category', 'Biscuits/Marie'], ['hsn', '19053100'], ['mrp_paise', '10'], ['barcodes', '8901063099991, 8901063099992']]) {
      await page.locator('#f-' + f).fill(v);
    }
    await page.keyboard.press('Control+s');
    await page.locator('.dg-row', { hasText: 'MB75' }).waitFor();
    assert.deepEqual((await must(page, 'GET', '/api/items/MB75')).barcodes, ['8901063099991', '8901063099992']);
    await must(page, 'PUT', '/api/items/GD200', { barcodes: ['8901063010031'] });
    await must(page, 'PUT', '/api/items/PG100', { barcodes: ['8901719100017', 'PARLE-G-100'] });
    const k = page.keyboard;
    await openBilling(page, server);
    await pick(page, 'outlet', 'sls01');
    await focused(page, 'item-1');
    // Three scans back to back in the item cell: GD200, PG100 (its second code), GD200 again.
    await blast(page, [...'8901063010031', 'Enter', ...'PARLE-G-100', 'Enter', ...'8901063010031', 'Enter']);
    await focused(page, 'item-3');
    assert.match(await page.locator('input[name=item-1]').inputValue(), /GD200/);
    assert.equal(await page.locator('input[name=pcs-1]').inputValue(), '2');
    assert.match(await page.locator('input[name=item-2]').inputValue(), /PG100/);
    assert.equal(await page.locator('input[name=pcs-2]').inputValue(), '1');
    // A scan while the cursor is in a quantity: the digits do not stay in the cell.
    await page.locator('input[name=pcs-1]').focus();
    await blast(page, [...'8901719100017', 'Enter']);
    await page.waitForFunction(() => document.querySelector('input[name=pcs-2]')?.value === '2');
    assert.equal(await page.locator('input[name=pcs-1]').inputValue(), '2');
    assert.equal(await page.locator('.bl-group').count(), 3);
    await k.press('Control+s');
    await page.locator('.last-inv').waitFor();
    const invs = await rows(page, '/api/invoices');
    const inv = await must(page, 'GET', '/api/invoices/' + encodeURIComponent(invs[0].number));
    assert.deepEqual(inv.lines.filter((l) => !l.free).map((l) => [l.item, l.qty]), [['GD200', 2], ['PG100', 2]]);
  });
});

test('receipt bill by bill: oldest first suggested, ticks and amounts per bill, the rest kept on account', async () => {
  await run('receipt', async (page, server) => {
    const today = TODAY;
    const i1 = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 12 }] });
    const i2 = await must(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'PG100', qty: 10 }] });
    const k = page.keyboard;
    await page.goto(server.url + '/#/receipts');
    await page.reload();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    await pick(page, 'outlet', 'sls01');
    await focused(page, 'amount_paise');
    await k.type('200');
    const bills = page.locator('[data-testid=receipt-bills]');
    await bills.locator(`[data-bill="${i2.number}"]`).waitFor();
    // Oldest first is the suggestion: ₹200 against the first bill.
    await page.waitForFunction(() => /^200(\.00)?$/.test(document.querySelector('input[name=bill-1]')?.value ?? ''));
    assert.equal(await page.locator('input[name=bill-2]').inputValue(), '');
    // The accountant's choice: the second bill in full, ₹50 on the first, the rest on account.
    await page.locator('input[name=tick-1]').uncheck();
    await page.locator('input[name=tick-2]').check();
    // The tick fills the bill's amount on the next render: wait for it, do not read it at once.
    await page.waitForFunction((v) => (document.querySelector('input[name=bill-2]')?.value ?? '').startsWith(v), String(i2.total_paise / 100));
    await page.locator('input[name=bill-1]').fill('50');
    const onAccount = 20000 - 5000 - i2.total_paise;
    await page.waitForFunction((t) => new RegExp(`on account\\s*₹\\s*${t}(?![\\d.])`).test(document.querySelector('[data-testid=receipt-sum]')?.textContent ?? ''), String(onAccount / 100));
    await shot(page, 'clerk-receipt-billwise.png');
    await k.press('Control+s');
    await page.locator('.last-inv').waitFor();
    const list = await rows(page, '/api/receipts');
    const r = await must(page, 'GET', '/api/receipts/' + encodeURIComponent(list[0].number));
    assert.deepEqual(r.allocations, [{ invoice: i1.number, amount_paise: 5000 }, { invoice: i2.number, amount_paise: i2.total_paise }]);
    assert.equal(r.on_account_paise, onAccount);
    const os = await must(page, 'GET', '/api/outlets/SLS01/outstanding');
    assert.equal(os.on_account_paise, onAccount);
    assert.deepEqual(os.bills.map((b) => [b.invoice, b.due_paise]), [[i1.number, i1.total_paise - 5000]]);
  });
});

test('function keys for every main screen, in the menu and the ? help; F3 puts the cursor in search', async () => {
  await run('keys', async (page, server) => {
    const k = page.keyboard;
    await openBilling(page, server);
    await focused(page, 'outlet');
    for (const [key, hash, label] of [['F5', '#/returns', 'Sales return'], ['F6', '#/receipts', 'Receipt'], ['F7', '#/purchases', 'Purchase (GRN)'],
      ['F8', '#/reports', 'Reports'], ['F10', '#/tally', 'Tally sync'], ['Control+i', '#/import', 'Import / export'], ['F2', '#/billing', 'Sales invoice']]) {
      await k.press(key);
      await page.waitForFunction((h) => window.location.hash === h, hash);
      const link = page.locator('.nav-link', { hasText: label }).first();
      assert.match(await link.textContent(), key === 'Control+i' ? /Ctrl\+I/ : new RegExp(key + '$'));
    }
    await page.getByRole('heading', { name: 'Sales Invoice' }).waitFor();
    await focused(page, 'outlet');
    await k.press('F1');
    const help = page.locator('.keys-table');
    await help.waitFor();
    for (const t of ['F5', 'Sales return', 'F6', 'Receipt', 'F10', 'Tally sync', 'Ctrl+I']) assert.ok((await help.textContent()).includes(t), `help lacks ${t}`);
    await k.press('Escape');
    await k.press('F3');
    await page.waitForFunction(() => window.location.hash === '#/invoices' && document.activeElement?.getAttribute('type') === 'search');

    // Dates DD-MM-YYYY everywhere: users, backups and the audit log too ("02-12-2026 04:44", never "2 Dec 2026, 4:44 am").
    await must(page, 'POST', '/api/backups', {}).catch(() => undefined);
    for (const path of ['/audit', '/backups', '/users']) {
      await page.goto(server.url + '/#' + path);
      await page.waitForTimeout(1200);
      const text = await page.locator('main').innerText();
      assert.doesNotMatch(text, /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}|\d:\d\d\s?(am|pm)\b/i, `${path} shows a date not as DD-MM-YYYY`);
      if (path === '/audit') assert.match(text, /\d\d-\d\d-\d{4} \d\d:\d\d/);
    }
  });
});

test('an outlet file naming a beat, a salesman and a channel not in the book: listed on the dry run, created in the same import', async () => {
  await run('import-beats', async (page, server) => {
    await page.goto(server.url + '/#/import');
    await page.reload();
    await page.locator('select[name=kind]').selectOption('outlets');
    // A day column ("Visit Day"): KOR-1's rows give Thursday; HSR-WED's give
    // none, so it is made with no weekday (never one guessed from "WED").
    await page.locator('input[name=file]').setInputFiles({
      name: 'outlets.csv', mimeType: 'text/csv',
      buffer: Buffer.from('Retailer ID,Store Name,State,Route,Visit Day,DSR Code,Outlet Type\n' +
        'NEW01,Balaji Kirana,29,HSR-WED,,S09,Kirana\nNEW02,Ganesh Medicals,29,BEAT-MON-01,,S09,Van Sales\nNEW03,Udupi Hotel,29,KOR-1,thu,S09,Hotel\n'),
    });
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const note = page.locator('[data-testid=import-new-masters]');
    await note.waitFor();
    assert.match(await note.innerText(), /New beats, not in the book: HSR-WED \(weekday not set\), KOR-1 \(Thursday\)/);
    assert.match(await note.innerText(), /New salesmen, not in the book: S09/);
    assert.match(await note.innerText(), /New channels, not in the list: Van Sales/); // Kirana is grocery already
    assert.match(await page.locator('main').innerText(), /new beat HSR-WED: weekday not set/);
    assert.notEqual(await page.locator('[data-testid=import-errors]').innerText(), '0');
    await page.locator('input[name=create_missing]').check();
    await page.waitForFunction(() => document.querySelector('[data-testid=import-errors]')?.textContent === '0');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('.note.ok', { hasText: 'Imported' }).waitFor();
    assert.equal((await must(page, 'GET', '/api/beats/HSR-WED')).weekday, '');
    assert.equal((await must(page, 'GET', '/api/beats/KOR-1')).weekday, 'Thursday');
    assert.equal((await must(page, 'GET', '/api/beats/BEAT-MON-01')).weekday, 'Monday');
    assert.equal((await must(page, 'GET', '/api/outlets/NEW01')).beat, 'HSR-WED');
    await must(page, 'GET', '/api/salesmen/S09');
    assert.equal((await must(page, 'GET', '/api/outlets/NEW01')).channel, 'grocery');
    assert.equal((await must(page, 'GET', '/api/outlets/NEW02')).channel, 'van_sales');
    assert.equal((await must(page, 'GET', '/api/outlets/NEW03')).channel, 'horeca');
    assert.ok((await must(page, 'GET', '/api/channels')).some((c) => c.code === 'van_sales'));

    // The Beats screen shows the beat without a day as not set, and the form offers "Not set".
    await page.goto(server.url + '/#/beats');
    const hsr = page.locator('.dg-row', { hasText: 'HSR-WED' });
    await hsr.waitFor();
    assert.match(await hsr.innerText(), /Not set/);
    assert.match(await page.locator('.dg-row', { hasText: 'KOR-1' }).innerText(), /Thursday/);
    await shot(page, 'import-beats-not-set.png');
  });
});
