import { it } from 'vitest';
import { locales } from './support/browser.js';
import { departmentAdminEditsItem, staffSignInRefusesWrongPassword } from './support/journeys.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

describeInBrowser('staff sign-in and item editing', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    const o = { locale, axe: true };
    it(`staff sign-in refuses a wrong password (${locale})`, async () => {
      await staffSignInRefusesWrongPassword((await browser.visit(locale)).page, o);
    });
    it(`psb-exit-entry.admin edits an item of their department (${locale})`, async () => {
      await departmentAdminEditsItem((await browser.visit(locale)).page, o, browser.demoPassword);
    });
  }
});
