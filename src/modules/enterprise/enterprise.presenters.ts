import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { maskIdNumber } from '../identity/index.js';
import { districtByName, industries, nameDivisions, orgForms, districts } from './enterprise.data.js';
import type { ApplicationRow, ChangeRow, CompanyRow, ConfirmationRow, ScopeItemRow } from './enterprise.repository.js';
import type { ChangeData, EstablishmentData } from './enterprise.schema.js';
import { capitalText, fullAddress } from './enterprise.service.js';
import { licenceHref } from './enterprise.licence.js';
import type { ApplicationView } from './views/pages.js';

/** View models and API replies; no row reaches a page or a reply as it is, and no ID number reaches the public. */

export const dateTimeText = (d: Date | null, locale: Locale) =>
  d ? d.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }) : '';

export const divisionOptions = () => nameDivisions.map((d) => ({ value: d, label: d }));
export const industryOptions = (locale: Locale) => industries.map((i) => ({ value: i.value, label: locale === 'en' ? `${i.value} (${i.en})` : i.value }));
export const orgFormOptions = (locale: Locale) => orgForms.map((f) => ({ value: f.value, label: locale === 'en' ? `${f.value} (${f.en})` : f.value }));
export const districtOptions = (locale: Locale) => districts.map((d) => ({ value: d.name, label: locale === 'en' ? `${d.name} (${d.nameEn})` : d.name }));

export function scopeOptions(items: ScopeItemRow[], locale: Locale, t: Translate) {
  return items.map((s) => ({
    value: s.code,
    label: locale === 'en' ? s.nameEn : s.nameZh,
    note: s.needsPermit ? t('enterprise.scope.needsPermit', { permit: (locale === 'en' ? s.permitEn : s.permitZh) ?? '' }) : undefined,
  }));
}

export function scopeLabel(codes: string[], text: string, items: ScopeItemRow[], locale: Locale): string {
  const byCode = new Map(items.map((s) => [s.code, s]));
  const parts = codes.map((c) => (locale === 'en' ? byCode.get(c)?.nameEn : byCode.get(c)?.nameZh) ?? c);
  return [...parts, ...(text ? [text] : [])].join(locale === 'en' ? '; ' : '；');
}

export const capitalLabel = (yuan: number, locale: Locale) =>
  locale === 'en' ? `CNY ${(yuan / 10_000).toLocaleString('en')} ten-thousand` : capitalText(yuan);

export function applicationTitle(app: ApplicationRow, t: Translate, companyName?: string): string {
  if (app.kind === 'establishment') return t('enterprise.app.establishmentOf', { name: (app.data as EstablishmentData).name });
  return t('enterprise.app.changeOf', { name: companyName ?? '' });
}

