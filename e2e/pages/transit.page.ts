import type { Locator } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The rider pages of Bus e-Travel: home (search, nearby, routes), a route with its map, a stop with its arrivals. */
export class TransitPage extends BasePage {
  async open(): Promise<void> {
    await this.goto('/transit');
  }

  get searchForm(): Locator {
    return this.page.locator('form[role="search"]');
  }

  async searchStops(q: string): Promise<void> {
    await this.searchForm.locator('input[name="q"]').fill(q);
    await this.submit(this.searchForm);
  }

  get nearbyForm(): Locator {
    return this.page.locator('#nearby-form');
  }

  async nearby(lat: string, lon: string): Promise<void> {
    await this.nearbyForm.locator('input[name="lat"]').fill(lat);
    await this.nearbyForm.locator('input[name="lon"]').fill(lon);
    await this.submit(this.nearbyForm);
  }

  routeLink(name: string): Locator {
    return this.page.locator('section[aria-labelledby="routes-title"] a', { hasText: name }).first();
  }

  get map(): Locator {
    return this.page.locator('svg#route-map');
  }

  get mapStops(): Locator {
    return this.map.locator('circle');
  }

  get stopLinks(): Locator {
    return this.page.locator('main ol a');
  }

  get arrivalRows(): Locator {
    return this.page.locator('main table tbody tr');
  }

  get resultLinks(): Locator {
    return this.page.locator('section[aria-labelledby="results-title"] a, section[aria-labelledby="nearby-title"] ul a');
  }

  async follow(link: Locator): Promise<void> {
    await Promise.all([this.page.waitForNavigation(), link.click()]);
  }
}
