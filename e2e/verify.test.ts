import { expect, it } from 'vitest';
import { locales } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';
import { SignInPage } from './pages/sign-in.page.js';
import { LicencePage, VerifyPage } from './pages/verify.page.js';

const company = '成都蜀锦商贸有限公司';
const verdictText = { 'zh-CN': '有效：执照真实有效', en: 'Valid: the licence is genuine and in force' } as const;

describeInBrowser('electronic business licence: mobile view, downloads and verification', () => {
  const browser = useBrowser();

  for (const locale of locales) {
    it(`the accountant opens the licence on a phone, downloads it and verifies it (${locale})`, async () => {
      const { page } = await browser.visit(locale);
      const signIn = new SignInPage(page);
      await signIn.open();
      await signIn.signIn('13800000003', browser.demoPassword);

      const licence = new LicencePage(page);
      expect((await licence.openList())?.status()).toBe(200);
      await licence.expectAccessible(`licence list (${locale})`);
      expect((await licence.openFor(company))?.status()).toBe(200);
      await expect(licence.heading.textContent()).resolves.toBeTruthy();
      expect(await licence.qrCode.count()).toBe(1);
      await licence.expectAccessible(`licence mobile view (${locale})`);
      // No horizontal scrolling at 360 px.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      const pdf = await licence.download('pdf');
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const jwt = await licence.download('jwt');
      expect(jwt.status).toBe(200);
      const credential = jwt.body.toString();

      expect((await licence.followVerifyLink())?.status()).toBe(200);
      const verify = new VerifyPage(page);
      await expect(verify.verdict()).resolves.toBe('valid');
      await expect(page.locator('.verdict-text').textContent()).resolves.toContain(verdictText[locale]);
      await expect(verify.field('name').textContent()).resolves.toBe(company);
      await verify.expectAccessible(`verify, valid (${locale})`);

      // Pasting the downloaded vc+jwt gives the same verdict; one changed character makes it invalid.
      await verify.paste(credential);
      await expect(verify.verdict()).resolves.toBe('valid');
      const [h, p, s] = credential.split('.') as [string, string, string];
      const tampered = `${h}.${p.slice(0, 40)}${p[40] === 'A' ? 'B' : 'A'}${p.slice(41)}.${s}`;
      await verify.paste(tampered);
      await expect(verify.verdict()).resolves.toBe('invalid');
      await verify.expectAccessible(`verify, invalid (${locale})`);
    });
  }

  it('anyone can verify by pasting, and a malformed input is refused with a reason', async () => {
    const { page } = await browser.visit('en');
    const verify = new VerifyPage(page);
    expect((await verify.open())?.status()).toBe(200);
    expect(await verify.verdict()).toBeNull();
    const response = await verify.paste('this is not a licence');
    expect(response?.status()).toBe(400);
    await expect(verify.verdict()).resolves.toBe('invalid');
    await expect(verify.reason.textContent()).resolves.toContain('not a well-formed vc+jwt');
    await verify.expectAccessible('verify, malformed (en)');
  });
});
