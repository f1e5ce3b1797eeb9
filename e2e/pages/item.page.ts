import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The public page of a service item: what you need, how long it takes, what it costs. */
export class ItemPage extends BasePage {
  open(code: string): Promise<Response | null> {
    return this.goto(`/services/${encodeURIComponent(code)}`);
  }

  /** The Apply button of the item. */
  async apply(code: string): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.page.locator(`main a[href="/services/${code}/apply"]`).first().click()]);
    return response;
  }

  /** Every material listed (to bring, and held by the government). */
  get materials() {
    return this.page.locator('main ul.materials > li');
  }

  /** The definition shown under a term, e.g. the promised time limit. */
  definition(term: string) {
    return this.page.locator('main dl.summary-list dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }

  /** The text of the section under a heading, up to the next heading. */
  async section(heading: string): Promise<string> {
    return this.page.locator('main h2', { hasText: heading }).evaluate((h) => {
      const parts: string[] = [];
      for (let n = h.nextElementSibling; n && n.tagName !== 'H2'; n = n.nextElementSibling) parts.push(n.textContent ?? '');
      return parts.join(' ').trim();
    });
  }
}
