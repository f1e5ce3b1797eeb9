import type { FormDefinition, FormFieldUi } from '../../catalog/index.js';
import { chengduDistricts } from '../../catalog/catalog.definitions.js';
import { formatDateTime, type Locale, type Translate } from '../../../platform/i18n/i18n.js';
import type { FormFieldView, PrefilledView } from './form-fields.js';

/**
 * Turns an item's form definition and an application's answers into what the pages show: field view
 * models for a step, display values for check-your-answers and the staff page, prefilled read-only data.
 */

export const pick = (locale: Locale, zh: string, en: string): string => (locale === 'zh-CN' ? zh : en);

export type DepartmentNames = ReadonlyMap<string, { nameZh: string; nameEn: string }>;

export const districtOptions = (): { value: string; label: string }[] => chengduDistricts.map((d) => ({ value: d, label: d }));

const mediaLabels: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export const defaultAccept = ['image/jpeg', 'image/png', 'application/pdf'];

/** A field is government-held when the form says so and the value was actually filled from the holder. */
export function isPrefilled(ui: FormFieldUi, data: Record<string, unknown>, name: string): boolean {
  return ui.prefill !== undefined && data[name] !== undefined && data[name] !== null && data[name] !== '';
}

export function departmentLabel(locale: Locale, departments: DepartmentNames, code: string): string {
  const d = departments.get(code);
  return d ? pick(locale, d.nameZh, d.nameEn) : code;
}

/** The answer as a person reads it: option labels, an address on one line, a file's name. */
export function displayValue(locale: Locale, ui: FormFieldUi, value: unknown, fileNames: ReadonlyMap<string, string> = new Map()): string {
  if (value === undefined || value === null || value === '') return '—';
  if (ui.widget === 'choice') {
    const o = ui.options?.find((x) => x.value === String(value));
    return o ? pick(locale, o.labelZh, o.labelEn) : String(value);
  }
  if (ui.widget === 'chengduAddress' && typeof value === 'object') {
    const a = value as { district?: unknown; detail?: unknown };
    return [a.district, a.detail].filter((x) => typeof x === 'string').join(' ');
  }
  if (ui.widget === 'file') return fileNames.get(String(value)) ?? String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The hint under a conditional field, saying when it is needed (pages work without JavaScript, so it is always shown). */
export function conditionText(t: Translate, locale: Locale, form: FormDefinition, ui: FormFieldUi): string | undefined {
  if (!ui.showIf) return undefined;
  const other = form['x-ui'].fields[ui.showIf.field];
  if (!other) return undefined;
  return t('cases.page.condition', { field: pick(locale, other.labelZh, other.labelEn), value: displayValue(locale, other, ui.showIf.equals) });
}

/** Raw answers echoed back into a step's inputs (strings only). */
export type Echo = Record<string, string>;

export function echoOf(form: FormDefinition, data: Record<string, unknown>): Echo {
  const out: Echo = {};
  for (const [name, ui] of Object.entries(form['x-ui'].fields)) {
    const v = data[name];
    if (v === undefined || v === null) continue;
    if (ui.widget === 'chengduAddress' && typeof v === 'object') {
      const a = v as { district?: unknown; detail?: unknown };
      if (typeof a.district === 'string') out[`${name}.district`] = a.district;
      if (typeof a.detail === 'string') out[`${name}.detail`] = a.detail;
    } else if (typeof v !== 'object') out[name] = String(v);
  }
  return out;
}

export function fieldView(
  t: Translate,
  locale: Locale,
  form: FormDefinition,
  name: string,
  o: { required: boolean; echo: Echo; error?: string | undefined; fileNames: ReadonlyMap<string, string> },
): FormFieldView {
  const ui = form['x-ui'].fields[name] ?? { widget: 'text', labelZh: name, labelEn: name };
  const schema = form.properties[name] ?? {};
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const hint = ui.hintZh || ui.hintEn ? pick(locale, ui.hintZh ?? '', ui.hintEn ?? '') : undefined;
  const base: FormFieldView = {
    name,
    widget: ui.widget,
    label: pick(locale, ui.labelZh, ui.labelEn),
    hint,
    required: o.required,
    value: (o.echo[name] ?? '').slice(0, 2000),
    condition: conditionText(t, locale, form, ui),
    maxLength,
    error: o.error,
  };
  if (ui.widget === 'choice') base.options = (ui.options ?? []).map((x) => ({ value: x.value, label: pick(locale, x.labelZh, x.labelEn) }));
  if (ui.widget === 'chengduAddress') {
    base.options = districtOptions();
    base.district = o.echo[`${name}.district`] ?? '';
    base.detail = (o.echo[`${name}.detail`] ?? '').slice(0, 200);
  }
  if (ui.widget === 'file') {
    const accept = ui.accept ?? defaultAccept;
    base.accept = accept.join(',');
    base.acceptLabel = accept.map((m) => mediaLabels[m] ?? m).join(t('cases.page.separator'));
    base.maxSizeLabel = sizeLabel(ui.maxBytes ?? 5 * 1024 * 1024);
    const id = o.echo[name];
    base.uploadedName = id ? (o.fileNames.get(id) ?? undefined) : undefined;
    base.value = '';
  }
  return base;
}

export function prefilledViews(
  locale: Locale,
  form: FormDefinition,
  names: string[],
  data: Record<string, unknown>,
  departments: DepartmentNames,
): PrefilledView[] {
  return names.flatMap((name) => {
    const ui = form['x-ui'].fields[name];
    if (!ui?.prefill || !isPrefilled(ui, data, name)) return [];
    return [
      {
        name,
        label: pick(locale, ui.labelZh, ui.labelEn),
        value: displayValue(locale, ui, data[name]),
        department: departmentLabel(locale, departments, ui.prefill.heldBy),
      },
    ];
  });
}

export const when = (locale: Locale, d: Date | null | undefined): string | null => (d ? formatDateTime(locale, d) : null);

/** Working minutes as "3 h 20 min". */
export function durationLabel(t: Translate, minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  return h > 0 ? t('cases.staff.sla.hm', { h, m: m % 60 }) : t('cases.staff.sla.m', { m });
}
