import { hasMessage, locales, translate, type MessageBundle } from '../i18n/i18n.js';

/**
 * Notice templates are messages: `notice.<template>.subject` and `notice.<template>.body`, with an
 * optional shorter `notice.<template>.sms` for text messages. A module registers its templates by
 * putting them in its message bundle; this is the registry's read side.
 */
export interface NoticeTemplate {
  name: string;
  placeholders: string[];
  hasSmsText: boolean;
}

const placeholdersOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

const keysOf = (name: string) => [`notice.${name}.subject`, `notice.${name}.body`, `notice.${name}.sms`];

/** The template as registered, or an error naming what is missing (a programming error, so it throws). */
export function noticeTemplate(name: string): NoticeTemplate {
  if (!/^[a-z][\w.-]*$/i.test(name)) throw new Error(`Bad notice template name "${name}"`);
  const [subject = '', body = '', sms = ''] = keysOf(name);
  if (!hasMessage(subject) || !hasMessage(body)) throw new Error(`Notice template "${name}" is not registered: add ${subject} and ${body} to a message bundle`);
  const hasSmsText = hasMessage(sms);
  const texts = locales.flatMap((l) => [subject, body, ...(hasSmsText ? [sms] : [])].map((k) => translate(l, k)));
  return { name, placeholders: [...new Set(texts.flatMap(placeholdersOf))].sort(), hasSmsText };
}

/** Renders a template; every placeholder must have a value, so a notice never shows "{code}". */
export function renderNotice(
  name: string,
  locale: (typeof locales)[number],
  params: Record<string, string | number> = {},
): { subject: string; body: string; sms: string } {
  const template = noticeTemplate(name);
  const missing = template.placeholders.filter((p) => !(p in params));
  if (missing.length) throw new Error(`Notice template "${name}" needs ${missing.join(', ')}`);
  const [subject = '', body = '', sms = ''] = keysOf(name);
  const rendered = { subject: translate(locale, subject, params), body: translate(locale, body, params) };
  return { ...rendered, sms: template.hasSmsText ? translate(locale, sms, params) : rendered.body };
}

/**
 * Checks the notice templates in a bundle (for module tests): each has a subject and a body, and both
 * languages use the same placeholders. Returns the problems found.
 */
export function checkNoticeBundle(bundle: MessageBundle): string[] {
  const problems: string[] = [];
  const names = new Set(
    Object.keys(bundle['zh-CN'])
      .filter((k) => k.startsWith('notice.'))
      .map((k) => k.replace(/^notice\.(.+)\.(subject|body|sms)$/, '$1')),
  );
  for (const name of names) {
    const [subject = '', body = '', sms = ''] = keysOf(name);
    for (const key of [subject, body]) if (!(key in bundle['zh-CN'])) problems.push(`${key} is missing`);
    for (const key of [subject, body, sms]) {
      const zh = bundle['zh-CN'][key];
      const en = bundle.en[key];
      if (zh === undefined || en === undefined) continue;
      const a = placeholdersOf(zh).sort().join(',');
      const b = placeholdersOf(en).sort().join(',');
      if (a !== b) problems.push(`${key} uses {${a}} in zh-CN but {${b}} in en`);
    }
  }
  return problems;
}
