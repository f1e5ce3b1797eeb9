import { applyPathOf } from './catalog.apply-paths.js';
import { formatMoney, type Locale, type Translate } from '../../platform/i18n/i18n.js';
import type { DepartmentRow, LifeEventRow } from './catalog.repository.js';
import type { CatalogItem } from './catalog.service.js';
import type { ApplicantKind, DeliveryOption, TimeLimit } from './catalog.types.js';

/** View models and API presenters: a page or a JSON reply never sees a database row. */

const pick = (locale: Locale, zh: string, en: string) => (locale === 'zh-CN' ? zh : en);

export interface LinkView {
  code: string;
  name: string;
  href: string;
}

export interface DepartmentLinkView extends LinkView {
  children: LinkView[];
}

export interface ServiceCardView {
  code: string;
  name: string;
  summary: string;
  departmentName: string;
  promised: string;
  fee: string;
  href: string;
}

export interface MaterialView {
  name: string;
  note: string | null;
  heldByGovernment: boolean;
  heldByName: string | null;
  required: boolean;
}

export interface ServiceDetailView {
  code: string;
  name: string;
  description: string;
  department: LinkView;
  applicantKinds: string[];
  materials: MaterialView[];
  promised: string;
  legal: string;
  fee: string;
  feeNote: string | null;
  delivery: string[];
  lifeEvents: LinkView[];
  version: number;
  updatedAt: Date;
  /** Where "Apply" leads (a module's own journey, or the generic form). */
  applyHref: string;
}

export function formatLimit(t: Translate, limit: TimeLimit): string {
  return t(`catalog.limit.${limit.unit}`, { n: limit.value });
}

export function formatFee(t: Translate, locale: Locale, fen: number): string {
  return fen === 0 ? t('catalog.fee.free') : formatMoney(locale, fen);
}

const summaryOf = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function departmentName(locale: Locale, departments: DepartmentRow[], code: string): string {
  const d = departments.find((x) => x.code === code);
  return d ? pick(locale, d.nameZh, d.nameEn) : code;
}

export function presentDepartmentLinks(locale: Locale, departments: DepartmentRow[]): DepartmentLinkView[] {
  const link = (d: DepartmentRow): LinkView => ({
    code: d.code,
    name: pick(locale, d.nameZh, d.nameEn),
    href: `/services?department=${encodeURIComponent(d.code)}`,
  });
  const codes = new Set(departments.map((d) => d.code));
  return departments
    .filter((d) => !d.parentCode || !codes.has(d.parentCode))
    .map((d) => ({ ...link(d), children: departments.filter((c) => c.parentCode === d.code).map(link) }));
}

export function presentLifeEventLinks(locale: Locale, events: LifeEventRow[]): LinkView[] {
  return events.map((e) => ({ code: e.code, name: pick(locale, e.nameZh, e.nameEn), href: `/services?event=${encodeURIComponent(e.code)}` }));
}

export function presentServiceCard(t: Translate, locale: Locale, item: CatalogItem, departments: DepartmentRow[]): ServiceCardView {
  const c = item.content;
  return {
    code: item.code,
    name: pick(locale, c.nameZh, c.nameEn),
    summary: summaryOf(pick(locale, c.descriptionZh, c.descriptionEn)),
    departmentName: departmentName(locale, departments, item.departmentCode),
    promised: formatLimit(t, c.promisedLimit),
    fee: formatFee(t, locale, c.feeFen),
    href: `/services/${encodeURIComponent(item.code)}`,
  };
}

