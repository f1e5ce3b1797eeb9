import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AccountPage } from '../pages/account.page.js';
import { ApplicationPage, ApplyStartPage, CheckAnswersPage, ConfirmationPage, DeliveryPage, FormStepPage, type PickedFile } from '../pages/application.page.js';
import { ItemPage } from '../pages/item.page.js';
import { CourierConsolePage, SandboxPayPage } from '../pages/sandbox.page.js';
import { SignInPage } from '../pages/sign-in.page.js';
import { StaffSignInPage } from '../pages/staff.page.js';
import { StatusCheckPage } from '../pages/status.page.js';
import { CaseQueuePage, CaseWorkPage } from '../pages/workbench.page.js';
import type { Locale } from './browser.js';
import { demoCitizen } from './data.js';
import { mislabelledPhoto } from './files.js';
import { text } from './messages.js';

/**
 * Issue 3's two services as their users do them, in the browser: the citizen's endorsement (apply, pay,
 * receive by courier) and the accountant's VAT invoices for the company; the staff workbench and the
 * sandbox courier console in between; the public status check.
 */
export interface CaseJourneyOptions {
  locale: Locale;
  /** Scan each page and its error state with axe (off without JavaScript: the scan is the same HTML). */
  axe: boolean;
}

const en = (o: CaseJourneyOptions) => o.locale === 'en';
const scan = async (page: { expectAccessible(label: string): Promise<void> }, label: string, o: CaseJourneyOptions) => {
  if (o.axe) await page.expectAccessible(`${label} (${o.locale})`);
};

/** Counts only the person's time: paused while the test scans a page or takes a deliberate wrong turn. */
class Stopwatch {
  private total = 0;
  private since: number | null = performance.now();
  pause(): void {
    if (this.since !== null) this.total += performance.now() - this.since;
    this.since = null;
  }
  resume(): void {
    this.since ??= performance.now();
  }
  get ms(): number {
    return this.total + (this.since === null ? 0 : performance.now() - this.since);
  }
  /** Runs `work` off the clock. */
  async off<T>(work: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await work();
    } finally {
      this.resume();
    }
  }
}

export async function signInCitizen(p: Page, phone: string, password: string): Promise<void> {
  const signIn = new SignInPage(p);
  await signIn.open();
  expect((await signIn.signIn(phone, password))?.status()).toBe(200);
  expect(signIn.pathname).toBe('/account');
}

export interface EndorsementOptions extends CaseJourneyOptions {
  /** tourism meets the auto-decision rule (accepted and approved by the system once paid); family goes to staff. */
  endorsementType: 'tourism' | 'family';
  photo: PickedFile;
  /** Apply for this child of the citizen (checked against the police's register) instead of for herself. */
  child?: { name: string; idNumber: string };
}

export interface SubmittedApplication {
  id: string;
  receiptNo: string;
  /** The person's own time in the browser from the item page to the payment confirmation (endorsement only). */
  citizenMs: number;
}

const courierAddress = (phone: string, name: string) => ({ recipientName: name, phone, district: '武侯区', detail: '玉林北路12号3栋2单元501号' });

/**
 * The demo citizen applies for a Hong Kong/Macao endorsement for herself: identity from the police, a photo
 * checked by content, courier delivery, check answers, submit, pay on the sandbox page, back to the timeline.
 */
