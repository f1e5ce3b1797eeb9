import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The public status check: receipt number and the last four digits of the phone. */
export class StatusCheckPage extends BasePage {
  readonly form = this.page.locator('main form[action="/status"]');

  open(): Promise<Response | null> {
    return this.goto('/status');
  }

  async check(receiptNo: string, phoneLast4: string): Promise<Response | null> {
    await this.form.locator('#receiptNo').fill(receiptNo);
    await this.form.locator('#phoneLast4').fill(phoneLast4);
    return this.submit(this.form);
  }

  get result(): Locator {
    return this.page.locator('main section.cases-panel');
  }
}
