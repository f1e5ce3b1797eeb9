import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Actor } from '../auth/actor.js';
import type { Locale, Translate } from '../i18n/i18n.js';

/** What every page component may read: language, the signed-in person, the CSRF token. */
export interface PageContextValue {
  locale: Locale;
  t: Translate;
  actor: Actor | null;
  csrfToken: string;
  /** Path and query of the current request, for the language switch and return links. */
  path: string;
}

export const PageContext = createContext<PageContextValue | null>(null);

export function usePage(): PageContextValue {
  const value = useContext(PageContext);
  if (!value) throw new Error('usePage() outside a rendered page');
  return value;
}