export function presentServiceDetail(t: Translate, locale: Locale, item: CatalogItem, departments: DepartmentRow[], events: LifeEventRow[]): ServiceDetailView {
  const c = item.content;
  return {
    code: item.code,
    name: pick(locale, c.nameZh, c.nameEn),
    description: pick(locale, c.descriptionZh, c.descriptionEn),
    department: {
      code: item.departmentCode,
      name: departmentName(locale, departments, item.departmentCode),
      href: `/services?department=${encodeURIComponent(item.departmentCode)}`,
    },
    applicantKinds: c.applicantKinds.map((k) => t(`catalog.applicant.${k}`)),
    materials: c.materials.map((m) => ({
      name: pick(locale, m.nameZh, m.nameEn),
      note: pick(locale, m.noteZh ?? '', m.noteEn ?? '') || null,
      heldByGovernment: m.heldByGovernment,
      heldByName: m.heldByGovernment && m.heldBy ? departmentName(locale, departments, m.heldBy) : null,
      required: m.required,
    })),
    promised: formatLimit(t, c.promisedLimit),
    legal: formatLimit(t, c.legalLimit),
    fee: formatFee(t, locale, c.feeFen),
    feeNote: pick(locale, c.feeNoteZh ?? '', c.feeNoteEn ?? '') || null,
    delivery: c.deliveryOptions.map((d) => t(`catalog.delivery.${d}`)),
    lifeEvents: presentLifeEventLinks(
      locale,
      events.filter((e) => c.lifeEvents.includes(e.code)),
    ),
    version: item.version,
    updatedAt: item.versionCreatedAt,
    applyHref: applyPathOf(item.code),
  };
}

/* ---------- API presenters ---------- */

export interface ApiDepartment {
  code: string;
  parentCode: string | null;
  level: string;
  nameZh: string;
  nameEn: string;
  children: ApiDepartment[];
}

export function presentApiDepartments(departments: DepartmentRow[]): ApiDepartment[] {
  const codes = new Set(departments.map((d) => d.code));
  const build = (d: DepartmentRow, depth: number): ApiDepartment => ({
    code: d.code,
    parentCode: d.parentCode,
    level: d.level,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    // Depth bound: a cycle in the data can never hang a request.
    children: depth > 5 ? [] : departments.filter((c) => c.parentCode === d.code).map((c) => build(c, depth + 1)),
  });
  return departments.filter((d) => !d.parentCode || !codes.has(d.parentCode)).map((d) => build(d, 0));
}

export interface ApiServiceSummary {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  departmentCode: string;
  applicantKinds: ApplicantKind[];
  legalLimit: TimeLimit;
  promisedLimit: TimeLimit;
  feeFen: number;
  deliveryOptions: DeliveryOption[];
  lifeEvents: string[];
  url: string;
}

export function presentApiServiceSummary(item: CatalogItem): ApiServiceSummary {
  const c = item.content;
  return {
    code: item.code,
    version: item.version,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    descriptionZh: c.descriptionZh,
    descriptionEn: c.descriptionEn,
    departmentCode: item.departmentCode,
    applicantKinds: c.applicantKinds,
    legalLimit: c.legalLimit,
    promisedLimit: c.promisedLimit,
    feeFen: c.feeFen,
    deliveryOptions: c.deliveryOptions,
    lifeEvents: c.lifeEvents,
    url: `/services/${item.code}`,
  };
}

export function presentApiServiceDetail(item: CatalogItem, departments: DepartmentRow[]) {
  const c = item.content;
  const d = departments.find((x) => x.code === item.departmentCode);
  return {
    ...presentApiServiceSummary(item),
    department: { code: item.departmentCode, nameZh: d?.nameZh ?? item.departmentCode, nameEn: d?.nameEn ?? item.departmentCode },
    materials: c.materials.map((m) => ({
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      heldByGovernment: m.heldByGovernment,
      heldBy: m.heldBy ?? null,
      required: m.required,
      noteZh: m.noteZh ?? null,
      noteEn: m.noteEn ?? null,
    })),
    feeNoteZh: c.feeNoteZh ?? null,
    feeNoteEn: c.feeNoteEn ?? null,
    keywords: c.keywords,
    formDefinition: c.formDefinition,
    workflowDefinition: c.workflowDefinition,
    updatedAt: item.versionCreatedAt.toISOString(),
  };
}
