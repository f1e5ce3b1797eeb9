import { describe, expect, it } from 'vitest';
import { itemSeed } from '../catalog/catalog.seed-items.js';
import { checkNoticeBundle } from '../../platform/notify/templates.js';
import { casesMessages } from './cases.messages.js';
import { fileFields, formMessageKeys, isFieldVisible, normalizeFormData, validateFormData, visibleFields } from './cases.forms.js';

const formOf = (code: string) => {
  const item = itemSeed.find((i) => i.code === code);
  if (!item) throw new Error(code);
  return item.content.formDefinition;
};
const endorsement = formOf('hk-macao-endorsement');
const invoices = formOf('vat-invoice-stock');
const photoId = '0b5c2f6e-8a1d-4c3e-9f00-1234567890ab';

const goodEndorsement = {
  applyFor: 'self',
  applicantName: '张丽',
  applicantIdNumber: '510107198503120028',
  permitNumber: 'C12345678',
  destination: 'hk',
  endorsementType: 'tourism',
  trips: 'once',
  photo: photoId,
  contactPhone: '13800000001',
};

describe('validateFormData', () => {
  it('accepts a complete endorsement application', () => {
    const r = validateFormData(endorsement, goodEndorsement);
    expect(r).toEqual({ ok: true, value: goodEndorsement });
  });

  it('returns one message key per wrong or missing field', () => {
    const r = validateFormData(endorsement, {
      ...goodEndorsement,
      applicantIdNumber: '510107198503120029', // wrong check digit
      contactPhone: '12345',
      destination: 'taiwan',
      photo: 'not-a-file',
      permitNumber: '',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      applicantIdNumber: 'cases.form.idNumber',
      contactPhone: 'cases.form.phone',
      destination: 'cases.form.choice',
      photo: 'cases.form.file',
      permitNumber: 'cases.form.required',
    });
  });

  it('requires a conditional field only when it is shown, and drops it when hidden', () => {
    const child = validateFormData(endorsement, { ...goodEndorsement, applyFor: 'child' });
    expect(child.ok).toBe(false);
    if (!child.ok) expect(child.errors).toEqual({ childName: 'cases.form.required', childIdNumber: 'cases.form.required' });
    const withChild = validateFormData(endorsement, { ...goodEndorsement, applyFor: 'child', childName: '小明', childIdNumber: '510107201503120028' });
    // The child's number has a wrong check digit here unless it happens to be right; only that field may fail.
    if (!withChild.ok) expect(Object.keys(withChild.errors)).toEqual(['childIdNumber']);
    const hidden = validateFormData(endorsement, { ...goodEndorsement, childName: '小明' });
    expect(hidden.ok).toBe(true);
    expect(hidden.value).not.toHaveProperty('childName');
  });

  it('validates one page at a time', () => {
    const r = validateFormData(endorsement, { applyFor: 'self' }, { pageId: 'applicant' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['applicantIdNumber', 'applicantName', 'permitNumber']);
    const endorsementPage = validateFormData(endorsement, goodEndorsement, { pageId: 'endorsement' });
    expect(endorsementPage.ok).toBe(true);
  });

  it('takes posted strings: numbers, flattened addresses, lower-case ID check letters', () => {
    const r = validateFormData(invoices, {
      uscc: '91510107ma6cbx7q6l',
      companyName: '成都蜀锦商贸有限公司',
      officerName: ' 李强 ',
      contactPhone: '13800000003',
      invoiceType: 'vat-special',
      quantity: '25',
      'mailingAddress.district': '武侯区',
      'mailingAddress.detail': '人民南路四段 1 号',
      unknownField: 'dropped',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        uscc: '91510107MA6CBX7Q6L',
        companyName: '成都蜀锦商贸有限公司',
        officerName: '李强',
        contactPhone: '13800000003',
        invoiceType: 'vat-special',
        quantity: 25,
        mailingAddress: { district: '武侯区', detail: '人民南路四段 1 号' },
      },
    });
  });

  it('refuses out-of-range numbers, a district outside Chengdu, huge text and control characters', () => {
    const r = validateFormData(invoices, {
      uscc: '91510107MA6CBX7Q6X',
      companyName: 'x'.repeat(10_001),
      officerName: 'a\u0007b',
      contactPhone: '13800000003',
      invoiceType: 'vat-special',
      quantity: 5000,
      mailingAddress: { district: '朝阳区', detail: '某路 1 号' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      uscc: 'cases.form.uscc',
      companyName: 'cases.form.tooLong',
      officerName: 'cases.form.invalid',
      quantity: 'cases.form.range',
      mailingAddress: 'cases.form.district',
    });
  });

  it('refuses wrong types without throwing', () => {
    for (const data of [null, 'text', 42, [], { quantity: { a: 1 } }, { quantity: 'many' }, { mailingAddress: 'somewhere' }]) {
      const r = validateFormData(invoices, data);
      expect(r.ok).toBe(false);
    }
    // A 400-digit number becomes Infinity when parsed: refused as out of range, never stored.
    const huge = validateFormData(invoices, { quantity: '9'.repeat(400) });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(['cases.form.range', 'cases.form.number']).toContain(huge.errors.quantity);
    const r = validateFormData(invoices, { quantity: 'many' });
    if (!r.ok) expect(r.errors.quantity).toBe('cases.form.number');
  });

  it('checks dates as real calendar dates', () => {
    const form = formOf('birth-registration');
    const dateField = visibleFields(form, {}).find((f) => f.ui.widget === 'date');
    expect(dateField).toBeDefined();
    const r = validateFormData(form, { [dateField!.name]: '2026-02-30' });
    if (!r.ok) expect(r.errors[dateField!.name]).toBe('cases.form.date');
    else throw new Error('accepted 30 February');
  });

  it('validates every seeded item without throwing, and flags at least one field of an empty submission', () => {
    for (const item of itemSeed) {
      const r = validateFormData(item.content.formDefinition, {});
      expect(r.ok, item.code).toBe(false);
    }
  });
});

describe('form helpers', () => {
  it('lists file fields with their limits', () => {
    expect(fileFields(endorsement).map((f) => [f.name, f.ui.accept, f.ui.maxBytes])).toEqual([['photo', ['image/jpeg'], 2 * 1024 * 1024]]);
  });
  it('evaluates showIf with posted strings', () => {
    expect(isFieldVisible({ widget: 'text', labelZh: '', labelEn: '', showIf: { field: 'x', equals: true } }, { x: 'true' })).toBe(true);
    expect(isFieldVisible({ widget: 'text', labelZh: '', labelEn: '', showIf: { field: 'x', equals: true } }, { x: false })).toBe(false);
  });
  it('normalizes only known fields', () => {
    expect(normalizeFormData(endorsement, { evil: '<script>', applyFor: 'self' })).toEqual({ applyFor: 'self' });
  });
  it('has every message key in both languages', () => {
    for (const key of formMessageKeys) {
      expect(casesMessages['zh-CN']).toHaveProperty(key);
      expect(casesMessages.en).toHaveProperty(key);
    }
  });
  it('has the same keys in both languages and well-formed notice templates', () => {
    expect(Object.keys(casesMessages.en).sort()).toEqual(Object.keys(casesMessages['zh-CN']).sort());
    expect(checkNoticeBundle(casesMessages)).toEqual([]);
  });
});
