import { expect, it } from 'vitest';
import { TransitPage } from './pages/transit.page.js';
import { locales } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

// The demo data imports the USF Bull Runner feed for bus-group (route A is a loop with 22 stops).
describeInBrowser('Bus e-Travel rider pages', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    for (const javaScript of [true, false]) {
      const how = `${locale}, JavaScript ${javaScript ? 'on' : 'off'}`;
      it(`route page: the map of route A with its stops, then a stop page with its arrivals (${how})`, async () => {
        const t = new TransitPage((await browser.visit(locale, { javaScript })).page);
        await t.open();
        expect(await t.lang()).toBe(locale);
        await t.follow(t.routeLink('A'));
        expect(t.pathname).toBe('/transit/routes/A');
        await expect(t.map.isVisible()).resolves.toBe(true);
        expect(await t.mapStops.count()).toBeGreaterThan(5);
        const box = await t.map.boundingBox();
        expect(box!.width).toBeLessThanOrEqual(360);
        if (javaScript) await t.expectAccessible(`route page (${locale})`);
        const first = t.stopLinks.first();
        const stopName = (await first.textContent())!.trim();
        await t.follow(first);
        expect(t.pathname).toMatch(/^\/transit\/stops\//);
        await expect(t.heading.textContent()).resolves.toBe(stopName);
        await expect(t.page.locator('main h2').first().textContent()).resolves.toMatch(locale === 'en' ? /Next arrivals|Service alerts/ : /即将到站|服务公告/);
        if (javaScript) await t.expectAccessible(`stop page (${locale})`);
        // The page never scrolls sideways on a 360-px phone.
        const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      });
    }
    it(`stop search and nearby stops work as plain forms (${locale}, JavaScript off)`, async () => {
      const t = new TransitPage((await browser.visit(locale, { javaScript: false })).page);
      await t.open();
      await t.searchStops('zzzz-no-such-stop');
      expect(await t.resultLinks.count()).toBe(0);
      await t.searchStops('Library');
      expect(await t.resultLinks.count()).toBeGreaterThan(0);
      await t.nearby('28.0587', '-82.4139');
      expect(await t.resultLinks.count()).toBeGreaterThan(0);
    });
  }
});
