import { expect, it } from 'vitest';
import { locales } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';
import { text } from './support/messages.js';
import { BasePage } from './pages/base.page.js';
import { StaffSignInPage } from './pages/staff.page.js';

/** The department admin's promises page at 360 px: axe-clean in zh-CN and en, also with the error summary. */
describeInBrowser("the hall's promises page", () => {
  const browser = useBrowser();
  for (const locale of locales) {
    it(`bus-group.admin sees the promises and a refused value (${locale})`, async () => {
      const p = (await browser.visit(locale)).page;
      const staff = new StaffSignInPage(p);
      await staff.open();
      expect((await staff.signIn('bus-group.admin', browser.demoPassword))?.status()).toBe(200);
      const page = new BasePage(p);
      expect((await page.goto('/staff/hall/promises'))?.status()).toBe(200);
      await expect(page.heading.textContent()).resolves.toBe(text(locale, 'hall.staff.promises'));
      await page.expectAccessible(`hall promises (${locale})`);
      const form = p.locator('form[action="/staff/hall/promises"]');
      await form.locator('#complaintValue').fill('0');
      expect((await page.submit(form))?.status()).toBe(400);
      expect(await page.errorFields()).toEqual(['complaintValue']);
      await expect(form.locator('#complaintValue').inputValue()).resolves.toBe('0');
      await page.expectAccessible(`hall promises with errors (${locale})`);
    });
  }
});
