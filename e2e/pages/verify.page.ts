import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The public verification page (/verify): paste a licence or follow a QR code, read the verdict. */
export class VerifyPage extends BasePage {
  readonly form = this.page.locator('form[action="/verify"]');

  open(query = ''): Promise<Response | null> {
    return this.goto(`/verify${query}`);
  }

  async paste(credential: string): Promise<Response | null> {
    await this.form.locator('textarea[name="credential"]').fill(credential);
    return this.submit(this.form);
  }

  /** valid | revoked | suspended | expired | invalid, or null when nothing was checked. */
  async verdict(): Promise<string | null> {
    const el = this.page.locator('[data-verdict]');
    return (await el.count()) ? el.getAttribute('data-verdict') : null;
  }

  get reason(): Locator {
    return this.page.locator('.verdict-reason');
  }

  field(name: string): Locator {
    return this.page.locator(`.licence-fields dd[data-field="${name}"]`);
  }
}

/** The company's people: the list of licences and the mobile view of one. */
export class LicencePage extends BasePage {
  openList(): Promise<Response | null> {
    return this.goto('/licences');
  }

  /** Opens the first licence of the company named. */
  async openFor(companyName: string): Promise<Response | null> {
    const card = this.page.locator('main .card').filter({ hasText: companyName }).first();
    const [response] = await Promise.all([this.page.waitForNavigation(), card.locator('a[href^="/licences/"]').click()]);
    return response;
  }

  get qrCode(): Locator {
    return this.page.locator('.licence-qr svg');
  }

  async followVerifyLink(): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.page.locator('main a[href^="/verify?credential="]').click()]);
    return response;
  }

  async download(kind: 'pdf' | 'jwt'): Promise<{ status: number; body: Buffer; type: string }> {
    const href = await this.page.locator(`main a[href$="/licence.${kind}"]`).getAttribute('href');
    const res = await this.page.request.get(href!);
    return { status: res.status(), body: await res.body(), type: res.headers()['content-type'] ?? '' };
  }
}
