import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The sandbox payment provider's hosted page: pay or fail. */
export class SandboxPayPage extends BasePage {
  readonly form = this.page.locator('main form[action^="/sandbox/pay/"]');

  get amount(): Locator {
    return this.page.locator('main dl.summary-list strong').first();
  }

  async pay(): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.form.locator('button[name="outcome"][value="pay"]').click()]);
    return response;
  }
}

/** The sandbox courier's operator console (platform admin): one card per parcel. */
export class CourierConsolePage extends BasePage {
  open(): Promise<Response | null> {
    return this.goto('/sandbox/courier');
  }

  parcel(trackingNo: string): Locator {
    return this.page.locator('main li.card').filter({ has: this.page.locator(`h2#parcel-${trackingNo}`) });
  }

  status(trackingNo: string): Locator {
    return this.parcel(trackingNo).locator('dl.summary-list dd').first();
  }

  /** Moves the parcel on one step (created → picked up → in transit → delivered). */
  async advance(trackingNo: string): Promise<Response | null> {
    const button = this.parcel(trackingNo).locator('button[name="command"][value="advance"]');
    const [response] = await Promise.all([this.page.waitForNavigation(), button.click()]);
    return response;
  }

  async canAdvance(trackingNo: string): Promise<boolean> {
    return (await this.parcel(trackingNo).locator('button[name="command"][value="advance"]').count()) > 0;
  }
}
