// Shared by the document screens: save with Ctrl+S, errors either on a
// header field or on the line "lines[N]…" names, and the confirmation.

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, idempotentDocs, newRequestId } from '../../api';
import type { DocKind } from '../../api';
import { caches } from '../../store';
import { toast } from '../../widgets/ui';
import type { PostedDoc } from '../../types';

export interface DocErrors {
  field: Record<string, string>;
  line?: number;
  lineText?: string;
  banner?: string;
}

export function useDocSave(kind: DocKind, label: string) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<DocErrors>({ field: {} });
  const [saved, setSaved] = useState<PostedDoc | null>(null);
  // One request_id per document: kept while its save fails and is retried,
  // a new one once it is saved.
  const requestId = useRef(newRequestId());
  const save = useCallback(
    async (body: unknown): Promise<PostedDoc | null> => {
      setBusy(true);
      setErrors({ field: {} });
      try {
        const sent = idempotentDocs.has(kind) ? { ...(body as object), request_id: requestId.current } : body;
        const doc = await api.postDoc(kind, sent);
        requestId.current = newRequestId();
        setSaved(doc);
        toast(`${label} ${doc.number} saved`);
        void caches.stock.refresh();
        return doc;
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, String(e));
        const m = /^lines\[(\d+)\]/.exec(err.field ?? '');
        if (m) setErrors({ field: {}, line: Number(m[1]), lineText: err.message });
        else if (err.field) setErrors({ field: { [err.field]: err.message }, banner: `${err.field}: ${err.message}` });
        else setErrors({ field: {}, banner: err.message });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [kind, label],
  );
  return { busy, errors, saved, save, setErrors };
}

/** Ctrl+S anywhere on the screen. */
export function useCtrlS(fn: () => void) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        ref.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
