import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, newVisitor, skipMessage, type Locale, type Visitor } from './browser.js';

/** A describe block that is skipped, saying why, when there is no Chromium. */
export const describeInBrowser = (name: string, body: () => void) => (hasChromium ? describe(name, body) : describe.skip(`${name} (${skipMessage})`, body));

/** One Chromium per test file; each `visit` is a new visitor with an empty profile. */
export function useBrowser() {
  let browser: Browser | undefined;
  const open: Visitor[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const v of open) await v.context.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    get demoPassword() {
      return inject('demoPassword');
    },
    async visit(locale: Locale, options: { javaScript?: boolean } = {}): Promise<Visitor> {
      if (!browser) throw new Error('The browser did not start');
      const visitor = await newVisitor(browser, inject('baseUrl'), locale, options.javaScript ?? true);
      open.push(visitor);
      return visitor;
    },
  };
}
