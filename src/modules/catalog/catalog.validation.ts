import { checkFormDefinition, checkWorkflowDefinition, isTimeLimit, workingHoursOf } from './catalog.definitions.js';
import type { ApplicantKind, DeliveryOption, FormDefinition, ItemContent, Material, TimeLimit, WorkflowDefinition } from './catalog.types.js';

/** What an administrator submits for an item, from the edit page or the API, before it is checked. */
export interface ItemInput {
  code?: string | undefined;
  departmentCode: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  applicantKinds: string[];
  materials: {
    code?: string | undefined;
    nameZh: string;
    nameEn: string;
    heldByGovernment: boolean;
    heldBy?: string | undefined;
    required: boolean;
    noteZh?: string | undefined;
    noteEn?: string | undefined;
  }[];
  legalLimit: { value: number; unit: string };
  promisedLimit: { value: number; unit: string };
  feeFen: number;
  feeNoteZh?: string | undefined;
  feeNoteEn?: string | undefined;
  deliveryOptions: string[];
  lifeEvents: string[];
  keywords: string[];
  formDefinition: unknown;
  workflowDefinition: unknown;
}

/** Field → message key; `problems` carries the structural problems of the JSON definitions. */
export interface ItemValidation {
  errors: Record<string, string>;
  problems: { formDefinition?: string[]; workflowDefinition?: string[] };
}

export const codePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const applicantKinds: readonly ApplicantKind[] = ['citizen', 'enterprise'];
const deliveryOptions: readonly DeliveryOption[] = ['window', 'courier', 'electronic'];
// Control characters other than tab and newline, and angle brackets: names are plain text.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const allControlChars = /[\u0000-\u001f\u007f]/g;
const markup = /[<>]/;
export const maxDefinitionChars = 100_000;

function checkText(errors: Record<string, string>, key: string, value: string, max: number, plain: boolean, required = true): string {
  const v = value.trim();
  if (required && !v) errors[key] = 'field.required';
  else if (v.length > max) errors[key] = `catalog.error.tooLong${max}`;
  else if (controlChars.test(v) || (plain && markup.test(v))) errors[key] = 'catalog.error.markup';
  return v;
}

/**
 * Checks an item edit and builds the version content. Pure: the caller checks that the department,
 * life events and holders exist, and that the code is free.
 */
