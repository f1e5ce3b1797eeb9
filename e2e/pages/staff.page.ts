import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

export class StaffSignInPage extends BasePage {
  readonly form = this.page.locator('form[action="/staff"]');

  open(): Promise<Response | null> {
    return this.goto('/staff');
  }

  async signIn(login: string, password: string): Promise<Response | null> {
    await this.form.locator('#login').fill(login);
    await this.form.locator('#password').fill(password);
    return this.submit(this.form);
  }
}

export class StaffHomePage extends BasePage {
  /** The edit link of an item of the department. */
  editLink(code: string) {
    return this.page.locator(`main a[href="/staff/items/${code}/edit"]`);
  }

  async edit(code: string): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.editLink(code).click()]);
    return response;
  }
}

export class ItemEditPage extends BasePage {
  readonly form = this.page.locator('main form[method="post"]');

  open(code: string): Promise<Response | null> {
    return this.goto(`/staff/items/${encodeURIComponent(code)}/edit`);
  }

  field(name: string) {
    return this.form.locator(`[name="${name}"]`).first();
  }

  async fill(values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) await this.field(name).fill(value);
  }

  save(): Promise<Response | null> {
    return this.submit(this.form);
  }
}
