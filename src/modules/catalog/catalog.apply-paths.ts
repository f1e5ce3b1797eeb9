/**
 * Where a person applies for an item. Most items use the cases module's generic form
 * (`/services/<code>/apply`); a module with a journey of its own (enterprise registration: name declaration,
 * establishment with every person's confirmation, change registration) registers its start page here, so the
 * catalogue's "Apply" leads there. Kept by code, outside the item's content, so staff edits never drop it.
 */
const paths = new Map<string, string>();

export function setApplyPath(code: string, path: string): void {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error('An apply path is a local path');
  paths.set(code, path);
}

export const applyPathOf = (code: string): string => paths.get(code) ?? `/services/${encodeURIComponent(code)}/apply`;
