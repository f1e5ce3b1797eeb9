import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { FormDefinition, FormFieldUi } from '../catalog/index.js';
import { checkMobile, checkResidentId, checkUscc } from '../identity/index.js';

/**
 * Validation of application data against an item version's form definition (JSON Schema 2020-12 with
 * `x-ui` hints). Used by the API and by the pages, so both give the same answer for the same input.
 *
 * Errors are a map of top-level field name → message key (`cases.form.*`, in cases.messages.ts).
 */

type FieldWidget = FormFieldUi['widget'];

export type FormErrors = Record<string, string>;

export type FormCheck = { ok: true; value: Record<string, unknown> } | { ok: false; errors: FormErrors; value: Record<string, unknown> };

export interface FormField {
  name: string;
  ui: FormFieldUi;
  required: boolean;
  schema: Record<string, unknown>;
}

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
formatsModule.default(ajv, ['date', 'uuid']);
// Widgets whose values are strings get a named format, so one schema describes them wherever it is used.
ajv.addFormat('idNumber', { type: 'string', validate: (v: string) => checkResidentId(v, new Date()).ok });
ajv.addFormat('phone', { type: 'string', validate: (v: string) => checkMobile(v).ok });
ajv.addFormat('uscc', { type: 'string', validate: (v: string) => checkUscc(v).ok });
ajv.addFormat('file', { type: 'string', validate: (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) });

const stringFormats: Partial<Record<FieldWidget, string>> = { idNumber: 'idNumber', phone: 'phone', uscc: 'uscc', date: 'date', file: 'file' };

/** Largest text we look at at all; anything longer is refused before it reaches a schema. */
const hardMaxLength = 10_000;
// Control characters (other than tab and newlines in text areas) never belong in a form answer.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The fields of a form in page order, with their UI hints and whether they are required when shown. */
export function formFields(form: FormDefinition): FormField[] {
  const required = new Set(form.required ?? []);
  const order = form['x-ui'].pages.flatMap((p) => p.fields);
  const names = [...new Set([...order, ...Object.keys(form.properties)])].filter((n) => n in form.properties);
  return names.map((name) => {
    const ui = form['x-ui'].fields[name] ?? { widget: 'text', labelZh: name, labelEn: name };
    // A conditional field is required whenever it is shown, even if the definition forgot to say so in allOf.
    return { name, ui, required: required.has(name) || ui.showIf !== undefined, schema: form.properties[name] ?? {} };
  });
}

/** Whether a field is shown for the given answers (its showIf condition holds, or it has none). */
export function isFieldVisible(ui: FormFieldUi, data: Record<string, unknown>): boolean {
  if (!ui.showIf) return true;
  const value = data[ui.showIf.field];
  const expected = ui.showIf.equals;
  if (value === expected) return true;
  // Pages post strings; compare a posted "true" or "3" with a boolean or number condition.
  return typeof value === 'string' && typeof expected !== 'string' && value === String(expected);
}

/** The fields shown for the given answers, optionally on one page only. */
export function visibleFields(form: FormDefinition, data: Record<string, unknown>, pageId?: string): FormField[] {
  const onPage = pageId === undefined ? undefined : new Set(form['x-ui'].pages.find((p) => p.id === pageId)?.fields ?? []);
  return formFields(form).filter((f) => (onPage ? onPage.has(f.name) : true) && isFieldVisible(f.ui, data));
}

/** The file fields of a form (for upload checks: accepted types, largest size, the material each provides). */
export function fileFields(form: FormDefinition): FormField[] {
  return formFields(form).filter((f) => f.ui.widget === 'file');
}

/**
 * Brings raw answers (JSON from the API, or strings from a posted page) into the shape the schema
 * describes: trims text, drops empty answers, unknown keys and hidden fields, turns number strings into
 * numbers, accepts `field.district`/`field.detail` keys for an address, upper-cases ID numbers and USCCs.
 */
export function normalizeFormData(form: FormDefinition, raw: unknown): Record<string, unknown> {
  const input = isRecord(raw) ? raw : {};
  const out: Record<string, unknown> = {};
  for (const f of formFields(form)) {
    const value = normalizeValue(f, input);
    if (value !== undefined) out[f.name] = value;
  }
  // Hidden fields are dropped after every answer is known, since a condition may depend on a later field.
  const hidden = new Set(
    formFields(form)
      .filter((f) => !isFieldVisible(f.ui, out))
      .map((f) => f.name),
  );
  return Object.fromEntries(Object.entries(out).filter(([name]) => !hidden.has(name)));
}

