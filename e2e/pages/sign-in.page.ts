import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

export class SignInPage extends BasePage {
  /** The number-and-password form (the page also has the SMS code form). */
  readonly form = this.page.locator('form[action="/sign-in"]').filter({ has: this.page.locator('input[name="method"][value="password"]') });

  open(): Promise<Response | null> {
    return this.goto('/sign-in');
  }

  async signIn(phone: string, password: string): Promise<Response | null> {
    await this.form.locator('#phone').fill(phone);
    await this.form.locator('#password').fill(password);
    return this.submit(this.form);
  }
}
