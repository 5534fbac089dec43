import { createContext, useContext } from 'react';
import type { Company, Me } from './types';

export interface Session {
  me: Me;
  company: Company;
  setCompany: (c: Company) => void;
  canWrite: boolean;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the shell');
  return s;
}
