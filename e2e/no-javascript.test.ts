import { it } from 'vitest';
import * as journeys from './support/journeys.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

// Every core journey must work as plain HTML: the same steps in a browser with JavaScript switched off.
describeInBrowser('core journeys without JavaScript', () => {
  const browser = useBrowser();
  const o = { locale: 'zh-CN' as const, axe: false };
  const visit = async () => (await browser.visit('zh-CN', { javaScript: false })).page;

  it('sign-up: refused input, then an account', async () => {
    await journeys.signUpRefusesBadInput(await visit(), o);
    await journeys.signUpLandsOnAccount(await visit(), o);
  });
  it('sign-in: wrong password, then the demo citizen', async () => {
    await journeys.signInRefusesWrongPassword(await visit(), o);
    await journeys.signInLandsOnAccount(await visit(), o, browser.demoPassword);
  });
  it('catalogue search and item page', async () => {
    await journeys.catalogueSearchFindsInvoiceItem(await visit(), o);
    await journeys.itemPageShowsWhatItTakes(await visit(), o);
  });
  it('staff sign-in and item editing', async () => {
    await journeys.staffSignInRefusesWrongPassword(await visit(), o);
    await journeys.departmentAdminEditsItem(await visit(), o, browser.demoPassword);
  });
});
