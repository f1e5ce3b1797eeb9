import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium; CI installs it (`apt-get install chromium`), a developer's machine may not have it.
 * CHROMIUM_PATH points elsewhere (a Chromium of the same major version as playwright-core expects).
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const skipMessage = `browser tests skipped: ${chromiumPath} not found; CI installs it`;

/** The 360-px phone viewport every journey runs at (mobile first). */
export const phone = { width: 360, height: 740 };

export type Locale = 'zh-CN' | 'en';
export const locales: Locale[] = ['zh-CN', 'en'];

/**
 * Headless Chromium with the flags this machine needs: without the background-networking ones it
 * tries to reach Google's hosts, which a closed network refuses. Playwright's launch() always gives
 * the browser a fresh, empty --user-data-dir of its own (and refuses one in args), and every test
 * opens a new context, so no cookie or storage survives from one journey to the next.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Visitor {
  context: BrowserContext;
  page: Page;
}

/** A new visitor at phone size whose browser asks for `locale` (Accept-Language), with or without JavaScript. */
export async function newVisitor(browser: Browser, baseURL: string, locale: Locale, javaScriptEnabled = true): Promise<Visitor> {
  const context = await browser.newContext({ baseURL, locale, viewport: phone, javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}
