import { it } from 'vitest';
import { locales } from './support/browser.js';
import { catalogueSearchFindsInvoiceItem, itemPageShowsWhatItTakes } from './support/journeys.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

describeInBrowser('service catalogue', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    const o = { locale, axe: true };
    it(`search for 发票 finds the VAT invoice item (${locale})`, async () => {
      await catalogueSearchFindsInvoiceItem((await browser.visit(locale)).page, o);
    });
    it(`the Hong Kong and Macao endorsement shows materials, time limits and fee (${locale})`, async () => {
      await itemPageShowsWhatItTakes((await browser.visit(locale)).page, o);
    });
  }
});
