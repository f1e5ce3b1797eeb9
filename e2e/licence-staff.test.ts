import { expect, it } from 'vitest';
import { locales } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';
import { BasePage } from './pages/base.page.js';
import { StaffSignInPage } from './pages/staff.page.js';

// The registration authority's pages for a company's licences: axe-clean in both languages, at 360 px, and a
// refused form (no reason) shows an error summary. Nothing is changed, so other journeys keep a valid licence.

const uscc = '91510107MA6CBX7Q6L';

describeInBrowser('licence status pages for amr staff', () => {
  const browser = useBrowser();

  for (const locale of locales) {
    it(`amr.approver opens the company and its licence, and a missing reason is refused (${locale})`, async () => {
      const { page } = await browser.visit(locale);
      const signIn = new StaffSignInPage(page);
      await signIn.open();
      expect((await signIn.signIn('amr.approver', browser.demoPassword))?.status()).toBe(200);

      // From the workbench, by credit code, to the company.
      const view = new BasePage(page);
      expect((await view.goto('/staff/enterprise'))?.status()).toBe(200);
      await view.expectAccessible(`staff workbench (${locale})`);
      const find = page.locator('main form[action="/staff/enterprise/companies"]');
      await find.locator('input[name="uscc"]').fill(uscc);
      expect((await view.submit(find))?.status()).toBe(200);
      expect(view.pathname).toBe(`/staff/enterprise/companies/${uscc}`);
      await view.expectAccessible(`staff company page (${locale})`);

      const current = page.locator('main li a[href^="/staff/certificates/licences/"]').first();
      const [response] = await Promise.all([page.waitForNavigation(), current.click()]);
      expect(response?.status()).toBe(200);
      await expect(page.locator('#licence-state').getAttribute('data-state')).resolves.toMatch(/^(active|suspended|revoked)$/);
      await view.expectAccessible(`staff licence page (${locale})`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      // The newest licence is the current one, in force: the form is there, and refuses a missing reason.
      const form = page.locator('main form[method="post"]');
      expect(await form.count()).toBe(1);
      const refused = await view.submit(form);
      expect(refused?.status()).toBe(400);
      expect(await view.errorFields()).toEqual(['reason']);
      await view.expectAccessible(`staff licence page with an error (${locale})`);
    });
  }
});
