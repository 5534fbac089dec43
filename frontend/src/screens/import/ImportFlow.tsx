// The import flow written once, for spreadsheets of every kind and for the
// brand's scheme circular: choose a file, a dry run shows new / updated /
// unchanged and every error (row, column, value, reason), bad rows download
// as .xlsx, then commit. A progress bar follows the backend's events.

import { useEffect, useRef, useState } from 'react';
import { ApiError, download, onProgress, upload } from '../../api';
import { formatInt } from '../../format';
import { ProgressBar, toast } from '../../widgets/ui';

export interface ImportReport {
  kind?: string;
  file: string;
  dry_run: boolean;
  committed: boolean;
  rows: number;
  new: number;
  updated: number;
  unchanged: number;
  records?: { row: number; key: string; change: string }[];
  errors?: RawError[] | null;
  warnings?: string[] | null;
  bad_rows_id?: string;
  /** Errors past the first 500, counted but not listed. */
  more_errors?: number;
  /** Beats and salesmen an outlet file names that the book lacks; create_missing=1 creates them. */
  new_beats?: string[];
  new_salesmen?: string[];
  new_channels?: string[];
  /** Each new beat's weekday from the file's Beat Day column, '' when not set. */
  new_beat_weekdays?: Record<string, string>;
  missing_created?: boolean;
}

type RawError = Record<string, unknown>;
interface RowError { row: number; column: string; value: string; reason: string }

/** Backend errors come as {row, column, …} or Go's {Row, Column, …}. */
function rowError(e: RawError): RowError {
  const g = (k: string) => e[k] ?? e[k[0].toUpperCase() + k.slice(1)];
  return { row: Number(g('row') ?? 0), column: String(g('column') ?? ''), value: String(g('value') ?? ''), reason: String(g('reason') ?? '') };
}

