import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The department's queue at /staff/cases. */
export class CaseQueuePage extends BasePage {
  open(query = ''): Promise<Response | null> {
    return this.goto(`/staff/cases${query}`);
  }

  /** The row of an application, found by its receipt number. */
  row(receiptNo: string): Locator {
    return this.page.locator('main table tbody tr').filter({ has: this.page.locator('a', { hasText: receiptNo }) });
  }

  async openCase(receiptNo: string): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.row(receiptNo).locator('a', { hasText: receiptNo }).click()]);
    return response;
  }
}

/** One application in the workbench: data, materials, the actions the role allows. */
export class CaseWorkPage extends BasePage {
  readonly actionsForm = this.page.locator('main form[action$="/actions"]');
  readonly claimForm = this.page.locator('main form[action$="/claim"]');

  get status(): Locator {
    return this.page.locator('main dl.summary-list dd').nth(1);
  }

  /** The action buttons the signed-in role may press now (their `value`s, e.g. ['accept', 'refuse']). */
  async actions(): Promise<string[]> {
    return this.actionsForm.locator('button[name="action"]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('value') ?? ''));
  }

  async claim(): Promise<Response | null> {
    return this.submit(this.claimForm);
  }

  async act(action: string, comment = ''): Promise<Response | null> {
    await this.actionsForm.locator('#comment').fill(comment);
    const [response] = await Promise.all([this.page.waitForNavigation(), this.actionsForm.locator(`button[name="action"][value="${action}"]`).click()]);
    return response;
  }
}
