import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AccountPage } from '../pages/account.page.js';
import { CataloguePage } from '../pages/catalogue.page.js';
import { ItemPage } from '../pages/item.page.js';
import { SignInPage } from '../pages/sign-in.page.js';
import { SignUpPage } from '../pages/sign-up.page.js';
import { ItemEditPage, StaffHomePage, StaffSignInPage } from '../pages/staff.page.js';
import type { Locale } from './browser.js';
import { demoCitizen, invalidResidentIdNumber, newMobileNumber, residentIdNumber } from './data.js';
import { text } from './messages.js';

/**
 * The core journeys, written once and run in both languages with JavaScript on (each page and its error
 * state scanned by axe) and once more with JavaScript off (the same steps must work with plain HTML forms).
 */
export interface JourneyOptions {
  locale: Locale;
  /** Scan each page with axe (off where the page's JavaScript is off: the scan is the same HTML). */
  axe: boolean;
}

const scan = async (page: { expectAccessible(label: string): Promise<void> }, label: string, o: JourneyOptions) => {
  if (o.axe) await page.expectAccessible(`${label} (${o.locale})`);
};

export async function signUpRefusesBadInput(p: Page, o: JourneyOptions): Promise<void> {
  const signUp = new SignUpPage(p);
  expect((await signUp.open())?.status()).toBe(200);
  expect(await signUp.lang()).toBe(o.locale);
  await expect(signUp.heading.textContent()).resolves.toBe(text(o.locale, 'identity.signUp.title'));
  await scan(signUp, 'sign-up', o);

  const phone = newMobileNumber();
  const response = await signUp.signUp({ phone, realName: '张三', idNumber: invalidResidentIdNumber(), password: 'password' });
  expect(response?.status()).toBe(400);
  expect(signUp.pathname).toBe('/sign-up');
  await expect(signUp.errorSummary.locator('h2').textContent()).resolves.toBe(text(o.locale, 'form.errorSummary'));
  const fields = await signUp.errorFields();
  expect(fields).toEqual(expect.arrayContaining(['idNumber', 'password']));
  expect(await signUp.invalid('idNumber')).toBe('true');
  expect(await signUp.invalid('password')).toBe('true');
  // The input is kept, so only the wrong fields need typing again.
  expect(await signUp.value('phone')).toBe(phone);
  await scan(signUp, 'sign-up with errors', o);
}

export async function signUpLandsOnAccount(p: Page, o: JourneyOptions): Promise<void> {
  const signUp = new SignUpPage(p);
  await signUp.open();
  const phone = newMobileNumber();
  const name = o.locale === 'en' ? '李四' : '王五';
  const response = await signUp.signUp({ phone, realName: name, idNumber: residentIdNumber(), password: 'Jinli-Street-2026' });
  expect(response?.status()).toBe(200);
  const account = new AccountPage(p);
  expect(account.pathname).toBe('/account');
  await expect(account.heading.textContent()).resolves.toBe(text(o.locale, 'identity.account.title'));
  await expect(account.detail(text(o.locale, 'identity.account.name')).textContent()).resolves.toBe(name);
  // The number is shown masked: its first three and last four digits.
  const shownPhone = (await account.detail(text(o.locale, 'identity.account.phone')).textContent()) ?? '';
  expect(shownPhone.startsWith(phone.slice(0, 3)) && shownPhone.endsWith(phone.slice(-4))).toBe(true);
  await scan(account, 'account', o);
}

export async function signInRefusesWrongPassword(p: Page, o: JourneyOptions): Promise<void> {
  const signIn = new SignInPage(p);
  expect((await signIn.open())?.status()).toBe(200);
  expect(await signIn.lang()).toBe(o.locale);
  await expect(signIn.heading.textContent()).resolves.toBe(text(o.locale, 'identity.signIn.title'));
  await scan(signIn, 'sign-in', o);

  const response = await signIn.signIn(demoCitizen, 'not-the-password');
  expect(response?.status()).toBeGreaterThanOrEqual(400);
  expect(signIn.pathname).toBe('/sign-in');
  await expect(signIn.errorSummary.textContent()).resolves.toContain(text(o.locale, 'identity.signIn.failed'));
  await scan(signIn, 'sign-in with errors', o);
}

export async function signInLandsOnAccount(p: Page, o: JourneyOptions, password: string): Promise<void> {
  const signIn = new SignInPage(p);
  await signIn.open();
  const response = await signIn.signIn(demoCitizen, password);
  expect(response?.status()).toBe(200);
  const account = new AccountPage(p);
  expect(account.pathname).toBe('/account');
  await expect(account.heading.textContent()).resolves.toBe(text(o.locale, 'identity.account.title'));
}