export async function citizenAppliesForEndorsement(p: Page, o: EndorsementOptions, password: string): Promise<SubmittedApplication> {
  await signInCitizen(p, demoCitizen, password);
  const watch = new Stopwatch();

  const item = new ItemPage(p);
  expect((await item.open('hk-macao-endorsement'))?.status()).toBe(200);
  expect((await item.apply('hk-macao-endorsement'))?.status()).toBe(200);
  const start = new ApplyStartPage(p);
  expect(start.pathname).toBe('/services/hk-macao-endorsement/apply');
  expect(await start.lang()).toBe(o.locale);
  await watch.off(() => scan(start, 'apply start', o));
  expect((await start.start())?.status()).toBe(200);

  // Applicant: name and ID number come from the police, the permit number from the exit-entry register, shown as
  // held by the government, never typed.
  const step = new FormStepPage(p);
  const id = step.applicationId;
  expect(step.pathname).toBe(`/account/applications/${id}/steps/applicant`);
  await expect(step.prefilled.locator('h2').textContent()).resolves.toBe(text(o.locale, 'cases.page.prefilled.title'));
  await expect(step.prefilled.textContent()).resolves.toContain('张丽');
  await expect(step.prefilled.textContent()).resolves.toContain('510107');
  await expect(step.prefilled.textContent()).resolves.toContain('C10573421');
  expect(await step.prefilled.locator('.held-by').count()).toBeGreaterThanOrEqual(3);
  expect(await step.field('applicantName').count()).toBe(0);
  expect(await step.field('applicantIdNumber').count()).toBe(0);
  expect(await step.field('permitNumber').count()).toBe(0);
  await watch.off(() => scan(step, 'form step applicant', o));
  if (o.child) {
    await step.choose('applyFor', en(o) ? 'My child under 16' : '未成年子女');
    await step.fill({ childName: o.child.name, childIdNumber: o.child.idNumber });
  } else {
    await step.choose('applyFor', en(o) ? 'Myself' : '本人');
  }
  expect((await step.continue())?.status()).toBe(200);

  // Endorsement: destination, kind, trips, and the photo (checked by its bytes, not its name).
  expect(step.pathname).toBe(`/account/applications/${id}/steps/endorsement`);
  await watch.off(() => scan(step, 'form step endorsement', o));
  await step.choose('destination', en(o) ? 'Hong Kong' : '香港');
  await step.choose('endorsementType', o.endorsementType === 'tourism' ? (en(o) ? 'Individual tourism' : '个人旅游') : en(o) ? 'Visiting relatives' : '探亲');
  await step.choose('trips', en(o) ? 'Single trip' : '一次有效');
  await watch.off(async () => {
    // Error state: a text file named photo.jpg is refused with a summary linking to the field; the answers stay.
    await step.upload('photo', mislabelledPhoto);
    expect((await step.continue())?.status()).toBe(400);
    await expect(step.errorSummary.locator('h2').textContent()).resolves.toBe(text(o.locale, 'form.errorSummary'));
    expect(await step.errorFields()).toEqual(['photo']);
    await expect(step.errorSummary.textContent()).resolves.toContain(text(o.locale, 'cases.page.error.fileType'));
    expect(await step.invalid('photo')).toBe('true');
    expect(await step.field('destination').first().isChecked()).toBe(true);
    await scan(step, 'form step endorsement with a mislabelled photo', o);
  });
  await step.upload('photo', o.photo);
  expect((await step.continue())?.status()).toBe(200);

  // Delivery by courier to an address (the error state: an address with a wrong phone number).
  const delivery = new DeliveryPage(p);
  expect(delivery.pathname).toBe(`/account/applications/${id}/delivery`);
  await watch.off(async () => {
    await scan(delivery, 'delivery', o);
    await delivery.chooseCourier({ ...courierAddress('123', '张丽'), detail: '' });
    expect((await delivery.continue())?.status()).toBe(400);
    expect(await delivery.errorFields()).toEqual(expect.arrayContaining(['phone', 'detail']));
    await scan(delivery, 'delivery with errors', o);
  });
  await delivery.chooseCourier(courierAddress(demoCitizen, '张丽'));
  expect((await delivery.continue())?.status()).toBe(200);

  // Check your answers, then submit.
  const check = new CheckAnswersPage(p);
  expect(check.pathname).toBe(`/account/applications/${id}/check`);
  await expect(check.answer(en(o) ? 'Destination' : '前往地').textContent()).resolves.toContain(en(o) ? 'Hong Kong' : '香港');
  await expect(check.answer(en(o) ? 'ID photo' : '证件照片').textContent()).resolves.toContain('photo.jpg');
  await expect(check.page.locator('main').textContent()).resolves.toContain('玉林北路12号3栋2单元501号');
  if (o.child) await expect(check.page.locator('main').textContent()).resolves.toContain(o.child.name);
  // The permit of the person applied for: the child's once the child is chosen (the demo register's numbers).
  await expect(check.answer(en(o) ? 'Permit number' : '通行证号码').textContent()).resolves.toContain(o.child ? 'C20981736' : 'C10573421');
  await watch.off(() => scan(check, 'check answers', o));
  expect((await check.submitApplication())?.status()).toBe(200);

  // Confirmation with a receipt number and the fee to pay.
  const confirmation = new ConfirmationPage(p);
  expect(confirmation.pathname).toBe(`/account/applications/${id}/confirmation`);
  const receiptNo = ((await confirmation.receiptNo.textContent()) ?? '').trim();
  expect(receiptNo).toMatch(/^[A-Z0-9-]{6,40}$/);
  await watch.off(() => scan(confirmation, 'confirmation', o));

  // The sandbox provider's hosted page, then back to the application.
  expect((await confirmation.pay())?.status()).toBe(200);
  const pay = new SandboxPayPage(p);
  expect(pay.pathname).toMatch(/^\/sandbox\/pay\//);
  await expect(pay.amount.textContent()).resolves.toMatch(/15/);
  await watch.off(() => scan(pay, 'sandbox payment page', o));
  expect((await pay.pay())?.status()).toBe(200);
  const application = new ApplicationPage(p);
  expect(application.pathname).toBe(`/account/applications/${id}`);
  // The provider's signed callback confirms the payment (asynchronously, as a real provider would).
  const paid = text(o.locale, 'cases.page.pay.status.paid');
  await application.reloadUntil(async () => ((await application.payment.textContent()) ?? '').includes(paid), 'the payment confirmation');
  const citizenMs = watch.ms;

  await expect(application.receiptNo.textContent()).resolves.toBe(receiptNo);
  if (o.endorsementType === 'tourism') {
    // The auto-decision rule accepts and approves a renewal that meets every condition, as the system.
    await application.reloadUntil(
      async () => (await application.status.getAttribute('class'))?.includes('cases-status-approved') ?? false,
      'the auto-approval',
    );
  }
  await scan(application, 'application timeline', o);
  return { id, receiptNo, citizenMs };
}

/** Staff sign in once each, in their own browser, and keep their session. */
export class StaffDesk {
  private readonly pages = new Map<string, Page>();
  constructor(
    private readonly newPage: () => Promise<Page>,
    private readonly password: string,
  ) {}

  async as(login: string): Promise<Page> {
    const known = this.pages.get(login);
    if (known) return known;
    const p = await this.newPage();
    const signIn = new StaffSignInPage(p);
    await signIn.open();
    expect((await signIn.signIn(login, this.password))?.status()).toBe(200);
    expect(signIn.pathname).not.toBe('/staff');
    this.pages.set(login, p);
    return p;
  }
}

/**
 * Staff of `department` take the application through the workbench, each step by the role the workflow
 * names: open the queue, find the receipt number, open it, press the action. The first one claims it.
 */
export async function staffTakeItThrough(
  desk: StaffDesk,
  o: CaseJourneyOptions,
  department: string,
  receiptNo: string,
  steps: [string, string][],
): Promise<void> {
  let first = true;
  for (const [role, action] of steps) {
    const p = await desk.as(`${department}.${role}`);
    const queue = new CaseQueuePage(p);
    expect((await queue.open())?.status()).toBe(200);
    await expect(queue.row(receiptNo).count()).resolves.toBe(1);
    if (first) await scan(queue, 'staff queue', o);
    expect((await queue.openCase(receiptNo))?.status()).toBe(200);
    const work = new CaseWorkPage(p);
    await expect(work.heading.textContent()).resolves.toContain(receiptNo);
    if (first && (await work.claimForm.count()) > 0) {
      expect((await work.claim())?.status()).toBe(200);
      await expect(work.successNotice.isVisible()).resolves.toBe(true);
    }
    const actions = await work.actions();
    expect(actions).toContain(action);
    // Separation of duties: only the clerk accepts.
    if (role !== 'clerk') expect(actions).not.toContain('accept');
    if (first) await scan(work, 'staff case', o);
    if (actions.includes('refuse') && first) {
      // Error state: refusing needs a reason; nothing changes without one.
      expect((await work.act('refuse', ''))?.status()).toBe(400);
      expect(await work.errorFields()).toContain('comment');
      await scan(work, 'staff case with errors', o);
    }
    expect((await work.act(action))?.status()).toBe(200);
    await expect(work.successNotice.isVisible()).resolves.toBe(true);
    first = false;
  }
}

/** The applicant's page shows the shipment once the case is completed; returns its tracking number. */
export async function shipmentAppears(p: Page, id: string): Promise<string> {
  const application = new ApplicationPage(p);
  await application.open(id);
  await expect(application.status.getAttribute('class')).resolves.toContain('cases-status-completed');
  await application.reloadUntil(async () => (await application.shipment.count()) > 0, 'the shipment');
  const trackingNo = ((await application.trackingNo.textContent()) ?? '').trim();
  expect(trackingNo).toMatch(/^SH\d{12}$/);
  return trackingNo;
}

/** The platform admin moves the parcel on to delivered on the sandbox courier console; the applicant sees it. */
export async function courierDelivers(admin: Page, citizen: Page, o: CaseJourneyOptions, id: string, trackingNo: string): Promise<void> {
  const courier = new CourierConsolePage(admin);
  expect((await courier.open())?.status()).toBe(200);
  await expect(courier.parcel(trackingNo).count()).resolves.toBe(1);
  await scan(courier, 'courier console', o);
  for (let i = 0; i < 3 && (await courier.canAdvance(trackingNo)); i++) {
    expect((await courier.advance(trackingNo))?.status()).toBe(200);
    await expect(courier.successNotice.isVisible()).resolves.toBe(true);
  }
  expect(await courier.canAdvance(trackingNo)).toBe(false);
  await expect(courier.status(trackingNo).textContent()).resolves.toBe(text(o.locale, 'delivery.status.delivered'));

  const application = new ApplicationPage(citizen);
  await application.open(id);
  const delivered = text(o.locale, 'cases.page.shipment.status.delivered');
  await application.reloadUntil(async () => ((await application.shipment.textContent()) ?? '').includes(delivered), 'the delivery on the timeline');
  await expect(application.shipment.locator('p').first().textContent()).resolves.toContain(delivered);
  await scan(application, 'application delivered', o);
}

/** The accountant switches to acting for the demo company and applies for VAT invoices, posted to the company. */
export async function accountantAppliesForInvoices(p: Page, o: CaseJourneyOptions, password: string): Promise<SubmittedApplication> {
  const company = '成都蜀锦商贸有限公司';
  await signInCitizen(p, '13800000003', password);
  const account = new AccountPage(p);
  expect((await account.actFor(company))?.status()).toBe(200);
  await expect(account.actingForForm.locator('input[name="enterprise"]:checked + label').textContent()).resolves.toContain(company);

  const item = new ItemPage(p);
  await item.open('vat-invoice-stock');
  expect((await item.apply('vat-invoice-stock'))?.status()).toBe(200);
  const start = new ApplyStartPage(p);
  await expect(start.page.locator('main').textContent()).resolves.toContain(company);
  await scan(start, 'invoice apply start', o);
  expect((await start.start())?.status()).toBe(200);

  // Taxpayer: the company's registration comes from the market regulator, not typed.
  const step = new FormStepPage(p);
  const id = step.applicationId;
  await expect(step.prefilled.textContent()).resolves.toContain(company);
  await expect(step.prefilled.textContent()).resolves.toContain('91510107MA6CBX7Q6L');
  expect(await step.field('uscc').count()).toBe(0);
  await scan(step, 'invoice taxpayer step', o);
  expect((await step.continue())?.status()).toBe(200);

  // Invoices: type, quantity, mailing address (the error state first: nothing chosen).
  expect(step.pathname).toBe(`/account/applications/${id}/steps/invoices`);
  await step.fill({ quantity: '' });
  expect((await step.continue())?.status()).toBe(400);
  expect(await step.errorFields()).toEqual(expect.arrayContaining(['invoiceType', 'quantity']));
  await scan(step, 'invoice step with errors', o);
  await step.choose('invoiceType', en(o) ? 'VAT special invoice' : '增值税专用发票');
  await step.fill({ quantity: '25', 'mailingAddress.detail': '人民南路四段12号6栋1单元803号' });
  await step.field('mailingAddress.district').selectOption('武侯区');
  expect((await step.continue())?.status()).toBe(200);

  const delivery = new DeliveryPage(p);
  expect(delivery.pathname).toBe(`/account/applications/${id}/delivery`);
  await delivery.chooseCourier({ recipientName: '李强', phone: '13800000003', district: '武侯区', detail: '人民南路四段12号6栋1单元803号' });
  expect((await delivery.continue())?.status()).toBe(200);

  const check = new CheckAnswersPage(p);
  await expect(check.page.locator('main').textContent()).resolves.toContain(company);
  await scan(check, 'invoice check answers', o);
  expect((await check.submitApplication())?.status()).toBe(200);
  const confirmation = new ConfirmationPage(p);
  const receiptNo = ((await confirmation.receiptNo.textContent()) ?? '').trim();
  expect(receiptNo).toMatch(/^[A-Z0-9-]{6,40}$/);
  // No fee: nothing to pay.
  expect(await confirmation.payForm.count()).toBe(0);
  return { id, receiptNo, citizenMs: 0 };
}

/** The public status check by receipt number and the last four digits of the phone; a wrong pair finds nothing. */
export async function publicStatusCheck(p: Page, o: CaseJourneyOptions, receiptNo: string, phoneLast4: string): Promise<void> {
  const status = new StatusCheckPage(p);
  expect((await status.open())?.status()).toBe(200);
  expect(await status.lang()).toBe(o.locale);
  await expect(status.heading.textContent()).resolves.toBe(text(o.locale, 'cases.page.statusCheck.title'));
  await scan(status, 'status check', o);

  const wrong = phoneLast4 === '9999' ? '8888' : '9999';
  expect((await status.check(receiptNo, wrong))?.status()).toBe(404);
  await expect(status.errorSummary.textContent()).resolves.toContain(text(o.locale, 'cases.page.error.notFound'));

  expect((await status.check('', 'ab'))?.status()).toBe(400);
  expect(await status.errorFields()).toEqual(['receiptNo', 'phoneLast4']);
  await scan(status, 'status check with errors', o);

  expect((await status.check(receiptNo, phoneLast4))?.status()).toBe(200);
  await expect(status.result.locator('h2').textContent()).resolves.toBe(text(o.locale, 'cases.page.statusCheck.result', { receiptNo }));
  // No personal data on a public page.
  await expect(status.result.textContent()).resolves.not.toContain('张丽');
  await scan(status, 'status check result', o);
}
