import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import type { DataUseEntry } from './exchange.service.js';

/** One read as the person sees it: every string already in their language. */
export interface DataUseItemView {
  id: string;
  /** ISO 8601, for <time datetime> and the API. */
  at: string;
  atText: string;
  product: string;
  productName: string;
  reader: { kind: 'department' | 'platform'; departmentCode: string | null; name: string };
  holder: { departmentCode: string | null; name: string };
  purpose: { serviceCode: string; serviceName: string; applicationId: string | null };
  /** name: the company's name, or the child's masked resident ID number. */
  subject: { kind: 'person' | 'enterprise' | 'child'; enterpriseId: string | null; name: string | null };
  fields: { code: string; name: string }[];
}

const dateTime = (locale: Locale, at: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(at);

export function presentDataUse(entries: DataUseEntry[], locale: Locale, t: Translate): DataUseItemView[] {
  const local = (zh: string, en: string) => (locale === 'en' ? en : zh);
  return entries.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    atText: dateTime(locale, e.at),
    product: e.product,
    productName: t(`exchange.product.${e.product}`),
    reader:
      e.reader.kind === 'department'
        ? { kind: 'department', departmentCode: e.reader.code, name: local(e.reader.nameZh, e.reader.nameEn) }
        : { kind: 'platform', departmentCode: null, name: t('exchange.dataUse.platform') },
    holder: e.holder
      ? { departmentCode: e.holder.code, name: local(e.holder.nameZh, e.holder.nameEn) }
      : { departmentCode: null, name: t('exchange.dataUse.issuers') },
    purpose: {
      serviceCode: e.purpose.serviceCode,
      serviceName:
        e.purpose.nameZh && e.purpose.nameEn
          ? local(e.purpose.nameZh, e.purpose.nameEn)
          : t('exchange.dataUse.unknownService', { code: e.purpose.serviceCode }),
      applicationId: e.purpose.applicationId,
    },
    subject:
      e.subject.kind === 'enterprise'
        ? { kind: 'enterprise', enterpriseId: e.subject.enterpriseId, name: e.subject.name }
        : e.subject.kind === 'child'
          ? { kind: 'child', enterpriseId: null, name: e.subject.idNumber }
          : { kind: 'person', enterpriseId: null, name: null },
    fields: e.fields.map((f) => ({ code: f, name: t(`exchange.field.${e.product}.${f}`) })),
  }));
}
