import type { FormDefinition, FormFieldUi, TimeLimit, WorkflowAction, WorkflowActor, WorkflowDefinition } from './catalog.types.js';

/**
 * Builders and structural checks for the form and workflow definitions an item stores.
 * The cases module executes them; here we only make sure what is saved is well formed.
 */

const wd = (value: number): TimeLimit => ({ value, unit: 'working_days' });

/**
 * The default workflow: submitted → accepted (受理) or refused (不予受理) → under review (审核) →
 * approved or rejected → completed (办结). A correction request (补正) pauses the clock until the applicant
 * resubmits; the applicant may withdraw before a decision.
 */
export function defaultWorkflow(sla: { accept?: TimeLimit; review?: TimeLimit; decide?: TimeLimit; complete?: TimeLimit } = {}): WorkflowDefinition {
  return {
    initial: 'submitted',
    states: {
      submitted: { labelZh: '已提交', labelEn: 'Submitted', sla: sla.accept ?? wd(1) },
      accepted: { labelZh: '已受理', labelEn: 'Accepted', sla: sla.review ?? wd(1) },
      refused: { labelZh: '不予受理', labelEn: 'Refused', final: true },
      correction_requested: { labelZh: '待补正', labelEn: 'Correction requested', pausesClock: true },
      under_review: { labelZh: '审核中', labelEn: 'Under review', sla: sla.decide ?? wd(3) },
      approved: { labelZh: '已批准', labelEn: 'Approved', sla: sla.complete ?? wd(1) },
      rejected: { labelZh: '不予批准', labelEn: 'Rejected', sla: sla.complete ?? wd(1) },
      completed: { labelZh: '已办结', labelEn: 'Completed', final: true },
      withdrawn: { labelZh: '已撤回', labelEn: 'Withdrawn', final: true },
    },
    actions: [
      action('accept', '受理', 'Accept', ['submitted'], 'accepted', ['clerk'], false),
      action('refuse', '不予受理', 'Refuse to accept', ['submitted'], 'refused', ['clerk'], true),
      action(
        'request_correction',
        '一次性告知补正',
        'Request a correction',
        ['submitted', 'under_review'],
        'correction_requested',
        ['clerk', 'reviewer'],
        true,
      ),
      action('resubmit', '补正后重新提交', 'Resubmit after correction', ['correction_requested'], 'submitted', ['applicant'], false, true),
      action('start_review', '开始审核', 'Start the review', ['accepted'], 'under_review', ['reviewer'], false),
      action('approve', '批准', 'Approve', ['under_review'], 'approved', ['approver'], false),
      action('reject', '不予批准', 'Reject', ['under_review'], 'rejected', ['approver'], true),
      action('complete', '办结', 'Complete', ['approved', 'rejected'], 'completed', ['clerk'], false),
      action('withdraw', '撤回申请', 'Withdraw', ['submitted', 'accepted', 'correction_requested', 'under_review'], 'withdrawn', ['applicant'], false),
    ],
  };
}

function action(
  name: string,
  labelZh: string,
  labelEn: string,
  from: string[],
  to: string,
  roles: WorkflowActor[],
  needsComment: boolean,
  needsDocuments = false,
): WorkflowAction {
  return { name, labelZh, labelEn, from, to, roles, needsComment, ...(needsDocuments ? { needsDocuments } : {}) };
}

/** One field of a form: its JSON Schema and its UI hints. */
export interface FieldSpec {
  name: string;
  schema: Record<string, unknown>;
  ui: FormFieldUi;
  required?: boolean;
}

