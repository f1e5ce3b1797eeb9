import type { Locator, Page, Response } from 'playwright-core';
import { expectAccessible } from '../support/axe.js';

/** What every page of the site has: a language, one h1, an error summary when a form was refused. */
export class BasePage {
  constructor(readonly page: Page) {}

  async goto(path: string): Promise<Response | null> {
    return this.page.goto(path);
  }

  get heading(): Locator {
    return this.page.locator('main h1');
  }

  async lang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang');
  }

  get pathname(): string {
    return new URL(this.page.url()).pathname;
  }

  get errorSummary(): Locator {
    return this.page.locator('.error-summary');
  }

  /** The fields the error summary links to, e.g. ['idNumber', 'password']. */
  async errorFields(): Promise<string[]> {
    const hrefs = await this.errorSummary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    return hrefs.map((h) => h.replace(/^#/, ''));
  }

  get successNotice(): Locator {
    return this.page.locator('.notice-success');
  }

  /** Submits a form with its button, like a person, and waits for the page that answers (after redirects). */
  async submit(form: Locator): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), form.locator('button[type="submit"]').first().click()]);
    return response;
  }

  async expectAccessible(label: string): Promise<void> {
    await expectAccessible(this.page, label);
  }
}
