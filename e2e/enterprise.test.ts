import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { locales, type Locale } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';
import { SignInPage } from './pages/sign-in.page.js';
import { StaffSignInPage } from './pages/staff.page.js';
import {
  ChangeRegistrationPage,
  ConfirmationPage,
  EstablishmentPage,
  NameDeclarationPage,
  PublicRegisterPage,
  RegistrationApplicationPage,
  RegistrationWorkbenchPage,
} from './pages/enterprise.page.js';

// Issue 4: a new company registered end to end in the browser — name, establishment, every person's confirmation,
// acceptance and approval by the AMR, the credit code and the public register — in both languages, axe-clean.

const zhangLi = { phone: '13800000001', name: '张丽', idNumber: '510107198503120028' };
const wangFang = { phone: '13800000002', name: '王芳', idNumber: '510182199002150047' };
/** A different company in each language, so the second run is not refused as the same name. */
const tradeNames: Record<Locale, string> = { 'zh-CN': '锦官织梦', en: '蓉城云帆' };

describeInBrowser('enterprise registration (issue 4)', () => {
  const browser = useBrowser();

  const citizen = async (locale: Locale, who: { phone: string }): Promise<Page> => {
    const { page } = await browser.visit(locale);
    const signIn = new SignInPage(page);
    await signIn.open();
    expect((await signIn.signIn(who.phone, browser.demoPassword))?.status()).toBe(200);
    return page;
  };
  const staff = async (locale: Locale, login: string): Promise<Page> => {
    const { page } = await browser.visit(locale);
    const signIn = new StaffSignInPage(page);
    await signIn.open();
    expect((await signIn.signIn(login, browser.demoPassword))?.status()).toBe(200);
    return page;
  };

  for (const locale of locales) {
    it(`registers a new limited company end to end (${locale})`, async () => {
      const founder = await citizen(locale, zhangLi);
      const names = new NameDeclarationPage(founder);
      expect((await names.open())?.status()).toBe(200);
      expect(await names.lang()).toBe(locale);
      await names.expectAccessible('name declaration');

      // A similar name is refused, naming the registered company, and the page stays accessible.
      expect((await names.declare({ division: '成都', tradeName: '锦蜀', industry: '商贸', orgForm: '有限公司' }))?.status()).toBe(400);
      await expect(names.errorSummary.textContent()).resolves.toContain('成都蜀锦商贸有限公司');
      await names.expectAccessible('name declaration with an error');

      const tradeName = tradeNames[locale];
      expect((await names.declare({ division: '成都', tradeName, industry: '文化创意', orgForm: '有限公司' }))?.status()).toBe(200);
      await expect(names.heading.textContent()).resolves.toBe(`成都${tradeName}文化创意有限公司`);
      await names.expectAccessible('reserved name');

      expect((await names.startEstablishment())?.status()).toBe(200);
      const form = new EstablishmentPage(founder);
      await form.expectAccessible('establishment form');
      const details = {
        district: '青羊区',
        address: '少城街道宽窄巷子18号',
        scope: ['advertising', 'conference'],
        capitalWan: '50',
        legalRep: zhangLi,
        shareholders: [
          { ...zhangLi, contributionWan: '30' },
          { ...wangFang, contributionWan: '10' },
        ],
        director: zhangLi,
        manager: zhangLi,
        supervisor: wangFang,
      };
      // Contributions that do not add up to the capital: refused with the input kept.
      await form.fill(details);
      expect((await form.send())?.status()).toBe(400);
      expect(await form.errorFields()).toContain('registeredCapital');
      await form.expectAccessible('establishment form with an error');
      await form.form.locator('input[name="shareholders.1.contribution"]').fill('20');
      expect((await form.send())?.status()).toBe(200);

      const application = new RegistrationApplicationPage(founder);
      const id = application.id;
      await expect(application.status()).resolves.toBe('awaiting_confirmation');
      await application.expectAccessible('application');

      // Each person confirms by signing in with their own account.
      const mine = new ConfirmationPage(founder);
      expect((await mine.open(id))?.status()).toBe(200);
      await mine.expectAccessible('confirmation');
      expect((await mine.confirm())?.status()).toBe(200);
      const partner = new ConfirmationPage(await citizen(locale, wangFang));
      expect((await partner.open(id))?.status()).toBe(200);
      expect((await partner.confirm())?.status()).toBe(200);
      await expect(partner.successNotice.count()).resolves.toBe(1);

      // amr accepts and approves.
      const clerk = new RegistrationWorkbenchPage(await staff(locale, 'amr.clerk'));
      expect((await clerk.open())?.status()).toBe(200);
      await expect(clerk.row(id).count()).resolves.toBe(1);
      await clerk.expectAccessible('registration workbench');
      expect((await clerk.take(id, 'accept'))?.status()).toBe(200);
      const approver = new RegistrationWorkbenchPage(await staff(locale, 'amr.approver'));
      await approver.goto(`/staff/enterprise/applications/${id}`);
      await approver.expectAccessible('application at the workbench');
      expect((await approver.take(id, 'approve'))?.status()).toBe(200);

      // The platform registers the company and issues the licence within seconds.
      let status: string | null = null;
      for (let i = 0; i < 40 && status !== 'completed'; i++) {
        await application.open(id);
        status = await application.status();
        if (status !== 'completed') await founder.waitForTimeout(250);
      }
      expect(status).toBe('completed');
      const uscc = (await application.uscc()) ?? '';
      expect(uscc).toMatch(/^91510105[0-9A-HJ-NPQRTUWXY]{10}$/);
      await expect(founder.locator('#licence-link').count()).resolves.toBe(1);

      // The public register finds it in Chinese, and shows no ID number.
      const register = new PublicRegisterPage((await browser.visit(locale)).page);
      await register.open();
      expect((await register.search(tradeName))?.status()).toBe(200);
      await expect(register.company(uscc).count()).resolves.toBe(1);
      await register.expectAccessible('public register');
      await register.company(uscc).click();
      await register.page.waitForURL(`**/enterprises/${uscc}`);
      const text = (await register.page.locator('main').textContent()) ?? '';
      expect(text).toContain(`成都${tradeName}文化创意有限公司`);
      expect(text).not.toContain(zhangLi.idNumber);
      expect(text).not.toContain(wangFang.idNumber);
      await register.expectAccessible('company page');
    }, 180_000);
  }

  it('changes the business scope straight through: decided by the system, completed within seconds (zh-CN)', async () => {
    const rep = await citizen('zh-CN', { phone: '13800000004' });
    const form = new ChangeRegistrationPage(rep);
    expect((await form.open('91510107MA6CBX7Q6L'))?.status()).toBe(200);
    await form.expectAccessible('change registration');
    await form.addScope('conference');
    expect((await form.send())?.status()).toBe(200);
    const application = new RegistrationApplicationPage(rep);
    const id = application.id;
    let status: string | null = null;
    for (let i = 0; i < 40 && status !== 'completed'; i++) {
      await application.open(id);
      status = await application.status();
      if (status !== 'completed') await rep.waitForTimeout(250);
    }
    expect(status).toBe('completed');
    await expect(rep.locator('main').textContent()).resolves.toContain('系统按规则自动核准');
    await application.expectAccessible('completed change');
  }, 120_000);
});
