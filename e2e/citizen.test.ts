import { it } from 'vitest';
import { locales } from './support/browser.js';
import { signInLandsOnAccount, signInRefusesWrongPassword, signUpLandsOnAccount, signUpRefusesBadInput } from './support/journeys.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

describeInBrowser('citizen sign-up and sign-in', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    const o = { locale, axe: true };
    it(`sign-up refuses an invalid ID number and a weak password (${locale})`, async () => {
      await signUpRefusesBadInput((await browser.visit(locale)).page, o);
    });
    it(`sign-up with a valid ID number lands on the account page (${locale})`, async () => {
      await signUpLandsOnAccount((await browser.visit(locale)).page, o);
    });
    it(`sign-in refuses a wrong password (${locale})`, async () => {
      await signInRefusesWrongPassword((await browser.visit(locale)).page, o);
    });
    it(`the demo citizen signs in (${locale})`, async () => {
      await signInLandsOnAccount((await browser.visit(locale)).page, o, browser.demoPassword);
    });
  }
});
