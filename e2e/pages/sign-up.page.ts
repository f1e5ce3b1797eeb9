import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

export interface SignUpDetails {
  phone: string;
  realName: string;
  idNumber: string;
  password: string;
  confirmPassword?: string;
}

export class SignUpPage extends BasePage {
  readonly form = this.page.locator('form[action="/sign-up"]');

  open(): Promise<Response | null> {
    return this.goto('/sign-up');
  }

  async signUp(details: SignUpDetails): Promise<Response | null> {
    await this.form.locator('#phone').fill(details.phone);
    await this.form.locator('#realName').fill(details.realName);
    await this.form.locator('#idNumber').fill(details.idNumber);
    await this.form.locator('#password').fill(details.password);
    await this.form.locator('#confirmPassword').fill(details.confirmPassword ?? details.password);
    return this.submit(this.form);
  }

  value(field: keyof SignUpDetails): Promise<string> {
    return this.form.locator(`#${field}`).inputValue();
  }

  invalid(field: keyof SignUpDetails): Promise<string | null> {
    return this.form.locator(`#${field}`).getAttribute('aria-invalid');
  }
}
