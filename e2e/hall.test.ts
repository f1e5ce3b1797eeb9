import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { locales, type Locale } from './support/browser.js';
import { describeInBrowser, useBrowser } from './support/suite.js';
import { text } from './support/messages.js';
import { SignInPage } from './pages/sign-in.page.js';
import { StaffSignInPage } from './pages/staff.page.js';
import { HallConsolePage, HallHomePage, HallNewPostPage, HallQueuePage, HallThreadPage } from './pages/hall.page.js';

/**
 * The hall's done-when journey: a citizen's complaint about a rude bus driver is routed to bus-group or
 * transport, acknowledged at once, answered in public by the department and rated by the citizen. In
 * zh-CN and en with JavaScript (every page and error state scanned by axe, the thread updating live),
 * and once without JavaScript (plain forms, the "check similar" button).
 */
const complaint: Record<Locale, { title: string; body: string }> = {
  'zh-CN': { title: '28 路公交司机态度恶劣', body: '今天早上乘坐 28 路公交车，司机对乘客态度恶劣，还辱骂老人，希望公交公司调查处理。' },
  en: { title: 'Rude driver on bus route 28', body: '今天乘坐 28 路公交车，公交司机辱骂乘客，态度恶劣。The bus driver shouted at passengers this morning.' },
};
const citizens: Record<Locale | 'no-js', string> = { 'zh-CN': '13800000001', en: '13800000002', 'no-js': '13800000004' };

async function signIn(page: Page, phone: string, password: string) {
  const signIn = new SignInPage(page);
  await signIn.open();
  expect((await signIn.signIn(phone, password))?.status()).toBe(200);
}

async function staffSignIn(page: Page, login: string, password: string) {
  const staff = new StaffSignInPage(page);
  await staff.open();
  expect((await staff.signIn(login, password))?.status()).toBeLessThan(400);
}

describeInBrowser('the public Q&A and complaint hall', () => {
  const browser = useBrowser();

  for (const locale of locales) {
    it(`a complaint about a bus driver is routed, acknowledged, answered live and rated (${locale})`, async () => {
      const citizen = (await browser.visit(locale)).page;
      await signIn(citizen, citizens[locale], browser.demoPassword);

      const home = new HallHomePage(citizen);
      expect((await home.open())?.status()).toBe(200);
      await expect(home.heading.textContent()).resolves.toBe(text(locale, 'hall.name'));
      await home.expectAccessible(`hall home (${locale})`);

      const form = new HallNewPostPage(citizen);
      expect((await form.open())?.status()).toBe(200);
      await form.expectAccessible(`posting form (${locale})`);
      // While the citizen types, the service item for moving a household registration appears.
      await form.type(locale === 'en' ? 'how do I transfer my household registration' : '怎么迁户口');
      await form.similar.locator('a[href="/services/hukou-transfer"]').waitFor();
      // An empty post is refused with the input kept.
      await form.fill({ kind: 'complaint', title: complaint[locale].title, body: '' });
      expect((await form.post())?.status()).toBe(400);
      expect(await form.errorFields()).toContain('body');
      expect(await form.form.locator('#title').inputValue()).toBe(complaint[locale].title);
      await form.expectAccessible(`posting form with errors (${locale})`);

      await form.fill({ kind: 'complaint', title: complaint[locale].title, body: complaint[locale].body });
      expect((await form.post())?.status()).toBe(200);
      const thread = new HallThreadPage(citizen);
      expect(thread.pathname).toMatch(/^\/hall\/posts\/H\d{8}-\d{6}$/);
      const department = await thread.departmentCode();
      expect(['bus-group', 'transport']).toContain(department);
      // Acknowledged at once, in the language of the post.
      await expect(thread.entry(text(locale, 'hall.entry.ack')).textContent()).resolves.toContain(locale === 'en' ? 'Please be patient' : '请耐心等待');
      await thread.expectAccessible(`thread (${locale})`);

      // The department's clerk answers from the console; the citizen's open page shows it without a reload.
      const staff = (await browser.visit(locale)).page;
      await staffSignIn(staff, `${department}.clerk`, browser.demoPassword);
      const queue = new HallQueuePage(staff);
      expect((await queue.open())?.status()).toBe(200);
      await expect(queue.link(thread.number).count()).resolves.toBe(1);
      await queue.expectAccessible(`staff queue (${locale})`);
      const desk = new HallConsolePage(staff);
      expect((await desk.open(thread.number))?.status()).toBe(200);
      await desk.expectAccessible(`department console (${locale})`);
      const apology = locale === 'en' ? 'We apologise and are investigating.' : '非常抱歉，我们已安排调查。';
      expect((await desk.reply('reply', apology))?.status()).toBe(200);
      await thread.entries.filter({ hasText: apology }).waitFor();
      const result = locale === 'en' ? 'The driver has been disciplined.' : '经调查属实，已对司机进行批评教育。';
      expect((await desk.reply('result', result))?.status()).toBe(200);
      await thread.entries.filter({ hasText: result }).waitFor();

      // The rating form appears once the page is loaded again after the answer.
      await citizen.reload();
      expect((await thread.rate('satisfied'))?.status()).toBe(200);
      await expect(thread.successNotice.textContent()).resolves.toContain(text(locale, 'hall.done.rated'));
      await expect(thread.entry(text(locale, 'hall.entry.rating')).textContent()).resolves.toContain(text(locale, 'hall.rating.satisfied'));
      await thread.expectAccessible(`thread after rating (${locale})`);
    });
  }

  it('works without JavaScript: check similar, post, answer, rate', async () => {
    const locale: Locale = 'zh-CN';
    const citizen = (await browser.visit(locale, { javaScript: false })).page;
    await signIn(citizen, citizens['no-js'], browser.demoPassword);
    const form = new HallNewPostPage(citizen);
    await form.open();
    await form.fill({ kind: 'question', title: '户口', body: '我想把户口迁到成都，怎么办理？' });
    expect((await form.checkSimilar())?.status()).toBe(200);
    await expect(form.similar.locator('a[href="/services/hukou-transfer"]').count()).resolves.toBe(1);
    await form.fill({ kind: 'complaint', title: complaint[locale].title, body: complaint[locale].body });
    expect((await form.post())?.status()).toBe(200);
    const thread = new HallThreadPage(citizen);
    const department = await thread.departmentCode();
    expect(['bus-group', 'transport']).toContain(department);

    const staff = (await browser.visit(locale, { javaScript: false })).page;
    await staffSignIn(staff, `${department}.clerk`, browser.demoPassword);
    const desk = new HallConsolePage(staff);
    await desk.open(thread.number);
    expect((await desk.reply('result', '已核实并处理。'))?.status()).toBe(200);
    await expect(desk.successNotice.count()).resolves.toBe(1);

    await citizen.reload();
    await expect(thread.entry('已核实并处理。').count()).resolves.toBe(1);
    expect((await thread.rate('unsatisfied'))?.status()).toBe(200);
    await expect(thread.successNotice.textContent()).resolves.toContain(text(locale, 'hall.done.rated'));
  });
});
