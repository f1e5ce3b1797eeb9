import { expect, it } from 'vitest';
import { blockingViolations, expectAccessible } from './support/axe.js';
import { locales } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';

describeInBrowser('home page', () => {
  const browser = useBrowser();
  for (const locale of locales) {
    it(`is served in ${locale} at phone size and has no serious accessibility problem`, async () => {
      const { page } = await browser.visit(locale);
      const response = await page.goto('/');
      expect(response?.status()).toBe(200);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);
      await expectAccessible(page, `home (${locale})`);
    });
  }

  it('the accessibility scan does catch a defect (an input without a label, an image without text)', async () => {
    const { page } = await browser.visit('zh-CN');
    await page.goto('/');
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML('beforeend', '<input type="text" name="unlabelled"><img src="/static/app.css">');
    });
    const violations = (await blockingViolations(page)).join('\n');
    expect(violations).toContain('label');
    expect(violations).toContain('image-alt');
  });
});
