// Credit notes and receipts, printed: bill an invoice, return part of it on
// the sales-return screen, find the credit note in its register (Enter
// opens it) and print it to PDF; the same for a cheque receipt. The PDFs
// carry the title, the numbers, the invoice reversed or settled, and the
// amount in words. The purchase register opens its GRN the same way. An
// e-invoiced invoice and its credit note print the IRP's signed QR, and it scans.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { apiCall, gstinCheck, login, openBrowser, repo, screenshots, seedSmallBook, shot, startServer } from './harness.mjs';
import { pdfTexts } from './pdftext.mjs';

/** Prints the document on screen to an A4 PDF, as the print dialog's "Save as PDF" would; returns its texts. */
async function printToPdf(page, name) {
  await page.emulateMedia({ media: 'print' });
  mkdirSync(screenshots, { recursive: true });
  const pdf = await page.pdf({ path: join(screenshots, name), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  return pdfTexts(pdf).map((t) => t.replace(/\s+/g, ' '));
}

/** Opens the row naming text in a register's grid with the keyboard: arrows to it, Enter. */
async function openFromRegister(page, text) {
  await page.locator('.dg-row', { hasText: text }).waitFor();
  await page.locator('.dg-body').focus();
  for (let i = 0; i < 50; i++) {
    if (((await page.locator('.dg-row[aria-selected=true]').textContent().catch(() => '')) ?? '').includes(text)) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
}

test('a credit note and a receipt, from their registers to PDF', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const inv = await apiCall(page, 'POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: [{ item: 'GD200', qty: 24 }] });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
    const invNo = inv.body.number;

    // Return 6 of the 24 on the sales-return screen, from the keyboard.
    await page.goto(server.url + '/#/returns/' + encodeURIComponent(invNo));
    await page.reload();
    const qty = page.locator('input[name=qty-1]');
    await qty.waitFor();
    await qty.fill('6');
    await page.locator('input[name=reason]').fill('Damaged in transit');
    await page.keyboard.press('Control+s');
    const last = page.locator('.last-inv');
    await last.waitFor();
    const cnNo = /Last: (\S+)/.exec(await last.textContent())[1];

    // The register lists it; Enter opens the printable credit note.
    await page.goto(server.url + '/#/credit-notes');
    await openFromRegister(page, cnNo);
    const cn = page.locator(`[data-doc="${cnNo}"]`);
    await cn.waitFor();
    await page.waitForFunction((n) => document.querySelector('.doc-credit-note')?.textContent?.includes('Sri Lakshmi Stores') && document.querySelector('.doc-credit-note')?.textContent?.includes(n), invNo);
    const cnText = await cn.textContent();
    assert.match(cnText, /CREDIT NOTE/);
    assert.match(cnText, /Damaged in transit/);
    assert.match(cnText, /19053100/); // HSN
    // 6 × ₹30 = 180.00 taxable, 9% + 9% = 16.20 each, 212.40 → ₹212.
    assert.match(cnText, /180\.00/);
    assert.match(cnText, /16\.20/);
    const cnWords = /Rupees [A-Za-z\- ]+ Only/.exec(cnText)[0];
    assert.equal(cnWords, 'Rupees Two Hundred Twelve Only');
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.locator('.print-area').screenshot({ path: join(screenshots, 'credit-note.png') });
    let texts = await printToPdf(page, 'credit-note.pdf');
    assert.ok(texts.some((t) => /credit note/i.test(t)), 'the PDF is titled Credit Note');
    assert.ok(texts.some((t) => t.includes(cnNo)), `the PDF names ${cnNo}`);
    assert.ok(texts.some((t) => t.includes(invNo)), `the PDF names the invoice ${invNo}`);
    assert.ok(texts.some((t) => t.includes(cnWords)), `the PDF says "${cnWords}"`);
    // Esc goes back to the register.
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Credit notes' }).waitFor();

    // A cheque receipt settles part of the invoice's balance.
    const rc = await apiCall(page, 'POST', '/api/receipts', { outlet: 'SLS01', date: today, mode: 'cheque', amount_paise: 50000, reference: 'CHQ-004711' });
    assert.equal(rc.status, 201, JSON.stringify(rc.body));
    const rcNo = rc.body.number;
    await page.goto(server.url + '/#/receipt-register');
    await openFromRegister(page, rcNo);
    const rcDoc = page.locator(`[data-doc="${rcNo}"]`);
    await rcDoc.waitFor();
    await page.waitForFunction(() => document.querySelector('.doc-receipt')?.textContent?.includes('Sri Lakshmi Stores'));
    const rcText = await rcDoc.textContent();
    assert.match(rcText, /Cheque/);
    assert.match(rcText, /CHQ-004711/);
    assert.ok(rcText.includes(invNo), 'the receipt names the bill it settles');
    assert.match(rcText, /Rupees Five Hundred Only/);
    await page.locator('.print-area').screenshot({ path: join(screenshots, 'receipt.png') });
    texts = await printToPdf(page, 'receipt.pdf');
    assert.ok(texts.some((t) => /receipt/i.test(t)), 'the PDF is titled Receipt');
    assert.ok(texts.some((t) => t.includes(rcNo)), `the PDF names ${rcNo}`);
    assert.ok(texts.some((t) => t.includes(invNo)), `the PDF names the bill ${invNo}`);
    assert.ok(texts.some((t) => t.includes('Rupees Five Hundred Only')), 'the PDF has the amount in words');

    // A5 is one choice away and still carries the whole document.
    await page.locator('select[aria-label="Paper size"]').selectOption('A5');
    await page.locator('.doc-receipt.size-A5').waitFor();

    // The purchase register opens the GRN the seed posted.
    await page.goto(server.url + '/#/purchase-register');
    await openFromRegister(page, 'BRIT/2026/0001');
    await page.locator('[data-doc]').waitFor();
    assert.match(await page.locator('[data-doc]').textContent(), /B2601/);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Purchase register' }).waitFor();
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-print.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});

// The tax invoice on A5 with 24 lines of long names: it runs to more pages,
// each with the header (number, date, party), "continued" and "Page x of y";
// names wrap to at most two lines; quantities in cases + pieces and the total
// quantity; "Reverse charge: No"; the three copies in one print run; white
// under every sheet (no grey band at the foot).
test('an A5 invoice runs to pages, each with its header, in three copies in one print', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server, { width: 1366, height: 768 });
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const must = async (method, path, body) => {
      const r = await apiCall(page, method, path, body);
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const codes = [];
    for (let i = 1; i <= 24; i++) {
      const code = `BRT${String(i).padStart(3, '0')}`;
      codes.push(code);
      await must('POST', '/api/items', {
        code, brand_code: `BRT-${i}`, name: `Britannia Good Day Cashew Cookies Family Pack Festive Offer ${i * 50}g Combo with a long name #${i}`,
        brand: 'Britannia', category: 'Biscuits/Cookies', hsn: '19053100', gst_rate_bp: 1800, mrp_paise: 4000, unit: 'PCS', case_size: 12, price_paise: 3000, active: true,
      });
    }
    await must('POST', '/api/purchases', {
      supplier_invoice_no: 'BRIT/2026/0002', date: today,
      lines: codes.map((item) => ({ item, batch: 'B1', expiry: '2030-12-31', mrp_paise: 4000, qty: 60, rate_paise: 2500 })),
    });
    const inv = await must('POST', '/api/invoices', { outlet: 'SLS01', date: today, lines: codes.map((item) => ({ item, qty: 30 })) });

    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(inv.number));
    await page.reload();
    await page.locator('.invoice-print.paged').first().waitFor();
    await page.locator('select[aria-label="Paper size"]').selectOption('A5');
    await page.locator('select[aria-label="Copy"]').selectOption('All three copies');
    await page.locator('.invoice-print.paged.size-A5[data-copy="Triplicate for Supplier"]').first().waitFor();
    const sheets = await page.evaluate(() => [...document.querySelectorAll('.print-area .invoice-print.paged')].map((a) => {
      const box = a.getBoundingClientRect();
      const foot = a.querySelector('.ip-pagefoot').getBoundingClientRect();
      const rows = [...a.querySelectorAll('.ip-lines tbody tr')];
      const lastRow = rows.at(-1)?.getBoundingClientRect();
      const tail = a.querySelector('.ip-tail')?.getBoundingClientRect();
      const names = [...a.querySelectorAll('.ip-name')].map((n) => n.getBoundingClientRect().height / parseFloat(window.getComputedStyle(n).lineHeight));
      return {
        copy: a.dataset.copy, page: Number(a.dataset.page), pages: Number(a.dataset.pages), text: a.textContent, rows: rows.length,
        fits: foot.bottom <= box.bottom + 0.5 && (!lastRow || lastRow.bottom <= foot.top) && (!tail || tail.bottom <= foot.top),
        lines: Math.max(0, ...names),
      };
    }));
    const pages = sheets[0].pages;
    assert.ok(pages >= 2, `24 lines on A5 take ${pages} page(s)`);
    assert.equal(sheets.length, 3 * pages, 'three copies of every page');
    assert.deepEqual([...new Set(sheets.map((s) => s.copy))], ['Original for Recipient', 'Duplicate for Transporter', 'Triplicate for Supplier']);
    assert.equal(sheets.filter((s) => s.copy === 'Original for Recipient').reduce((n, s) => n + s.rows, 0), 24, 'every line once a copy');
    const date = today.split('-').reverse().join('-');
    for (const s of sheets) {
      const where = `${s.copy} page ${s.page}`;
      for (const t of [inv.number, date, 'Sri Lakshmi Stores', `Page ${s.page} of ${pages}`, 'Reverse charge: No', s.copy]) assert.ok(s.text.includes(t), `${where} lacks ${t}`);
      if (s.page < pages) assert.match(s.text, /continued on page/, `${where} does not say it continues`);
      if (s.page > 1) assert.match(s.text, /continued from page/, `${where} does not say it is continued`);
      assert.ok(s.fits, `${where}: its rows or totals run past the page foot`);
      assert.ok(s.lines <= 2.05, `${where}: an item name takes ${s.lines.toFixed(1)} lines`);
      assert.equal(s.text.includes('Total quantity'), s.page === pages, `${where}: the total quantity belongs on the last page`);
    }
    const last = sheets[pages - 1].text;
    assert.match(last, /Total quantity 720 \(48 cs \+ 144 pcs\)/); // 24 lines of 2 cs + 6 pcs
    assert.match(sheets[0].text, /2 cs \+ 6 pcs/, 'quantities in cases and pieces');
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.locator('.print-area .invoice-print.paged').first().screenshot({ path: join(screenshots, 'invoice-a5-page1.png') });

    // Printed: one PDF page per sheet, white under each.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.evaluate(() => window.getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    mkdirSync(screenshots, { recursive: true });
    const pdf = await page.pdf({ path: join(screenshots, 'invoice-a5-three-copies.pdf'), format: 'A5', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pdfPages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
    assert.equal(pdfPages, 3 * pages, `the PDF has ${pdfPages} pages for ${3 * pages} sheets`);
    const texts = pdfTexts(pdf).map((t) => t.replace(/\s+/g, ' '));
    for (const t of [`Page ${pages} of ${pages}`, 'Original for Recipient', 'Triplicate for Supplier', 'Reverse charge: No']) {
      assert.ok(texts.some((x) => x.toLowerCase().includes(t.toLowerCase())), `the PDF lacks ${t}`); // captions print in capitals
    }
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-print-a5.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});

/** Starts `vitaran irp sim` (the e-invoice portal's emulator) on a free port for gstin; returns its URL and a stop. */
async function startIRPSim(gstin) {
  const bin = process.env.VITARAN_BIN || join(repo, 'bin', 'vitaran');
  const proc = spawn(bin, ['irp', 'sim', '--addr', '127.0.0.1:0', '--gstin', gstin, '--max-age-days', '-1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const url = await new Promise((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`the IRP emulator did not start in 20 s:\n${out}\n${err}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Emulated IRP \(\w+\) at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      bad(new Error(`the IRP emulator exited (${code}):\n${out}\n${err}`));
    });
  });
  return {
    url,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((ok) => proc.once('exit', ok));
      }
    },
  };
}