export function validateItemInput(
  input: ItemInput,
  known: { departments: Set<string>; lifeEvents: Set<string>; isNew: boolean },
): { ok: true; code: string; departmentCode: string; content: ItemContent } | ({ ok: false } & ItemValidation) {
  const errors: Record<string, string> = {};
  const problems: ItemValidation['problems'] = {};
  let code = '';
  if (known.isNew) {
    code = (input.code ?? '').trim();
    if (!code) errors.code = 'field.required';
    else if (code.length > 60 || !codePattern.test(code)) errors.code = 'catalog.error.code';
  }
  if (!known.departments.has(input.departmentCode)) errors.departmentCode = 'catalog.error.department';
  const nameZh = checkText(errors, 'nameZh', input.nameZh, 100, true);
  const nameEn = checkText(errors, 'nameEn', input.nameEn, 100, true);
  const descriptionZh = checkText(errors, 'descriptionZh', input.descriptionZh, 4000, false);
  const descriptionEn = checkText(errors, 'descriptionEn', input.descriptionEn, 4000, false);
  const feeNoteZh = checkText(errors, 'feeNoteZh', input.feeNoteZh ?? '', 500, false, false);
  const feeNoteEn = checkText(errors, 'feeNoteEn', input.feeNoteEn ?? '', 500, false, false);

  const kinds = [...new Set(input.applicantKinds)];
  if (kinds.length === 0 || kinds.some((k) => !applicantKinds.includes(k as ApplicantKind))) errors.applicantKinds = 'catalog.error.applicantKinds';
  const delivery = [...new Set(input.deliveryOptions)];
  if (delivery.length === 0 || delivery.some((d) => !deliveryOptions.includes(d as DeliveryOption))) errors.deliveryOptions = 'catalog.error.deliveryOptions';
  const events = [...new Set(input.lifeEvents)];
  if (events.some((e) => !known.lifeEvents.has(e))) errors.lifeEvents = 'catalog.error.lifeEvents';

  const keywords = [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))];
  if (keywords.length > 50 || keywords.some((k) => k.length > 30 || controlChars.test(k) || markup.test(k))) errors.keywords = 'catalog.error.keywords';

  const materials: Material[] = [];
  if (input.materials.length > 40) errors.materials = 'catalog.error.tooManyMaterials';
  const seenCodes = new Set<string>();
  input.materials.slice(0, 40).forEach((m, i) => {
    const prefix = `material-${i}`;
    const mZh = checkText(errors, `${prefix}-nameZh`, m.nameZh, 200, true);
    const mEn = checkText(errors, `${prefix}-nameEn`, m.nameEn, 200, true);
    const noteZh = checkText(errors, `${prefix}-noteZh`, m.noteZh ?? '', 500, false, false);
    const noteEn = checkText(errors, `${prefix}-noteEn`, m.noteEn ?? '', 500, false, false);
    let mCode = (m.code ?? '').trim() || `material-${i + 1}`;
    if (!codePattern.test(mCode) || mCode.length > 60) errors[`${prefix}-code`] = 'catalog.error.code';
    if (seenCodes.has(mCode)) mCode = `${mCode}-${i + 1}`;
    seenCodes.add(mCode);
    if (m.heldByGovernment && (!m.heldBy || !known.departments.has(m.heldBy))) errors[`${prefix}-heldBy`] = 'catalog.error.heldBy';
    materials.push({
      code: mCode,
      nameZh: mZh,
      nameEn: mEn,
      heldByGovernment: m.heldByGovernment,
      ...(m.heldByGovernment && m.heldBy ? { heldBy: m.heldBy } : {}),
      required: m.required,
      ...(noteZh ? { noteZh } : {}),
      ...(noteEn ? { noteEn } : {}),
    });
  });

  const legal = input.legalLimit;
  const promised = input.promisedLimit;
  if (!isTimeLimit(legal)) errors.legalLimit = 'catalog.error.limit';
  if (!isTimeLimit(promised)) errors.promisedLimit = 'catalog.error.limit';
  if (isTimeLimit(legal) && isTimeLimit(promised) && workingHoursOf(promised) > workingHoursOf(legal)) errors.promisedLimit = 'catalog.error.promisedOverLegal';

  if (!Number.isInteger(input.feeFen) || input.feeFen < 0 || input.feeFen > 100_000_000) errors.feeFen = 'catalog.error.fee';

  const formProblems = checkJsonSize(input.formDefinition) ?? checkFormDefinition(input.formDefinition);
  if (formProblems.length) {
    errors.formDefinition = 'catalog.error.formDefinition';
    problems.formDefinition = formProblems;
  }
  const workflowProblems = checkJsonSize(input.workflowDefinition) ?? checkWorkflowDefinition(input.workflowDefinition);
  if (workflowProblems.length) {
    errors.workflowDefinition = 'catalog.error.workflowDefinition';
    problems.workflowDefinition = workflowProblems;
  }

  if (Object.keys(errors).length) return { ok: false, errors, problems };
  return {
    ok: true,
    code,
    departmentCode: input.departmentCode,
    content: {
      nameZh,
      nameEn,
      applicantKinds: kinds as ApplicantKind[],
      descriptionZh,
      descriptionEn,
      materials,
      legalLimit: legal as TimeLimit,
      promisedLimit: promised as TimeLimit,
      feeFen: input.feeFen,
      ...(feeNoteZh ? { feeNoteZh } : {}),
      ...(feeNoteEn ? { feeNoteEn } : {}),
      deliveryOptions: delivery as DeliveryOption[],
      lifeEvents: events,
      keywords,
      // Their structure was checked above (checkFormDefinition, checkWorkflowDefinition).
      formDefinition: input.formDefinition as FormDefinition,
      workflowDefinition: input.workflowDefinition as WorkflowDefinition,
    },
  };
}

/** Definitions are stored as jsonb: bounded in size, and without NUL, which jsonb refuses. */
function checkJsonSize(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text.length > maxDefinitionChars) return [`larger than ${maxDefinitionChars} characters`];
  if (text.includes('\\u0000')) return ['contains a NUL character'];
  return undefined;
}

/** Lower-cased, width-normalised text for substring search (full-width Ｖ matches v). */
export function normaliseForSearch(text: string): string {
  // Control characters (NUL above all, which PostgreSQL refuses in text) become spaces.
  return text.normalize('NFKC').toLowerCase().replace(allControlChars, ' ');
}

/** The search text stored with each version: names, keywords, descriptions, materials and the department. */
export function searchTextOf(code: string, content: ItemContent, department: { nameZh: string; nameEn: string } | undefined): string {
  return normaliseForSearch(
    [
      code,
      content.nameZh,
      content.nameEn,
      content.keywords.join(' '),
      content.descriptionZh,
      content.descriptionEn,
      content.materials.map((m) => `${m.nameZh} ${m.nameEn}`).join(' '),
      department ? `${department.nameZh} ${department.nameEn}` : '',
    ].join('\n'),
  );
}

export const maxQueryChars = 100;
const fillers = /^(我要|我想|如何|怎么|怎样|怎么样|在哪|在哪里)|(怎么办理|怎么办|如何办理|流程|手续|在哪办|在哪里办)$/g;

/**
 * Splits a query into at most 8 lower-cased terms. Separators are spaces and Chinese or Latin
 * punctuation; everyday filler such as 怎么办 is dropped when something remains.
 */
export function searchTerms(q: string): string[] {
  const text = normaliseForSearch(q.slice(0, maxQueryChars));
  const raw = text.split(/[\s,.;:!?，。、；：！？“”"'（）()【】[\]{}|/]+/u).filter(Boolean);
  const terms = raw.map((t) => {
    const stripped = t.replace(fillers, '');
    return stripped.length ? stripped : t;
  });
  return [...new Set(terms)].slice(0, 8);
}
