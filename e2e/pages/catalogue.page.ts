import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

export class CataloguePage extends BasePage {
  readonly searchForm = this.page.locator('main form[role="search"]');

  open(query = ''): Promise<Response | null> {
    return this.goto(query ? `/services?q=${encodeURIComponent(query)}` : '/services');
  }

  async search(query: string): Promise<Response | null> {
    await this.searchForm.locator('input[name="q"]').fill(query);
    return this.submit(this.searchForm);
  }

  /** The link to a service item in the results, by its code. */
  result(code: string) {
    return this.page.locator(`main .card-list a[href="/services/${code}"]`);
  }

  get results() {
    return this.page.locator('main .card-list a[href^="/services/"]');
  }
}