export function presentApplication(
  app: ApplicationRow,
  ctx: { t: Translate; locale: Locale; scope: ScopeItemRow[]; confirmations: ConfirmationRow[]; company: CompanyRow | undefined },
): ApplicationView {
  const { t, locale, scope } = ctx;
  const details: ApplicationView['details'] = [];
  const person = (p: { name: string; idNumber: string }) => `${p.name}（${maskIdNumber(p.idNumber)}）`;
  if (app.kind === 'establishment') {
    const d = app.data as EstablishmentData;
    details.push(
      { label: t('enterprise.field.name'), value: d.name },
      { label: t('enterprise.field.address'), value: fullAddress({ district: d.district, addressDetail: d.addressDetail }) },
      { label: t('enterprise.field.scope'), value: scopeLabel(d.scopeCodes, d.scopeText, scope, locale) },
      { label: t('enterprise.field.registeredCapital'), value: capitalLabel(d.registeredCapitalYuan, locale) },
      { label: t('enterprise.role.legalRepresentative'), value: person(d.legalRepresentative) },
      {
        label: t('enterprise.est.shareholders'),
        value: d.shareholders.map((s) => `${person(s)} ${capitalLabel(s.contributionYuan, locale)}`).join(locale === 'en' ? '; ' : '；'),
      },
      { label: t('enterprise.role.executiveDirector'), value: person(d.officers.executiveDirector) },
      { label: t('enterprise.role.manager'), value: person(d.officers.manager) },
      { label: t('enterprise.role.supervisor'), value: person(d.officers.supervisor) },
    );
  } else {
    const d = app.data as ChangeData;
    if (d.scope) details.push({ label: t('enterprise.changeItem.scope'), value: scopeLabel(d.scope.codes, d.scope.text, scope, locale) });
    if (d.address)
      details.push({ label: t('enterprise.changeItem.address'), value: fullAddress({ district: d.address.district, addressDetail: d.address.detail }) });
    if (d.legalRepresentative) details.push({ label: t('enterprise.changeItem.legalRepresentative'), value: person(d.legalRepresentative) });
    if (d.registeredCapitalYuan !== undefined)
      details.push({ label: t('enterprise.changeItem.registeredCapital'), value: capitalLabel(d.registeredCapitalYuan, locale) });
  }
  return {
    id: app.id,
    title: applicationTitle(app, t, ctx.company?.name),
    status: t(`enterprise.status.${app.status}`),
    statusCode: app.status,
    submittedAt: dateTimeText(app.submittedAt, locale),
    decidedBy: app.decidedBy ? t(`enterprise.decidedBy.${app.decidedBy}`) : null,
    reason: app.reason,
    details,
    confirmations: ctx.confirmations.map((c) => ({
      name: c.name,
      roles: c.roles.map((r) => t(`enterprise.role.${r}`)).join('、'),
      confirmed: c.confirmedAt !== null,
    })),
    company: app.status === 'completed' && ctx.company ? { uscc: ctx.company.uscc, name: ctx.company.name } : null,
    licence: app.licenceId ? { id: app.licenceId, href: licenceHref(app.licenceId) } : null,
  };
}

/** The API's view of an application (ID numbers masked). */
export function applicationJson(app: ApplicationRow, company: CompanyRow | undefined, confirmations: ConfirmationRow[]) {
  return {
    id: app.id,
    kind: app.kind,
    status: app.status,
    decidedBy: app.decidedBy,
    rule: app.rule,
    reason: app.reason,
    submittedAt: app.submittedAt.toISOString(),
    decidedAt: app.decidedAt?.toISOString() ?? null,
    completedAt: app.completedAt?.toISOString() ?? null,
    confirmations: confirmations.map((c) => ({ name: c.name, idNumber: maskIdNumber(c.idNumber), roles: c.roles, confirmed: c.confirmedAt !== null })),
    company: company && app.status === 'completed' ? { uscc: company.uscc, name: company.name } : null,
    licence: app.licenceId ? { id: app.licenceId, href: licenceHref(app.licenceId) } : null,
  };
}

/** What the public register shows: registration details and status, never a person's ID number. */
export function publicCompany(c: CompanyRow, scope: ScopeItemRow[], locale: Locale) {
  return {
    uscc: c.uscc,
    name: c.name,
    type: c.entityType,
    legalRepresentative: c.legalRepresentative.name,
    registeredCapitalYuan: c.registeredCapitalYuan,
    registeredCapital: capitalLabel(c.registeredCapitalYuan, locale),
    establishedOn: c.establishedOn,
    address: fullAddress(c),
    district: districtByName(c.district)?.name ?? c.district,
    businessScope: scopeLabel(c.scopeCodes, c.scopeText, scope, locale),
    registrationAuthority: c.registrationAuthority,
    status: c.status,
    shareholders: c.shareholders.map((s) => ({ name: s.name, contributionYuan: s.contributionYuan })),
  };
}

export function publicChange(r: ChangeRow) {
  return { at: r.at.toISOString(), item: r.item, before: r.before, after: r.after };
}