export async function catalogueSearchFindsInvoiceItem(p: Page, o: JourneyOptions): Promise<void> {
  const catalogue = new CataloguePage(p);
  expect((await catalogue.open())?.status()).toBe(200);
  expect(await catalogue.lang()).toBe(o.locale);
  await expect(catalogue.heading.textContent()).resolves.toBe(text(o.locale, 'catalog.services.title'));
  expect(await catalogue.results.count()).toBeGreaterThanOrEqual(10);
  await scan(catalogue, 'catalogue', o);

  const response = await catalogue.search('发票');
  expect(response?.status()).toBe(200);
  expect(new URL(p.url()).searchParams.get('q')).toBe('发票');
  await expect(catalogue.result('vat-invoice-stock').count()).resolves.toBe(1);
  const name = (await catalogue.result('vat-invoice-stock').textContent()) ?? '';
  expect(name).toMatch(o.locale === 'en' ? /invoice/i : /发票/);
  // A search finds what matches, not everything.
  expect(await catalogue.results.count()).toBeLessThan(10);
  await scan(catalogue, 'catalogue search', o);

  // The error state of a search: nothing found, said plainly.
  await catalogue.search('没有这种服务zzz');
  expect(await catalogue.results.count()).toBe(0);
  await expect(catalogue.page.locator('main').textContent()).resolves.toContain(text(o.locale, 'catalog.services.empty'));
  await scan(catalogue, 'catalogue search without results', o);
}

export async function itemPageShowsWhatItTakes(p: Page, o: JourneyOptions): Promise<void> {
  const item = new ItemPage(p);
  expect((await item.open('hk-macao-endorsement'))?.status()).toBe(200);
  expect(await item.lang()).toBe(o.locale);
  await expect(item.heading.textContent()).resolves.toMatch(o.locale === 'en' ? /Hong Kong/i : /港澳/);
  expect(await item.materials.count()).toBeGreaterThanOrEqual(1);
  await expect(item.definition(text(o.locale, 'catalog.item.promised')).textContent()).resolves.toMatch(/\d/);
  await expect(item.definition(text(o.locale, 'catalog.item.legal')).textContent()).resolves.toMatch(/\d/);
  // The fee is an amount of money or the word for free.
  expect(await item.section(text(o.locale, 'catalog.item.cost'))).toMatch(/¥|CN¥|\d|免费|free/i);
  await scan(item, 'item page', o);

  const missing = await item.open('no-such-service');
  expect(missing?.status()).toBe(404);
  await expect(item.heading.textContent()).resolves.toBe(text(o.locale, 'catalog.item.notFoundTitle'));
  await scan(item, 'item page not found', o);
}

export async function staffSignInRefusesWrongPassword(p: Page, o: JourneyOptions): Promise<void> {
  const staff = new StaffSignInPage(p);
  expect((await staff.open())?.status()).toBe(200);
  expect(await staff.lang()).toBe(o.locale);
  await scan(staff, 'staff sign-in', o);
  const response = await staff.signIn('psb-exit-entry.admin', 'not-the-password');
  expect(response?.status()).toBeGreaterThanOrEqual(400);
  expect(staff.pathname).toBe('/staff');
  await expect(staff.errorSummary.isVisible()).resolves.toBe(true);
  await scan(staff, 'staff sign-in with errors', o);
}

/** A department admin signs in, opens an item of their department, changes its fee note and sees it published. */
export async function departmentAdminEditsItem(p: Page, o: JourneyOptions, password: string): Promise<void> {
  const staff = new StaffSignInPage(p);
  await staff.open();
  expect((await staff.signIn('psb-exit-entry.admin', password))?.status()).toBe(200);
  const home = new StaffHomePage(p);
  expect(home.pathname).toBe('/staff/home');
  await expect(home.heading.textContent()).resolves.toBe(text(o.locale, 'catalog.staff.title'));
  await scan(home, 'staff home', o);

  expect((await home.edit('hk-macao-endorsement'))?.status()).toBe(200);
  const edit = new ItemEditPage(p);
  expect(edit.pathname).toBe('/staff/items/hk-macao-endorsement/edit');
  await scan(edit, 'item edit', o);

  // Error state: a required name left empty is refused, with the other input kept.
  const nameZh = await edit.field('nameZh').inputValue();
  await edit.fill({ nameZh: '' });
  expect((await edit.save())?.status()).toBe(400);
  expect(await edit.errorFields()).toContain('nameZh');
  await scan(edit, 'item edit with errors', o);

  const note = o.locale === 'en' ? `Paid at the window (${Date.now()})` : `在窗口缴费（${Date.now()}）`;
  await edit.fill({ nameZh, [o.locale === 'en' ? 'feeNoteEn' : 'feeNoteZh']: note });
  expect((await edit.save())?.status()).toBe(200);
  await expect(edit.successNotice.isVisible()).resolves.toBe(true);

  const item = new ItemPage(p);
  await item.open('hk-macao-endorsement');
  expect(await item.section(text(o.locale, 'catalog.item.cost'))).toContain(note);
}
