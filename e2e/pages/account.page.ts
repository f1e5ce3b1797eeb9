import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

export class AccountPage extends BasePage {
  readonly actingForForm = this.page.locator('main form[action="/account/acting-for"]');

  open(): Promise<Response | null> {
    return this.goto('/account');
  }

  /** The value shown for a term of the personal details, e.g. the masked phone number. */
  detail(term: string) {
    return this.page.locator('dl.summary-list dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }

  /** Switches to acting for the company whose option mentions `name` (the accountant files for it). */
  async actFor(name: string): Promise<Response | null> {
    await this.actingForForm.locator('label', { hasText: name }).click();
    return this.submit(this.actingForForm);
  }
}