function normalizeValue(f: FormField, input: Record<string, unknown>): unknown {
  let value = input[f.name];
  if (f.ui.widget === 'chengduAddress') {
    const nested = isRecord(value) ? value : {};
    const district = text(nested.district ?? input[`${f.name}.district`]);
    const detail = text(nested.detail ?? input[`${f.name}.detail`]);
    if (district === undefined && detail === undefined) return undefined;
    return { ...(district !== undefined ? { district } : {}), ...(detail !== undefined ? { detail } : {}) };
  }
  if (typeof value === 'string') {
    value = value.trim();
    if (value === '') return undefined;
    if (f.ui.widget === 'idNumber' || f.ui.widget === 'uscc') value = (value as string).toUpperCase();
    const type = f.schema.type;
    if ((type === 'integer' || type === 'number' || f.ui.widget === 'number') && /^-?\d+(\.\d+)?$/.test(value as string)) return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if (value === null) return undefined;
  return value;
}

const text = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  return t === '' ? undefined : t;
};

const cache = new Map<string, ValidateFunction>();

/** The schema we actually validate with: the definition's, with formats for the typed widgets. */
const byIdentity = new WeakMap<FormDefinition, ValidateFunction>();

function compile(form: FormDefinition): ValidateFunction {
  const known = byIdentity.get(form);
  if (known) return known;
  const fn = compileByContent(form);
  byIdentity.set(form, fn);
  return fn;
}

function compileByContent(form: FormDefinition): ValidateFunction {
  const key = JSON.stringify([form.properties, form.required, form.allOf, form['x-ui'].fields]);
  const hit = cache.get(key);
  if (hit) return hit;
  const properties: Record<string, Record<string, unknown>> = {};
  for (const f of formFields(form)) {
    const format = stringFormats[f.ui.widget];
    properties[f.name] = format ? { ...f.schema, type: 'string', format } : f.schema;
  }
  // Requiredness is checked by hand (it depends on showIf), so the compiled schema leaves it out.
  const { $schema: _ignored, required: _required, allOf: _allOf, 'x-ui': _ui, ...rest } = form;
  const fn = ajv.compile({ ...rest, type: 'object', properties });
  if (cache.size > 500) cache.clear();
  cache.set(key, fn);
  return fn;
}

/**
 * Validates answers against a form. With `pageId`, only that page's fields are checked (multi-page forms
 * check each page as it is posted and everything again before submission).
 */
export function validateFormData(form: FormDefinition, raw: unknown, opts: { pageId?: string } = {}): FormCheck {
  const value = normalizeFormData(form, raw);
  const errors: FormErrors = {};
  const fields = visibleFields(form, value, opts.pageId);
  const checked = new Set(fields.map((f) => f.name));

  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined) {
      if (f.required) errors[f.name] = 'cases.form.required';
      continue;
    }
    if (typeof v === 'string' && (v.length > hardMaxLength || (f.ui.widget !== 'textarea' && controlChars.test(v)) || v.includes('\u0000')))
      errors[f.name] = v.length > hardMaxLength ? 'cases.form.tooLong' : 'cases.form.invalid';
  }

  const validate = compile(form);
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const name = topField(e);
      if (!name || !checked.has(name) || errors[name]) continue;
      const f = fields.find((x) => x.name === name);
      errors[name] = messageFor(e, f?.ui.widget ?? 'text');
    }
  }
  return Object.keys(errors).length ? { ok: false, errors, value } : { ok: true, value };
}

function topField(e: ErrorObject): string | undefined {
  const path = e.instancePath.split('/').filter(Boolean);
  if (path[0] !== undefined) return path[0].replace(/~1/g, '/').replace(/~0/g, '~');
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') return e.params.missingProperty;
  return undefined;
}

function messageFor(e: ErrorObject, widget: FieldWidget): string {
  switch (widget) {
    case 'idNumber':
      return 'cases.form.idNumber';
    case 'phone':
      return 'cases.form.phone';
    case 'uscc':
      return 'cases.form.uscc';
    case 'date':
      return 'cases.form.date';
    case 'file':
      return 'cases.form.file';
    case 'choice':
      return 'cases.form.choice';
    case 'chengduAddress':
      return e.instancePath.endsWith('/district') ? 'cases.form.district' : 'cases.form.address';
    default:
      break;
  }
  switch (e.keyword) {
    case 'maxLength':
      return 'cases.form.tooLong';
    case 'minLength':
      return 'cases.form.tooShort';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return 'cases.form.range';
    case 'type':
      return widget === 'number' ? 'cases.form.number' : 'cases.form.invalid';
    case 'enum':
    case 'const':
      return 'cases.form.choice';
    default:
      return 'cases.form.invalid';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every message key this file can return (checked against cases.messages.ts by the tests). */
export const formMessageKeys = [
  'cases.form.required',
  'cases.form.invalid',
  'cases.form.tooLong',
  'cases.form.tooShort',
  'cases.form.range',
  'cases.form.number',
  'cases.form.choice',
  'cases.form.idNumber',
  'cases.form.phone',
  'cases.form.uscc',
  'cases.form.date',
  'cases.form.file',
  'cases.form.address',
  'cases.form.district',
] as const;
