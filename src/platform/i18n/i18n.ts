export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

export type Messages = Record<string, string>;
export interface MessageBundle {
  'zh-CN': Messages;
  en: Messages;
}

const catalogs: Record<Locale, Messages> = { 'zh-CN': {}, en: {} };

/** Adds a module's messages; both languages must hold the same keys. */
export function registerMessages(bundle: MessageBundle): void {
  const zh = Object.keys(bundle['zh-CN']);
  const en = new Set(Object.keys(bundle.en));
  const missing = [...zh.filter((k) => !en.has(k)), ...[...en].filter((k) => !(k in bundle['zh-CN']))];
  if (missing.length) throw new Error(`Messages missing in one language: ${missing.join(', ')}`);
  Object.assign(catalogs['zh-CN'], bundle['zh-CN']);
  Object.assign(catalogs.en, bundle.en);
}

export function hasMessage(key: string): boolean {
  return key in catalogs['zh-CN'];
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Replaces {name} placeholders; an unknown key shows as the key, so a missing message is visible. */
export function translate(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const template = catalogs[locale][key] ?? catalogs[defaultLocale][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export const translator =
  (locale: Locale): Translate =>
  (key, params) =>
    translate(locale, key, params);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Picks a locale from ?lang, the lang cookie, then Accept-Language; zh-CN by default. */
export function negotiateLocale(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(query)) return query;
  if (isLocale(cookie)) return cookie;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...rest] = part.trim().split(';');
        const q = rest.find((p) => p.trim().startsWith('q='));
        return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag, q } of ranked) {
      if (q <= 0) continue;
      if (tag.startsWith('zh')) return 'zh-CN';
      if (tag.startsWith('en')) return 'en';
    }
  }
  return defaultLocale;
}

/** Formats fen as yuan in the locale. */
export function formatMoney(locale: Locale, fen: number): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100);
}

export function formatDateTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(date);
}

/** One bundle from several (a module may keep its page and API messages apart). */
export function mergeBundles(...bundles: MessageBundle[]): MessageBundle {
  return { 'zh-CN': Object.assign({}, ...bundles.map((b) => b['zh-CN'])), en: Object.assign({}, ...bundles.map((b) => b.en)) };
}
