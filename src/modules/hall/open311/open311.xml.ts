/** Open311's XML form of a reply: named root, one element per field, repeated elements for lists. */

const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    // Characters XML 1.0 cannot carry at all.
    // eslint-disable-next-line no-control-regex -- these are exactly the ones to drop
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu, '');

/** Element names for the items of a list field (attributes → attribute, values → value, …). */
const ITEM_NAMES: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A list reply: `<root><item>…</item>…</root>`. */
export const xmlList = (root: string, item: string, items: readonly unknown[]): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${items.map((i) => element(item, i)).join('')}</${root}>`;

/** A single-object reply: `<root>fields…</root>`. */
export const xmlObject = (root: string, value: Record<string, unknown>): string => `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
