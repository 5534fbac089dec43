// Adjustments (signed quantity with a reason), physical counts (counted
// quantity; the variance posts), and godown transfers (from → to).

import { useRef, useState } from 'react';
import { todayISO } from '../../format';
import { useCached } from '../../store';
import { DateInput, Field } from '../../widgets/inputs';
import { LineEditor, newLine } from '../../widgets/LineEditor';
import type { Line, LineCol } from '../../widgets/LineEditor';
import { PageHeader } from '../../widgets/ui';
import { useCtrlS, useDocSave } from './common';

type Kind = 'adjustments' | 'counts' | 'transfers';

const colsFor: Record<Kind, LineCol[]> = {
  adjustments: [
    { key: 'batch', title: 'Batch', kind: 'text', width: 120, placeholder: 'FEFO if empty' },
    { key: 'qty', title: 'Qty ±', kind: 'int', width: 90, placeholder: '-6 or 12' },
  ],
  counts: [
    { key: 'batch', title: 'Batch', kind: 'text', width: 120 },
    { key: 'counted', title: 'Counted', kind: 'pcs', width: 100 },
  ],
  transfers: [
    { key: 'batch', title: 'Batch', kind: 'text', width: 120 },
    { key: 'qty', title: 'Qty', kind: 'pcs', width: 90 },
  ],
};

const titles: Record<Kind, string> = { adjustments: 'Stock adjustment', counts: 'Physical count', transfers: 'Godown transfer' };

export function StockDocs({ initial = 'adjustments' }: { initial?: Kind }) {
  const [kind, setKind] = useState<Kind>(initial);
  return (
    <div className="page">
      <PageHeader title="Adjustments, counts and transfers" sub="Every change posts with a reason and is in the audit log">
        <div className="seg" role="tablist">
          {(Object.keys(titles) as Kind[]).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={k === kind} className={k === kind ? 'on' : ''} onClick={() => setKind(k)}>
              {titles[k]}
            </button>
          ))}
        </div>
      </PageHeader>
      <StockDocForm key={kind} kind={kind} />
    </div>
  );
}

function StockDocForm({ kind }: { kind: Kind }) {
  const godowns = useCached('godowns');
  const [date, setDate] = useState(todayISO());
  const [reason, setReason] = useState('');
  const [godown, setGodown] = useState('MAIN');
  const [to, setTo] = useState('DAMAGED');
  const [lines, setLines] = useState<Line[]>([newLine()]);
  const { busy, errors, saved, save } = useDocSave(kind, titles[kind]);
  const saveBtn = useRef<HTMLButtonElement>(null);

  const body = () => {
    const ls = lines.filter((l) => l.item).map((l) => {
      const out: Record<string, unknown> = { item: l.item?.code };
      if (l.batch) out.batch = l.batch;
      if (kind === 'counts') out.counted = Number(l.counted || 0);
      else out.qty = Number(l.qty || 0);
      if (kind === 'adjustments' && godown) out.godown = godown;
      return out;
    });
    return {
      date, reason,
      ...(kind === 'transfers' ? { from: godown, to } : {}),
      ...(kind === 'counts' ? { godown } : {}),
      lines: ls,
    };
  };
  async function submit() {
    if (busy) return;
    if (await save(body())) {
      setReason('');
      setLines([newLine()]);
    }
  }
  useCtrlS(submit);
  const gOpts = (godowns ?? []).map((g) => <option key={g.code} value={g.code}>{g.code} · {g.name}</option>);

  return (
    <>
      <div className="card doc-head">
        <Field label="Date" name="date" error={errors.field.date}>
          <DateInput name="date" value={date} onChange={(d) => d && setDate(d)} />
        </Field>
        <Field label={kind === 'transfers' ? 'From godown' : 'Godown'} name="godown" error={errors.field.godown || errors.field.from}>
          <select name="godown" value={godown} onChange={(e) => setGodown(e.target.value)}>{gOpts}</select>
        </Field>
        {kind === 'transfers' && (
          <Field label="To godown" name="to" error={errors.field.to}>
            <select name="to" value={to} onChange={(e) => setTo(e.target.value)}>{gOpts}</select>
          </Field>
        )}
        <Field label="Reason" name="reason" error={errors.field.reason}>
          <input autoFocus name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={kind === 'counts' ? 'Monthly count' : 'Damaged in transit'} />
        </Field>
      </div>
      {errors.banner && <div className="note error" role="alert">{errors.banner}</div>}
      <LineEditor cols={colsFor[kind]} lines={lines} setLines={setLines} showStock onDone={() => saveBtn.current?.focus()} errorLine={errors.line} errorText={errors.lineText} />
      <div className="doc-actions">
        {saved && <span className="last-inv">Last: {saved.number}</span>}
        <button ref={saveBtn} type="button" className="primary" disabled={busy} onClick={submit}>
          {busy ? 'Saving…' : `Post ${titles[kind].toLowerCase()}`} <kbd>Ctrl+S</kbd>
        </button>
      </div>
    </>
  );
}
