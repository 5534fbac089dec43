// Import: pick what the spreadsheet holds, download its template, check the
// file (dry run), then import it whole. Exports live beside every list.

import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote, PageHeader } from '../../widgets/ui';
import { clearCaches } from '../../store';
import { ImportFlow } from './ImportFlow';

interface Kind { name: string; title: string; wired: boolean; fields: string[] }

export function Import() {
  const [kinds, setKinds] = useState<Kind[]>([]);
  const [kind, setKind] = useState('items');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Kind[]>('/api/import/kinds').then(setKinds, setError);
  }, []);
  const k = kinds.find((x) => x.name === kind);
  return (
    <div className="page">
      <PageHeader title="Import" sub="A file with any error writes nothing: check it first, fix what the list says, then import." />
      <ErrorNote error={error} />
      <div className="report-bar">
        <label>
          What the file holds
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Import kind">
            {kinds.map((x) => <option key={x.name} value={x.name} disabled={!x.wired}>{x.title}{x.wired ? '' : ' (not yet)'}</option>)}
          </select>
        </label>
      </div>
      {k && <p className="muted">Columns (any order, any case; common synonyms accepted): {k.fields.join(' · ')}</p>}
      <ImportFlow
        key={kind}
        path={`/api/import/${encodeURIComponent(kind)}`}
        templatePath={`/api/import/${encodeURIComponent(kind)}/template`}
        templateName={`${kind}-template.xlsx`}
        badRowsPath={(id) => `/api/import-bad-rows/${encodeURIComponent(id)}`}
        onCommitted={() => clearCaches()}
      />
      <div className="card" style={{ marginTop: 16 }}>
        <h2>Export</h2>
        <p className="muted">Every report and list has its own <strong>Export to Excel</strong> button (Reports, Dashboard drill-downs, Audit log, scheme claims). From the CLI: <code>vitaran import KIND FILE --dry-run</code>.</p>
      </div>
    </div>
  );
}
