// Hash routes (#/billing): they work the same from the Wails asset server,
// the Go HTTP server and a file, with no server-side routing.

import { useEffect, useState } from 'react';

export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/';
}

let previous = '/';
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', (e) => {
    const h = new URL(e.oldURL).hash.replace(/^#/, '');
    previous = h.startsWith('/') ? h : '/';
  });
}

/** The route shown before the current one (for a screen's Back to where the user came from). */
export function previousPath(): string {
  return previous;
}

export function navigate(path: string) {
  if (currentPath() !== path) window.location.hash = path;
}

export function useRoute(): string {
  const [p, setP] = useState(currentPath);
  useEffect(() => {
    const f = () => setP(currentPath());
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return p;
}

/** "/invoices/SI%2F26-27%2F000001" with base "/invoices" → "SI/26-27/000001". */
export function routeParam(path: string, base: string): string | undefined {
  if (!path.startsWith(base + '/')) return undefined;
  const rest = path.slice(base.length + 1);
  return rest ? decodeURIComponent(rest) : undefined;
}
