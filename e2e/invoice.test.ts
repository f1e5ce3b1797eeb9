import { it } from 'vitest';
import { locales } from './support/browser.js';
import { accountantAppliesForInvoices, shipmentAppears, StaffDesk, staffTakeItThrough } from './support/case-journeys.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

// Issue 3: VAT invoices for a company, filed by its accountant, approved by tax-wuhou the same day, posted, tracked.
describeInBrowser('the VAT invoice journey (vat-invoice-stock)', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    const o = { locale, axe: true };
    it(`the accountant applies for the company, tax-wuhou approves, the invoices are posted and tracked (${locale})`, async () => {
      const accountant = (await browser.visit(locale)).page;
      const application = await accountantAppliesForInvoices(accountant, o, browser.demoPassword);
      const desk = new StaffDesk(async () => (await browser.visit(locale)).page, browser.demoPassword);
      // The workbench pages are the ones the endorsement journey scans in both languages; not again here.
      await staffTakeItThrough(desk, { locale, axe: false }, 'tax-wuhou', application.receiptNo, [
        ['clerk', 'accept'],
        ['reviewer', 'start_review'],
        ['approver', 'approve'],
        ['clerk', 'complete'],
      ]);
      await shipmentAppears(accountant, application.id);
    }, 120_000);
  }
});
