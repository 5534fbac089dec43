// Period filter: presets (7 / 30 days, this and last month, FY to date) and
// From / To typed DD-MM-YYYY (↑/↓ move a day), applied on Enter or on leaving
// the field when both dates are valid and From is not after To.

import { useEffect, useState } from 'react';
import { addDays, formatDate, fyRange, todayISO } from '../format';
import { DateInput } from '../widgets/inputs';
import type { Period } from './api';

function presets(today: string): { label: string; p: Period }[] {
  const monthStart = today.slice(0, 8) + '01';
  const lastEnd = addDays(monthStart, -1);
  return [
    { label: '7 days', p: { from: addDays(today, -6), to: today } },
    { label: '30 days', p: { from: addDays(today, -29), to: today } },
    { label: 'This month', p: { from: monthStart, to: today } },
    { label: 'Last month', p: { from: lastEnd.slice(0, 8) + '01', to: lastEnd } },
    { label: 'FY to date', p: { from: fyRange(today).from, to: today } },
  ];
}

export function PeriodBar({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  const [from, setFrom] = useState<string | null>(period.from);
  const [to, setTo] = useState<string | null>(period.to);
  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
  }, [period.from, period.to]);
  const bad = from && to && from > to ? 'From is after To' : '';
  function apply(f: string | null, t: string | null) {
    if (f && t && f <= t && (f !== period.from || t !== period.to)) onChange({ from: f, to: t });
  }
  const list = presets(todayISO());
  return (
    <div className="ho-period" role="group" aria-label="Period">
      <div className="ho-presets">
        {list.map((x) => (
          <button
            key={x.label}
            type="button"
            className={x.p.from === period.from && x.p.to === period.to ? 'on' : ''}
            onClick={() => onChange(x.p)}
            title={`${formatDate(x.p.from)} to ${formatDate(x.p.to)}`}
          >
            {x.label}
          </button>
        ))}
      </div>
      <label htmlFor="ho-from">From</label>
      <DateInput
        id="ho-from"
        value={from}
        onChange={setFrom}
        onBlur={() => apply(from, to)}
        onKeyDown={(e) => e.key === 'Enter' && apply(from, to)}
      />
      <label htmlFor="ho-to">To</label>
      <DateInput
        id="ho-to"
        value={to}
        onChange={setTo}
        onBlur={() => apply(from, to)}
        onKeyDown={(e) => e.key === 'Enter' && apply(from, to)}
      />
      {bad && <span className="ho-bad" role="alert">{bad}</span>}
    </div>
  );
}
