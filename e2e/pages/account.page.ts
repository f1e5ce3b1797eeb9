import { BasePage } from './base.page.js';

export class AccountPage extends BasePage {
  /** The value shown for a term of the personal details, e.g. the masked phone number. */
  detail(term: string) {
    return this.page.locator('dl.summary-list dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }
}