/** Reads the printed signed QR <img> back: drawn on a canvas in the page, its pixels decoded in node by jsQR. */
async function readPrintedQR(page, scope) {
  const img = page.locator(`${scope} img[data-testid="signed-qr"]`).first();
  await img.waitFor();
  const px = await img.evaluate(async (el) => {
    await el.decode();
    const c = document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const g = c.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(el, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  });
  assert.ok(px.width > 0 && px.height > 0, 'the printed QR has pixels');
  const code = jsQR(Uint8ClampedArray.from(px.data), px.width, px.height);
  assert.ok(code, `the printed QR (${px.width}×${px.height}) does not scan`);
  return code.data;
}

// Issue 13: the printed e-invoice and its credit note carry the IRP's signed
// QR code, and it scans: the image on the page decodes to the very payload
// the portal signed and the book stored (signed_qr), character for character.
test('the printed signed QR of an e-invoice and of its credit note scans to the stored payload', async () => {
  const server = await startServer();
  const { browser, page, errors } = await openBrowser(server);
  let sim;
  try {
    await login(page);
    await page.getByRole('heading', { name: 'Set up your company' }).waitFor();
    const { today } = await seedSmallBook(page);
    const must = async (method, path, body) => {
      const r = await apiCall(page, method, path, body);
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const gstin = gstinCheck('29AAGCS1234K1Z');
    sim = await startIRPSim(gstin);
    await must('PUT', '/api/company', {
      city: 'Bengaluru', pincode: '560009', einvoice: 'api', einvoice_from: today, irp_url: sim.url,
      irp_username: 'vitaran_api', irp_password: 'vitaran-demo', irp_client_id: 'VITARAN-DEMO-CLIENT', irp_client_secret: 'vitaran-demo-secret',
    });
    await must('POST', '/api/outlets', {
      code: 'BLR01', name: 'Bangalore Wholesale', address: '22 Avenue Road', city: 'Bengaluru', pincode: '560002', state_code: '29',
      gstin: gstinCheck('29AACFB9876L1Z'), channel: 'wholesale', beat: 'BEAT-MON-01', credit_limit_paise: 5000000, credit_days: 14, active: true,
    });
    const inv = await must('POST', '/api/invoices', { outlet: 'BLR01', date: today, lines: [{ item: 'GD200', qty: 24 }] });
    const cn = await must('POST', '/api/returns', { invoice: inv.number, date: today, reason: 'Damaged in transit', lines: [{ line: 1, qty: 6 }] });

    // The IRN queue sends both to the portal in the background; wait for their IRNs.
    const active = async (path) => {
      for (let i = 0; i < 150; i++) {
        const doc = await must('GET', path);
        if (doc.irn_status === 'active') return doc;
        if (doc.irn_status === 'failed' || doc.irn_status === 'not_required') throw new Error(`${path}: ${doc.irn_status} ${doc.irn_error ?? ''}`);
        await new Promise((ok) => setTimeout(ok, 200));
      }
      throw new Error(`${path} got no IRN in 30 s`);
    };
    const invDoc = await active('/api/invoices/' + encodeURIComponent(inv.number));
    const cnDoc = await active('/api/returns/' + encodeURIComponent(cn.number));
    assert.ok(invDoc.signed_qr, 'the invoice stores its signed QR');
    assert.ok(cnDoc.signed_qr, 'the credit note stores its signed QR');

    await page.goto(server.url + '/#/invoices/' + encodeURIComponent(inv.number));
    await page.reload();
    await page.locator('.invoice-print').first().waitFor();
    assert.equal(await readPrintedQR(page, '.print-area'), invDoc.signed_qr, 'the printed invoice\'s QR scans to its stored signed_qr');

    await page.goto(server.url + '/#/credit-notes/' + encodeURIComponent(cn.number));
    await page.locator(`[data-doc="${cn.number}"]`).waitFor();
    assert.equal(await readPrintedQR(page, `[data-doc="${cn.number}"]`), cnDoc.signed_qr, 'the printed credit note\'s QR scans to its stored signed_qr');
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } catch (e) {
    await shot(page, 'FAILED-print-qr.png').catch(() => {});
    console.error('page errors:', errors);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
    await sim?.stop();
  }
});
