import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Violations that block people: serious and critical ones fail the test. */
const blocking = new Set(['serious', 'critical']);

function describeViolation(v: Result): string {
  const nodes = v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n');
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
}

/**
 * Injects axe-core into the page and scans it against WCAG 2.1 A and AA; returns the serious and
 * critical violations as readable lines (empty when there are none).
 */
export async function blockingViolations(page: Page): Promise<string[]> {
  // The page's own JavaScript may be off; evaluate still runs (it goes through the debugging protocol).
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (c: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations.filter((v) => v.impact && blocking.has(v.impact)).map(describeViolation);
}

/** Fails with every serious or critical violation listed (rule, element, snippet). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await blockingViolations(page);
  if (violations.length) throw new Error(`Accessibility violations on ${label} (${page.url()}):\n${violations.join('\n')}`);
}
