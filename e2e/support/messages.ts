// Importing the app registers every module's messages, so tests expect exactly what a page should say.
import '../../src/app.js';
import { hasMessage, translate } from '../../src/platform/i18n/i18n.js';
import type { Locale } from './browser.js';

/** The text a page shows for a message key; an unknown key fails the test instead of matching itself. */
export function text(locale: Locale, key: string, params?: Record<string, string | number>): string {
  if (!hasMessage(key)) throw new Error(`No message "${key}": the test expects a text the app does not define`);
  return translate(locale, key, params);
}