export const field = {
  text: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}, maxLength = 100): FieldSpec => ({
    name,
    schema: { type: 'string', minLength: 1, maxLength },
    ui: { widget: 'text', labelZh, labelEn, ...extra },
    required: true,
  }),
  textarea: (name: string, labelZh: string, labelEn: string, maxLength = 2000): FieldSpec => ({
    name,
    schema: { type: 'string', minLength: 1, maxLength },
    ui: { widget: 'textarea', labelZh, labelEn },
    required: true,
  }),
  number: (name: string, labelZh: string, labelEn: string, minimum: number, maximum: number): FieldSpec => ({
    name,
    schema: { type: 'integer', minimum, maximum },
    ui: { widget: 'number', labelZh, labelEn },
    required: true,
  }),
  idNumber: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: { type: 'string', pattern: '^[0-9]{17}[0-9X]$' },
    ui: { widget: 'idNumber', labelZh, labelEn, ...extra },
    required: true,
  }),
  uscc: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' },
    ui: { widget: 'uscc', labelZh, labelEn, ...extra },
    required: true,
  }),
  phone: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: { type: 'string', pattern: '^1[3-9][0-9]{9}$' },
    ui: { widget: 'phone', labelZh, labelEn, ...extra },
    required: true,
  }),
  address: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: {
      type: 'object',
      required: ['district', 'detail'],
      properties: {
        district: { type: 'string', enum: chengduDistricts },
        detail: { type: 'string', minLength: 2, maxLength: 120 },
      },
    },
    ui: { widget: 'chengduAddress', labelZh, labelEn, ...extra },
    required: true,
  }),
  date: (name: string, labelZh: string, labelEn: string, extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: { type: 'string', format: 'date' },
    ui: { widget: 'date', labelZh, labelEn, ...extra },
    required: true,
  }),
  choice: (name: string, labelZh: string, labelEn: string, options: [string, string, string][], extra: Partial<FormFieldUi> = {}): FieldSpec => ({
    name,
    schema: { type: 'string', enum: options.map(([value]) => value) },
    ui: { widget: 'choice', labelZh, labelEn, options: options.map(([value, zh, en]) => ({ value, labelZh: zh, labelEn: en })), ...extra },
    required: true,
  }),
  file: (
    name: string,
    labelZh: string,
    labelEn: string,
    material: string,
    accept = ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes = 5 * 1024 * 1024,
  ): FieldSpec => ({
    name,
    schema: { type: 'string', format: 'uuid' },
    ui: { widget: 'file', labelZh, labelEn, material, accept, maxBytes },
    required: true,
  }),
};

/** Chengdu's districts, counties and county-level cities, for the address widget. */
export const chengduDistricts = [
  '锦江区',
  '青羊区',
  '金牛区',
  '武侯区',
  '成华区',
  '龙泉驿区',
  '青白江区',
  '新都区',
  '温江区',
  '双流区',
  '郫都区',
  '新津区',
  '都江堰市',
  '彭州市',
  '邛崃市',
  '崇州市',
  '简阳市',
  '金堂县',
  '大邑县',
  '蒲江县',
  '成都高新区',
  '天府新区',
];

/** Marks a field optional. */
export const optional = (spec: FieldSpec): FieldSpec => ({ ...spec, required: false });

/** Shows a field (and requires it) only when another field has a value; expressed in JSON Schema too. */
export const when = (fieldName: string, equals: string | boolean | number, spec: FieldSpec): FieldSpec => ({
  ...spec,
  ui: { ...spec.ui, showIf: { field: fieldName, equals } },
});

/** Assembles a form definition from pages of fields. */
export function buildForm(pages: { id: string; titleZh: string; titleEn: string; fields: FieldSpec[] }[]): FormDefinition {
  const all = pages.flatMap((p) => p.fields);
  const conditional = all.filter((f) => f.ui.showIf && f.required);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: all.filter((f) => f.required && !f.ui.showIf).map((f) => f.name),
    properties: Object.fromEntries(all.map((f) => [f.name, f.schema])),
    ...(conditional.length
      ? {
          allOf: conditional.map((f) => ({
            if: { properties: { [f.ui.showIf!.field]: { const: f.ui.showIf!.equals } }, required: [f.ui.showIf!.field] },
            then: { required: [f.name] },
          })),
        }
      : {}),
    'x-ui': {
      pages: pages.map((p) => ({ id: p.id, titleZh: p.titleZh, titleEn: p.titleEn, fields: p.fields.map((f) => f.name) })),
      fields: Object.fromEntries(all.map((f) => [f.name, f.ui])),
    },
  };
}