export function ImportFlow({ path, progressTask = 'import', templatePath, templateName, badRowsPath, onCommitted }: {
  /** POST endpoint; ?dry_run=1 is added for the check. */
  path: string;
  progressTask?: string;
  templatePath?: string;
  templateName?: string;
  /** GET path of the bad-rows workbook for an id. */
  badRowsPath?: (id: string) => string;
  onCommitted?: (r: ImportReport) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState<'' | 'check' | 'commit'>('');
  const [progress, setProgress] = useState<{ done: number; total: number; label?: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // Create the beats and salesmen the file names that the book lacks, in the same import.
  const [createMissing, setCreateMissing] = useState(false);

  useEffect(() => onProgress((p) => {
    if (p.task === progressTask) setProgress({ done: p.done, total: p.total, label: p.label });
  }), [progressTask]);

  async function send(dry: boolean, create = createMissing) {
    if (!file) return;
    setBusy(dry ? 'check' : 'commit');
    setError('');
    setProgress(null);
    try {
      const r = await upload<ImportReport>(path, file, { dry_run: dry ? 1 : undefined, create_missing: create ? 1 : undefined });
      setReport(r);
      if (!dry && r.committed) {
        toast(`Imported ${file.name}: ${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged`);
        onCommitted?.(r);
      }
    } catch (e) {
      // A refused circular answers 400 with the whole report.
      if (e instanceof ApiError && e.body && typeof e.body === 'object' && 'rows' in e.body) setReport(e.body as ImportReport);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy('');
    }
  }

  const errors = (report?.errors ?? []).map(rowError);
  const moreErrors = report?.more_errors ?? 0;
  const errorCount = errors.length + moreErrors;
  const canCommit = report && report.dry_run && errorCount === 0 && file && !busy;
  return (
    <div className="import-flow">
      <div className="report-bar">
        {templatePath && (
          <button type="button" onClick={() => download(templatePath, undefined, templateName).catch((e) => toast(String(e.message ?? e), 'error'))}>
            Download template
          </button>
        )}
        <label>
          Spreadsheet (.xlsx or .csv)
          <input
            ref={input}
            type="file"
            name="file"
            accept=".xlsx,.xlsm,.csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setCreateMissing(false);
              setError('');
            }}
          />
        </label>
        <button type="button" className="primary" disabled={!file || !!busy} onClick={() => send(true)}>
          {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
        </button>
        <button type="button" disabled={!canCommit} onClick={() => send(false)} title={errors.length ? 'Fix the errors first: a file with any error writes nothing' : ''}>
          {busy === 'commit' ? 'Importing…' : 'Import'}
        </button>
      </div>
      {busy && progress && <ProgressBar done={progress.done} total={progress.total} label={progress.label || 'rows'} />}
      {error && <div className="note error" role="alert">{error}</div>}
      {report && (
        <div className="import-result" data-testid="import-result">
          <div className="figures">
            <div className="figure"><span>Rows read</span><strong>{formatInt(report.rows)}</strong></div>
            <div className="figure"><span>New</span><strong data-testid="import-new">{formatInt(report.new)}</strong></div>
            <div className="figure"><span>Updated</span><strong data-testid="import-updated">{formatInt(report.updated)}</strong></div>
            <div className="figure"><span>Unchanged</span><strong>{formatInt(report.unchanged)}</strong></div>
            <div className="figure"><span>Errors</span><strong className={errorCount ? 'bad' : ''} data-testid="import-errors">{formatInt(errorCount)}</strong></div>
          </div>
          {report.committed ? (
            <div className="note ok">Imported: the book now holds these rows.</div>
          ) : errorCount ? (
            <div className="note error">
              Nothing was written: fix these {formatInt(errorCount)} errors in the file and check again.
              {moreErrors > 0 && ` The first ${formatInt(errors.length)} are listed; ${formatInt(moreErrors)} more were counted but not listed.`}
            </div>
          ) : (
            <div className="note ok">The file is clean. Press Import to write it.</div>
          )}
          {((report.new_beats?.length ?? 0) > 0 || (report.new_salesmen?.length ?? 0) > 0 || (report.new_channels?.length ?? 0) > 0) && (
            <div className="note warn" data-testid="import-new-masters">
              {(report.new_beats?.length ?? 0) > 0 && <div>New beats, not in the book: <strong>{report.new_beats!.map((b) => `${b} (${report.new_beat_weekdays?.[b] || 'weekday not set'})`).join(', ')}</strong></div>}
              {(report.new_salesmen?.length ?? 0) > 0 && <div>New salesmen, not in the book: <strong>{report.new_salesmen!.join(', ')}</strong></div>}
              {(report.new_channels?.length ?? 0) > 0 && <div>New channels, not in the list: <strong>{report.new_channels!.join(', ')}</strong></div>}
              {report.missing_created && report.committed ? (
                <div>Created with the outlets. Set the names, and the weekday of each beat the file gave no Beat Day, on the Beats and Salesmen screens.</div>
              ) : (
                <label>
                  <input type="checkbox" name="create_missing" checked={createMissing} disabled={!!busy}
                    onChange={(e) => { setCreateMissing(e.target.checked); void send(true, e.target.checked); }} />
                  {' '}Create them in this import (all or nothing, with the outlets; a beat's weekday from the file's Beat Day column, else not set)
                </label>
              )}
            </div>
          )}
          {(report.warnings ?? []).map((w, i) => <div key={i} className="note warn">{w}</div>)}
          {errors.length > 0 && (
            <>
              {report.bad_rows_id && badRowsPath && (
                <button type="button" onClick={() => download(badRowsPath(report.bad_rows_id as string), undefined, 'bad-rows.xlsx').catch((e) => toast(String(e.message ?? e), 'error'))}>
                  Download bad rows (.xlsx)
                </button>
              )}
              <div className="errors-table">
                <table className="mini">
                  <thead><tr><th className="num">Row</th><th>Column</th><th>Value</th><th>What to fix</th></tr></thead>
                  <tbody>
                    {errors.map((e, i) => (
                      <tr key={i} className="has-error">
                        <td className="num">{e.row || ''}</td><td>{e.column}</td><td className="mono">{e.value}</td><td>{e.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {report.records && report.records.length > 0 && errors.length === 0 && (
            <div className="errors-table">
              <table className="mini">
                <thead><tr><th className="num">Row</th><th>Code</th><th>Change</th></tr></thead>
                <tbody>
                  {report.records.slice(0, 500).map((r, i) => (
                    <tr key={i}><td className="num">{r.row}</td><td className="mono">{r.key}</td><td><span className={'state state-' + r.change}>{r.change}</span></td></tr>
                  ))}
                </tbody>
              </table>
              {report.records.length > 500 && <p className="muted">…and {formatInt(report.records.length - 500)} more</p>}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
