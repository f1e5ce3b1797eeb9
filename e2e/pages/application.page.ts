import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** A file a person picks in the browser's file chooser. */
export interface PickedFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** /services/{code}/apply: what the application takes, and the button that opens a draft. */
export class ApplyStartPage extends BasePage {
  readonly form = this.page
    .locator('main form[method="post"]')
    .filter({ has: this.page.locator('button[type="submit"]') })
    .last();

  open(code: string): Promise<Response | null> {
    return this.goto(`/services/${encodeURIComponent(code)}/apply`);
  }

  start(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

/** One page of an application form (/account/applications/{id}/steps/{page}). */
export class FormStepPage extends BasePage {
  readonly form = this.page.locator('main form[method="post"]');

  /** The application's id, from the address. */
  get applicationId(): string {
    return /\/account\/applications\/([0-9a-f-]{36})/.exec(this.pathname)?.[1] ?? '';
  }

  /** "Step n of m" line above the heading. */
  get meta(): Locator {
    return this.page.locator('main p.meta').first();
  }

  /** What the government already holds, shown read-only with the department it comes from. */
  get prefilled(): Locator {
    return this.page.locator('main section.cases-prefilled');
  }

  prefilledValue(label: string): Locator {
    return this.prefilled.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  }

  field(name: string): Locator {
    return this.form.locator(`[name="${name}"]`);
  }

  /** Ticks the radio of a choice by its label, as a person taps it. */
  async choose(name: string, label: string): Promise<void> {
    await this.form.locator(`fieldset:has(input[name="${name}"]) label`, { hasText: label }).first().click();
  }

  async fill(values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) await this.field(name).fill(value);
  }

  async upload(name: string, file: PickedFile): Promise<void> {
    await this.field(name).setInputFiles(file);
  }

  invalid(name: string): Promise<string | null> {
    return this.field(name).first().getAttribute('aria-invalid');
  }

  continue(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

/** How the result reaches the applicant; courier needs an address. */
export class DeliveryPage extends BasePage {
  readonly form = this.page.locator('main form[method="post"]');

  async chooseCourier(address: { recipientName: string; phone: string; district: string; detail: string }): Promise<void> {
    await this.form.locator('input[name="method"][value="courier"]').check();
    await this.form.locator('#recipientName').fill(address.recipientName);
    await this.form.locator('#phone').fill(address.phone);
    await this.form.locator('#district').selectOption(address.district);
    await this.form.locator('#detail').fill(address.detail);
  }

  continue(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

/** Check your answers: each answer with its Change link, then submit. */
export class CheckAnswersPage extends BasePage {
  readonly form = this.page.locator('main form[action$="/submit"]');

  /** The answer shown for a question. */
  answer(label: string): Locator {
    return this.page.locator('main .cases-answer dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  }

  submitApplication(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

/** After submission: the receipt number, and Pay now when a fee is due. */
export class ConfirmationPage extends BasePage {
  readonly payForm = this.page.locator('main form[action$="/pay"]');

  get receiptNo(): Locator {
    return this.page.locator('main .cases-receipt strong');
  }

  pay(): Promise<Response | null> {
    return this.submit(this.payForm);
  }
}

/** One application of the applicant: status, payment, timeline, shipment tracking. */
export class ApplicationPage extends BasePage {
  open(id: string): Promise<Response | null> {
    return this.goto(`/account/applications/${id}`);
  }

  get status(): Locator {
    return this.page.locator('main dl.summary-list .cases-status').first();
  }

  get receiptNo(): Locator {
    return this.page.locator('main dl.summary-list dd strong').first();
  }

  /** "amount · status" of the fee. */
  get payment(): Locator {
    return this.page.locator('main section[aria-labelledby="payment-title"] p').first();
  }

  get shipment(): Locator {
    return this.page.locator('main section[aria-labelledby="shipment-title"]');
  }

  get trackingNo(): Locator {
    return this.shipment.locator('p strong').first();
  }

  /** Every section's text, for "does the timeline say X". */
  async mainText(): Promise<string> {
    return (await this.page.locator('main').textContent()) ?? '';
  }

  /** Reloads until the page says what is expected (payments and parcels report back asynchronously). */
  async reloadUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > until) throw new Error(`Timed out waiting for ${what} on ${this.page.url()}`);
      await new Promise((r) => setTimeout(r, 250));
      await this.page.reload();
    }
  }
}