const widgets = new Set(['text', 'textarea', 'number', 'idNumber', 'phone', 'chengduAddress', 'date', 'choice', 'file', 'uscc']);
const workflowActors = new Set(['clerk', 'reviewer', 'approver', 'dept_admin', 'applicant', 'system']);
const timeUnits = new Set(['working_days', 'working_hours', 'days', 'hours']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Structural check of a form definition; returns problems as short English strings (shown to admins with
 * a translated heading). The cases module relies on exactly this shape.
 */
export function checkFormDefinition(value: unknown): string[] {
  if (!isObject(value)) return ['not an object'];
  const problems: string[] = [];
  if (value.type !== 'object') problems.push('type must be "object"');
  const properties = value.properties;
  if (!isObject(properties)) return [...problems, 'properties must be an object'];
  const ui = value['x-ui'];
  if (!isObject(ui)) return [...problems, 'x-ui must be an object'];
  const fields = ui.fields;
  const pages = ui.pages;
  if (!isObject(fields)) problems.push('x-ui.fields must be an object');
  if (!Array.isArray(pages) || pages.length === 0) problems.push('x-ui.pages must be a non-empty array');
  const placed = new Set<string>();
  if (Array.isArray(pages)) {
    for (const [i, page] of pages.entries()) {
      if (!isObject(page) || typeof page.id !== 'string' || !Array.isArray(page.fields)) {
        problems.push(`x-ui.pages[${i}] needs an id and fields`);
        continue;
      }
      for (const f of page.fields) {
        if (typeof f !== 'string' || !(f in properties)) problems.push(`x-ui.pages[${i}] names unknown field ${String(f)}`);
        else placed.add(f);
      }
    }
  }
  for (const name of Object.keys(properties)) {
    if (!placed.has(name)) problems.push(`field ${name} is on no page`);
    const hint = isObject(fields) ? fields[name] : undefined;
    if (!isObject(hint) || typeof hint.widget !== 'string' || !widgets.has(hint.widget)) problems.push(`field ${name} needs a known widget`);
    else if (hint.widget === 'choice' && !Array.isArray(hint.options)) problems.push(`field ${name} (choice) needs options`);
    if (isObject(hint) && isObject(hint.showIf) && !(String(hint.showIf.field) in properties)) problems.push(`field ${name} depends on unknown field`);
  }
  if (value.required !== undefined && (!Array.isArray(value.required) || value.required.some((r) => typeof r !== 'string' || !(r in properties))))
    problems.push('required must list known fields');
  return problems.slice(0, 20);
}

/** Structural check of a workflow definition: known states, reachable actions, known roles, valid SLAs. */
export function checkWorkflowDefinition(value: unknown): string[] {
  if (!isObject(value)) return ['not an object'];
  const problems: string[] = [];
  const states = value.states;
  if (!isObject(states) || Object.keys(states).length === 0) return ['states must be a non-empty object'];
  if (typeof value.initial !== 'string' || !(value.initial in states)) problems.push('initial must name a state');
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) {
      problems.push(`state ${name} must be an object`);
      continue;
    }
    if (state.sla !== undefined && !isTimeLimit(state.sla)) problems.push(`state ${name} has an invalid sla`);
  }
  if (!Array.isArray(value.actions) || value.actions.length === 0) return [...problems, 'actions must be a non-empty array'];
  const names = new Set<string>();
  for (const [i, a] of value.actions.entries()) {
    if (!isObject(a) || typeof a.name !== 'string') {
      problems.push(`actions[${i}] needs a name`);
      continue;
    }
    if (names.has(a.name)) problems.push(`action ${a.name} is defined twice`);
    names.add(a.name);
    if (!Array.isArray(a.from) || a.from.length === 0 || a.from.some((s) => typeof s !== 'string' || !(s in states)))
      problems.push(`action ${a.name}: from must list known states`);
    if (typeof a.to !== 'string' || !(a.to in states)) problems.push(`action ${a.name}: to must name a known state`);
    if (!Array.isArray(a.roles) || a.roles.length === 0 || a.roles.some((r) => typeof r !== 'string' || !workflowActors.has(r)))
      problems.push(`action ${a.name}: roles must be among ${[...workflowActors].join(', ')}`);
    if (typeof a.needsComment !== 'boolean') problems.push(`action ${a.name}: needsComment must be true or false`);
  }
  if (value.autoDecisions !== undefined) {
    if (!Array.isArray(value.autoDecisions)) problems.push('autoDecisions must be an array');
    else
      for (const [i, rule] of value.autoDecisions.entries()) {
        if (!isObject(rule) || !Array.isArray(rule.actions) || rule.actions.some((x) => typeof x !== 'string' || !names.has(x)))
          problems.push(`autoDecisions[${i}] must name known actions`);
      }
  }
  return problems.slice(0, 20);
}

export function isTimeLimit(v: unknown): v is TimeLimit {
  return (
    isObject(v) &&
    typeof v.value === 'number' &&
    Number.isInteger(v.value) &&
    v.value > 0 &&
    v.value <= 10000 &&
    typeof v.unit === 'string' &&
    timeUnits.has(v.unit)
  );
}

/**
 * A rough length in working hours, only to check that a promised limit does not exceed the legal one
 * across units (a working day has 8 working hours; a calendar day counts as one working day at most).
 */
export function workingHoursOf(limit: TimeLimit): number {
  switch (limit.unit) {
    case 'working_days':
      return limit.value * 8;
    case 'working_hours':
      return limit.value;
    case 'days':
      return limit.value * 8;
    case 'hours':
      return limit.value / 3;
  }
}
