import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit, actorFields } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import { checkRealName, checkResidentId, getUserById, listEnterprisesOf, registerEnterprise } from '../identity/index.js';
import { authorityOf, districtByName, districts, entityTypeOfLimitedCompany, forbiddenWordSeed, scopeSeed } from './enterprise.data.js';
import { issueLicence, licenceState, revokeLicence } from './enterprise.licence.js';
import { mayAccept, mayApprove, mayDecide, mayDeregister } from './enterprise.policy.js';
import * as repo from './enterprise.repository.js';
import { checkNameStructure, findConflict, forbiddenIn, fullNameOf, usccFor, type NameParts, type NameProblem } from './enterprise.rules.js';
import type { ChangeData, EstablishmentData, Officers, PersonRecord, ShareholderRecord } from './enterprise.schema.js';

export const approvedEvent = 'enterprise.application_approved';
/** How long a declared name stays reserved for its declarant (Zhejiang's rules use 30 days). */
export const reservationDays = 30;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);

// --- names ----------------------------------------------------------------------------------------------

export interface NameCheck {
  fullName: string;
  problems: NameProblem[];
}

/** Every check of a declared name: structure, forbidden words, identical or similar names in the same division and industry. */
export async function checkName(ex: Executor, parts: NameParts, now: Date): Promise<NameCheck> {
  const fullName = fullNameOf(parts);
  const problems = checkNameStructure(parts);
  for (const w of forbiddenIn(fullName, await repo.listForbiddenWords(ex)))
    problems.push({ field: 'tradeName', key: 'enterprise.name.error.forbidden', params: { word: w.word, reasonZh: w.reasonZh, reasonEn: w.reasonEn } });
  if (problems.length === 0) {
    const conflict = findConflict(parts, await repo.listBlockingNames(ex, now));
    if (conflict)
      problems.push({
        field: 'tradeName',
        key: conflict.kind === 'identical' ? 'enterprise.name.error.identical' : 'enterprise.name.error.similar',
        params: { name: conflict.name },
      });
  }
  return { fullName, problems };
}

export type DeclareResult = { ok: true; name: repo.NameRow } | { ok: false; check: NameCheck };

/** Declares a name (名称自主申报): checked, then reserved for the declarant for `reservationDays`. */
export async function declareName(ctx: AppContext, actor: Actor, parts: NameParts, ip: string | null): Promise<DeclareResult> {
  if (actor.kind !== 'citizen') throw new ForbiddenError('Only a person declares a company name');
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    // Two declarations of similar names must not both pass: they are serialised per division and industry.
    await repo.lockNameSpace(tx, parts.division.replace(/^成都市$/u, '成都'), parts.industry);
    const check = await checkName(tx, parts, now);
    if (check.problems.length) {
      await recordAudit(tx, {
        ...actorFields(actor),
        action: 'enterprise.name.declare',
        resourceType: 'enterprise-name',
        resourceId: check.fullName.slice(0, 100),
        outcome: 'denied',
        detail: { problems: check.problems.map((p) => p.key) },
        ip,
      });
      return { ok: false as const, check };
    }
    const name = await repo.insertName(tx, {
      fullName: check.fullName,
      ...parts,
      status: 'reserved',
      declaredBy: actor.userId,
      reservedUntil: new Date(now.getTime() + reservationDays * 86_400_000),
      createdAt: now,
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.name.declare',
      resourceType: 'enterprise-name',
      resourceId: name.id,
      outcome: 'ok',
      detail: { fullName: name.fullName },
      ip,
    });
    return { ok: true as const, name };
  });
}

export async function getOwnName(ex: Executor, actor: Actor, id: string): Promise<repo.NameRow> {
  const name = isUuid(id) ? await repo.findName(ex, id) : undefined;
  if (!name || name.declaredBy !== actor.userId) throw new NotFoundError('No such name');
  return name;
}

export const nameIsUsable = (name: repo.NameRow, now: Date) => name.status === 'reserved' && (name.reservedUntil?.getTime() ?? 0) > now.getTime();

// --- forbidden words (staff) ----------------------------------------------------------------------------

export async function addForbiddenWord(ctx: AppContext, actor: Actor, input: { word: string; reasonZh: string; reasonEn: string }, ip: string | null) {
  const word = input.word.normalize('NFKC').replace(/\s+/gu, '');
  const reasonZh = input.reasonZh.trim();
  const reasonEn = input.reasonEn.trim();
  const errors: Record<string, string> = {};
  if (word === '' || [...word].length > 20) errors.word = 'enterprise.words.error.word';
  if (reasonZh === '' || reasonZh.length > 200) errors.reasonZh = 'enterprise.words.error.reason';
  if (reasonEn === '' || reasonEn.length > 200) errors.reasonEn = 'enterprise.words.error.reason';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertForbiddenWord(tx, { word, reasonZh, reasonEn });
    if (!row) throw new ValidationError({ word: 'enterprise.words.error.duplicate' });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.forbidden-word.add',
      resourceType: 'forbidden-word',
      resourceId: row.id,
      outcome: 'ok',
      detail: { word },
      ip,
    });
    return row;
  });
}

export async function removeForbiddenWord(ctx: AppContext, actor: Actor, id: string, ip: string | null) {
  return ctx.db.transaction(async (tx) => {
    const row = isUuid(id) ? await repo.deleteForbiddenWord(tx, id) : undefined;
    if (!row) throw new NotFoundError('No such word');
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.forbidden-word.remove',
      resourceType: 'forbidden-word',
      resourceId: id,
      outcome: 'ok',
      detail: { word: row.word },
      ip,
    });
  });
}

// --- establishment --------------------------------------------------------------------------------------

/** What an applicant submits (the page's fields or the API's body, normalised); amounts in yuan. */
export interface EstablishmentInput {
  nameId: string;
  district: string;
  addressDetail: string;
  scopeCodes: string[];
  scopeText: string;
  registeredCapitalYuan: number | null;
  legalRepresentative: { name: string; idNumber: string };
  shareholders: { name: string; idNumber: string; contributionYuan: number | null }[];
  officers: {
    executiveDirector: { name: string; idNumber: string };
    supervisor: { name: string; idNumber: string };
    manager: { name: string; idNumber: string };
  };
}

/** Field path → message key. */
export type Errors = Record<string, string>;

const maxCapitalYuan = 1_000_000_000_000;

function checkPerson(errors: Errors, path: string, p: { name: string; idNumber: string }, now: Date, adult: boolean): PersonRecord | null {
  const name = checkRealName(p.name);
  const id = checkResidentId(p.idNumber, now);
  if (!name.ok) errors[`${path}.name`] = name.error;
  if (!id.ok) errors[`${path}.idNumber`] = id.error;
  else if (adult) {
    const [y, m, d] = id.value.birthDate.split('-').map(Number) as [number, number, number];
    const eighteen = Date.UTC(y + 18, m - 1, d) - 8 * 3600_000;
    if (eighteen > now.getTime()) errors[`${path}.idNumber`] = 'enterprise.person.error.minor';
  }
  return name.ok && id.ok ? { name: name.value, idNumber: id.value.number } : null;
}

async function checkScope(ex: Executor, errors: Errors, path: string, codes: string[], text: string) {
  const known = new Map((await repo.listScopeItems(ex)).map((s) => [s.code, s]));
  const unique = [...new Set(codes)];
  if (unique.length === 0) errors[`${path}Codes`] = 'enterprise.scope.error.required';
  else if (unique.some((c) => !known.has(c))) errors[`${path}Codes`] = 'enterprise.scope.error.unknown';
  const cleanText = text.replace(/[\p{Cc}]/gu, ' ').trim();
  if (cleanText.length > 500) errors[`${path}Text`] = 'enterprise.scope.error.textLong';
  return { codes: unique, text: cleanText, known };
}

function checkAddress(errors: Errors, district: string, detail: string, prefix = '') {
  if (!districtByName(district)) errors[`${prefix}district`] = 'enterprise.address.error.district';
  const d = detail.replace(/[\p{Cc}]/gu, ' ').trim();
  if ([...d].length < 4 || [...d].length > 100) errors[`${prefix}addressDetail`] = 'enterprise.address.error.detail';
  return d;
}

function checkCapital(errors: Errors, key: string, yuan: number | null): number {
  if (yuan === null || !Number.isFinite(yuan) || yuan <= 0 || yuan > maxCapitalYuan || !Number.isInteger(yuan)) errors[key] = 'enterprise.capital.error';
  return yuan ?? 0;
}

/** Checks an establishment in full; returns the data to store, or the errors by field. */
export async function validateEstablishment(
  ex: Executor,
  actor: Actor,
  input: EstablishmentInput,
  now: Date,
): Promise<{ data: EstablishmentData | null; errors: Errors }> {
  const errors: Errors = {};
  const name = isUuid(input.nameId) ? await repo.findName(ex, input.nameId) : undefined;
  if (!name || name.declaredBy !== actor.userId) errors.nameId = 'enterprise.est.error.name';
  else if (!nameIsUsable(name, now)) errors.nameId = 'enterprise.est.error.nameExpired';
  else if (await repo.nameInUse(ex, name.id)) errors.nameId = 'enterprise.est.error.nameInUse';
  const addressDetail = checkAddress(errors, input.district, input.addressDetail);
  const scope = await checkScope(ex, errors, 'scope', input.scopeCodes, input.scopeText);
  const capital = checkCapital(errors, 'registeredCapital', input.registeredCapitalYuan);
  const legalRep = checkPerson(errors, 'legalRepresentative', input.legalRepresentative, now, true);
  const officers: Partial<Officers> = {};
  for (const role of ['executiveDirector', 'supervisor', 'manager'] as const) {
    const p = checkPerson(errors, `officers.${role}`, input.officers[role], now, true);
    if (p) officers[role] = p;
  }
  const shareholders: ShareholderRecord[] = [];
  if (input.shareholders.length === 0) errors['shareholders.0.name'] = 'enterprise.est.error.noShareholder';
  if (input.shareholders.length > 50) errors['shareholders.0.name'] = 'enterprise.est.error.tooManyShareholders';
  const seen = new Set<string>();
  input.shareholders.slice(0, 50).forEach((s, i) => {
    const p = checkPerson(errors, `shareholders.${i}`, s, now, false);
    const c = s.contributionYuan;
    if (c === null || !Number.isInteger(c) || c <= 0 || c > maxCapitalYuan) errors[`shareholders.${i}.contribution`] = 'enterprise.est.error.contribution';
    if (p && seen.has(p.idNumber)) errors[`shareholders.${i}.idNumber`] = 'enterprise.est.error.duplicateShareholder';
    if (p) seen.add(p.idNumber);
    if (p && c !== null && c > 0) shareholders.push({ ...p, contributionYuan: c });
  });
  if (!errors.registeredCapital && shareholders.length === input.shareholders.length && shareholders.length > 0) {
    const sum = shareholders.reduce((a, s) => a + s.contributionYuan, 0);
    if (sum !== capital) errors.registeredCapital = 'enterprise.est.error.contributionsSum';
  }
  // Company Law (2023) Art. 10: the legal representative is the director or the manager who runs the company's affairs.
  if (
    legalRep &&
    officers.executiveDirector &&
    officers.manager &&
    ![officers.executiveDirector.idNumber, officers.manager.idNumber].includes(legalRep.idNumber)
  )
    errors['legalRepresentative.idNumber'] = 'enterprise.est.error.legalRepRole';
  // Art. 76: directors and senior managers may not serve as supervisors.
  if (officers.supervisor && [officers.executiveDirector?.idNumber, officers.manager?.idNumber].includes(officers.supervisor.idNumber))
    errors['officers.supervisor.idNumber'] = 'enterprise.est.error.supervisorConflict';
  if (Object.keys(errors).length || !name || !legalRep || !officers.executiveDirector || !officers.supervisor || !officers.manager)
    return { data: null, errors };
  return {
    data: {
      nameId: name.id,
      name: name.fullName,
      district: input.district,
      addressDetail,
      scopeCodes: scope.codes,
      scopeText: scope.text,
      registeredCapitalYuan: capital,
      legalRepresentative: legalRep,
      shareholders,
      officers: officers as Officers,
    },
    errors,
  };
}

/** Everyone who must confirm, once each, with their roles. */
export function peopleOf(data: EstablishmentData): { name: string; idNumber: string; roles: string[] }[] {
  const people = new Map<string, { name: string; idNumber: string; roles: string[] }>();
  const add = (p: PersonRecord, role: string) => {
    const e = people.get(p.idNumber) ?? { name: p.name, idNumber: p.idNumber, roles: [] };
    e.roles.push(role);
    people.set(p.idNumber, e);
  };
  add(data.legalRepresentative, 'legalRepresentative');
  for (const s of data.shareholders) add(s, 'shareholder');
  add(data.officers.executiveDirector, 'executiveDirector');
  add(data.officers.supervisor, 'supervisor');
  add(data.officers.manager, 'manager');
  return [...people.values()];
}

export async function submitEstablishment(ctx: AppContext, actor: Actor, input: EstablishmentInput, ip: string | null) {
  if (actor.kind !== 'citizen') throw new ForbiddenError('Only a person applies');
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    if (isUuid(input.nameId)) await repo.findNameForUpdate(tx, input.nameId);
    const { data, errors } = await validateEstablishment(tx, actor, input, now);
    if (!data) throw new ValidationError(errors);
    const app = await repo.insertApplication(tx, {
      kind: 'establishment',
      applicantId: actor.userId,
      status: 'awaiting_confirmation',
      data,
      submittedAt: now,
      updatedAt: now,
    });
    await repo.insertConfirmations(
      tx,
      peopleOf(data).map((p) => ({ applicationId: app.id, idNumber: p.idNumber, name: p.name, roles: p.roles })),
    );
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.establishment.submit',
      resourceType: 'enterprise-application',
      resourceId: app.id,
      outcome: 'ok',
      detail: { name: data.name },
      ip,
    });
    return app;
  });
}

/** A person named in an establishment confirms it, signed in with their real-name account; the last one sends it to the AMR. */
export async function confirmEstablishment(ctx: AppContext, actor: Actor, applicationId: string, ip: string | null) {
  const user = await getUserById(ctx.db, actor.userId);
  if (!user?.idNumber) throw new ForbiddenError('A real-name account is needed');
  return ctx.db.transaction(async (tx) => {
    const app = isUuid(applicationId) ? await repo.findApplication(tx, applicationId, true) : undefined;
    const listed = app ? (await repo.listConfirmations(tx, app.id)).find((c) => c.idNumber === user.idNumber) : undefined;
    if (!app || !listed) throw new NotFoundError('No such application for you');
    if (app.status !== 'awaiting_confirmation' || listed.confirmedAt) throw new ConflictError('Already confirmed');
    const now = ctx.clock.now();
    await repo.confirm(tx, app.id, listed.idNumber, actor.userId, now);
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.establishment.confirm',
      resourceType: 'enterprise-application',
      resourceId: app.id,
      outcome: 'ok',
      detail: { roles: listed.roles },
      ip,
    });
    const pending = (await repo.listConfirmations(tx, app.id)).filter((c) => !c.confirmedAt);
    if (pending.length === 0) return repo.updateApplication(tx, app.id, { status: 'submitted', updatedAt: now });
    return app;
  });
}

// --- change registration --------------------------------------------------------------------------------

export interface ChangeInput {
  scope?: { codes: string[]; text: string } | undefined;
  address?: { district: string; detail: string } | undefined;
  legalRepresentative?: { name: string; idNumber: string } | undefined;
  registeredCapitalYuan?: number | null | undefined;
}

/** The company a person may change: they act for it as its legal representative or agent. */
export async function companyActedFor(ex: Executor, actor: Actor, uscc: string): Promise<repo.CompanyRow> {
  const company = await repo.findCompanyByUscc(ex, uscc.trim().toUpperCase());
  const member = (await listEnterprisesOf(ex, actor.userId)).find((m) => m.uscc === company?.uscc);
  if (!company || !member) throw new NotFoundError('No such company of yours');
  if (member.role === 'accountant') throw new ForbiddenError('Only the legal representative or an agent applies for a change');
  return company;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Change registration (变更登记). A change of business scope alone, adding no item that needs a prior permit,
 * is decided by the system at once (straight-through, audited as the system's decision); any other change
 * goes to an AMR reviewer.
 */
export async function submitChange(ctx: AppContext, actor: Actor, uscc: string, input: ChangeInput, ip: string | null) {
  if (actor.kind !== 'citizen') throw new ForbiddenError('Only a person applies');
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const found = await companyActedFor(tx, actor, uscc);
    const company = (await repo.findCompany(tx, found.id, true))!;
    if (company.status !== 'active') throw new ConflictError('The company is not active');
    const errors: Errors = {};
    const data: ChangeData = {};
    let scopeKnown: Map<string, repo.ScopeItemRow> | null = null;
    if (input.scope) {
      const s = await checkScope(tx, errors, 'scope', input.scope.codes, input.scope.text);
      scopeKnown = s.known;
      if (!sameSet(s.codes, company.scopeCodes) || s.text !== company.scopeText) data.scope = { codes: s.codes, text: s.text };
    }
    if (input.address) {
      const detail = checkAddress(errors, input.address.district, input.address.detail);
      if (input.address.district !== company.district || detail !== company.addressDetail) data.address = { district: input.address.district, detail };
    }
    if (input.legalRepresentative) {
      const p = checkPerson(errors, 'legalRepresentative', input.legalRepresentative, now, true);
      if (p && p.idNumber !== company.legalRepresentative.idNumber) data.legalRepresentative = p;
    }
    if (input.registeredCapitalYuan !== undefined) {
      const c = checkCapital(errors, 'registeredCapital', input.registeredCapitalYuan);
      if (!errors.registeredCapital && c !== company.registeredCapitalYuan) data.registeredCapitalYuan = c;
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
    if (Object.keys(data).length === 0) throw new ValidationError({ _form: 'enterprise.change.error.nothing' });
    if (await repo.hasOpenChange(tx, company.id)) throw new ConflictError('A change of this company is already being handled');

    const added = data.scope ? data.scope.codes.filter((c) => !company.scopeCodes.includes(c)) : [];
    const permitItems = added.filter((c) => scopeKnown?.get(c)?.needsPermit);
    const straightThrough = Object.keys(data).length === 1 && data.scope !== undefined && permitItems.length === 0;
    const app = await repo.insertApplication(tx, {
      kind: 'change',
      applicantId: actor.userId,
      companyId: company.id,
      status: straightThrough ? 'approved' : 'submitted',
      data,
      submittedAt: now,
      updatedAt: now,
      ...(straightThrough ? { decidedBy: 'system' as const, rule: 'scope-without-prior-permit', decidedAt: now } : {}),
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.change.submit',
      resourceType: 'enterprise-application',
      resourceId: app.id,
      outcome: 'ok',
      detail: { uscc: company.uscc, items: Object.keys(data), permitItems },
      ip,
    });
    if (straightThrough) {
      await recordAudit(tx, {
        actorType: 'system',
        actorId: null,
        action: 'enterprise.change.approve',
        resourceType: 'enterprise-application',
        resourceId: app.id,
        outcome: 'ok',
        detail: { rule: 'scope-without-prior-permit', added },
      });
      await ctx.outbox.emit(tx, approvedEvent, { applicationId: app.id });
    }
    return app;
  });
}

// --- AMR decisions --------------------------------------------------------------------------------------

export async function acceptApplication(ctx: AppContext, actor: Actor, id: string, ip: string | null) {
  if (!mayAccept(actor)) throw new ForbiddenError();
  return ctx.db.transaction(async (tx) => {
    const app = isUuid(id) ? await repo.findApplication(tx, id, true) : undefined;
    if (!app) throw new NotFoundError('No such application');
    if (app.status !== 'submitted') throw new ConflictError('The application is not waiting for acceptance');
    const out = await repo.updateApplication(tx, app.id, { status: 'accepted', updatedAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: 'enterprise.application.accept',
      resourceType: 'enterprise-application',
      resourceId: app.id,
      outcome: 'ok',
      ip,
    });
    return out;
  });
}

export async function decideApplication(ctx: AppContext, actor: Actor, id: string, decision: 'approve' | 'reject', reason: string, ip: string | null) {
  if (!(decision === 'approve' ? mayApprove(actor) : mayDecide(actor))) throw new ForbiddenError();
  const why = reason.replace(/[\p{Cc}]/gu, ' ').trim();
  if (decision === 'reject' && (why.length < 2 || why.length > 500)) throw new ValidationError({ reason: 'enterprise.staff.error.reason' });
  return ctx.db.transaction(async (tx) => {
    const app = isUuid(id) ? await repo.findApplication(tx, id, true) : undefined;
    if (!app) throw new NotFoundError('No such application');
    const from = decision === 'approve' ? ['accepted'] : ['submitted', 'accepted'];
    if (!from.includes(app.status)) throw new ConflictError('The application is not waiting for this decision');
    const now = ctx.clock.now();
    const out = await repo.updateApplication(tx, app.id, {
      status: decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: 'staff',
      decidedByUserId: actor.userId,
      decidedAt: now,
      reason: why || null,
      updatedAt: now,
    });
    await recordAudit(tx, {
      ...actorFields(actor),
      action: `enterprise.application.${decision}`,
      resourceType: 'enterprise-application',
      resourceId: app.id,
      outcome: 'ok',
      detail: { reason: why || null },
      ip,
    });
    if (decision === 'approve') await ctx.outbox.emit(tx, approvedEvent, { applicationId: app.id });
    else await notifyApplicant(ctx, tx, app.applicantId, 'enterprise.refused', { reason: why });
    return out;
  });
}

/**
 * Runs in the outbox dispatcher's transaction (exactly once per approval): registers the company or applies the
 * change, assigns the credit code, issues the new licence and revokes the one it replaces.
 */
export async function completeApplication(ctx: AppContext, tx: Tx, applicationId: string): Promise<void> {
  const app = await repo.findApplication(tx, applicationId, true);
  if (!app || app.status !== 'approved') return;
  const now = ctx.clock.now();
  if (app.kind === 'establishment') {
    const data = app.data as EstablishmentData;
    const district = districtByName(data.district) ?? districts[0]!;
    const uscc = usccFor(district.code, await repo.nextOrgCodeSequence(tx));
    const establishedOn = chinaDay(now);
    const company = await repo.insertCompany(tx, {
      uscc,
      name: data.name,
      nameId: data.nameId,
      entityType: entityTypeOfLimitedCompany,
      legalRepresentative: data.legalRepresentative,
      registeredCapitalYuan: data.registeredCapitalYuan,
      district: data.district,
      addressDetail: data.addressDetail,
      scopeCodes: data.scopeCodes,
      scopeText: data.scopeText,
      shareholders: data.shareholders,
      officers: data.officers,
      establishedOn,
      registrationAuthority: authorityOf(data.district),
      createdAt: now,
      updatedAt: now,
    });
    if (!company) throw new Error(`A company named ${data.name} or with code ${uscc} exists already`);
    await repo.setNameStatus(tx, data.nameId, 'registered');
    // The legal representative (as confirmed by signing in) and the applicant may act for the new company.
    const confirmedRep = (await repo.listConfirmations(tx, app.id)).find((c) => c.idNumber === data.legalRepresentative.idNumber)?.confirmedBy;
    const members = [
      ...(confirmedRep ? [{ userId: confirmedRep, role: 'legal_representative' as const }] : []),
      ...(app.applicantId !== confirmedRep ? [{ userId: app.applicantId, role: 'agent' as const }] : []),
    ];
    await registerEnterprise(tx, { uscc, name: data.name }, members);
    const licence = await issueLicence(ctx, tx, await licenceSubject(tx, company));
    await repo.updateCompany(tx, company.id, { licenceId: licence.id });
    await repo.updateApplication(tx, app.id, { status: 'completed', companyId: company.id, licenceId: licence.id, completedAt: now, updatedAt: now });
    await notifyApplicant(ctx, tx, app.applicantId, 'enterprise.registered', { name: data.name, uscc });
    await recordAudit(tx, {
      actorType: 'system',
      action: 'enterprise.establishment.register',
      resourceType: 'enterprise',
      resourceId: uscc,
      outcome: 'ok',
      detail: { applicationId: app.id, licenceId: licence.id },
    });
    return;
  }
  const company = app.companyId ? await repo.findCompany(tx, app.companyId, true) : undefined;
  if (!company) throw new Error('Change of a company that does not exist');
  const data = app.data as ChangeData;
  const scopeNames = new Map((await repo.listScopeItems(tx)).map((s) => [s.code, s.nameZh]));
  const scopeText = (codes: string[], text: string) => [...codes.map((c) => scopeNames.get(c) ?? c), ...(text ? [text] : [])].join('；');
  const set: Parameters<typeof repo.updateCompany>[2] = { updatedAt: now };
  const rows: Parameters<typeof repo.insertChanges>[1] = [];
  const change = (item: (typeof rows)[number]['item'], before: string, after: string) =>
    rows.push({ companyId: company.id, applicationId: app.id, at: now, item, before, after });
  if (data.scope) {
    change('scope', scopeText(company.scopeCodes, company.scopeText), scopeText(data.scope.codes, data.scope.text));
    set.scopeCodes = data.scope.codes;
    set.scopeText = data.scope.text;
  }
  if (data.address) {
    change('address', `${company.district}${company.addressDetail}`, `${data.address.district}${data.address.detail}`);
    set.district = data.address.district;
    set.addressDetail = data.address.detail;
  }
  if (data.legalRepresentative) {
    change('legalRepresentative', company.legalRepresentative.name, data.legalRepresentative.name);
    set.legalRepresentative = data.legalRepresentative;
  }
  if (data.registeredCapitalYuan !== undefined) {
    change('registeredCapital', capitalText(company.registeredCapitalYuan), capitalText(data.registeredCapitalYuan));
    set.registeredCapitalYuan = data.registeredCapitalYuan;
  }
  const updated = (await repo.updateCompany(tx, company.id, set))!;
  await repo.insertChanges(tx, rows);
  const licence = await issueLicence(ctx, tx, await licenceSubject(tx, updated));
  if (company.licenceId) await revokeLicence(ctx, tx, company.licenceId, 'superseded by change registration');
  await repo.updateCompany(tx, company.id, { licenceId: licence.id });
  await repo.updateApplication(tx, app.id, { status: 'completed', licenceId: licence.id, completedAt: now, updatedAt: now });
  await notifyApplicant(ctx, tx, app.applicantId, 'enterprise.changed', { name: company.name, uscc: company.uscc });
  await recordAudit(tx, {
    actorType: 'system',
    action: 'enterprise.change.register',
    resourceType: 'enterprise',
    resourceId: company.uscc,
    outcome: 'ok',
    detail: { applicationId: app.id, licenceId: licence.id, revoked: company.licenceId, items: rows.map((r) => r.item) },
  });
}

/**
 * 注销登记, initiated by the registration authority: the company is marked deregistered in the public register
 * (the exchange's register product stops answering for it) and its current licence is revoked, in one
 * transaction, audited. Refused while a change is open (it would issue a new licence) or when already done.
 */
export async function deregisterCompany(ctx: AppContext, actor: Actor, uscc: string, reason: string, ip: string | null) {
  if (!mayDeregister(actor)) throw new ForbiddenError();
  const why = reason.replace(/[\p{Cc}]/gu, ' ').trim();
  if (why.length < 2 || why.length > 500) throw new ValidationError({ reason: 'enterprise.staff.error.reason' });
  return ctx.db.transaction(async (tx) => {
    const found = await repo.findCompanyByUscc(tx, uscc.trim().toUpperCase());
    const company = found ? await repo.findCompany(tx, found.id, true) : undefined;
    if (!company) throw new NotFoundError('No such company');
    if (company.status !== 'active') throw new ConflictError('The company is deregistered already');
    if (await repo.hasOpenChange(tx, company.id)) throw new ConflictError('A change of this company is being handled');
    const by = { ...actorFields(actor), ip };
    const state = company.licenceId ? await licenceState(tx, company.licenceId) : undefined;
    const revoked = company.licenceId && state && state !== 'revoked' ? company.licenceId : null;
    if (revoked) await revokeLicence(ctx, tx, revoked, `注销登记：${why}`, by);
    const out = await repo.updateCompany(tx, company.id, { status: 'deregistered', updatedAt: ctx.clock.now() });
    await recordAudit(tx, {
      ...by,
      action: 'enterprise.deregister',
      resourceType: 'enterprise',
      resourceId: company.uscc,
      outcome: 'ok',
      detail: { reason: why, revokedLicence: revoked },
    });
    return out!;
  });
}

/** Tells the applicant in their inbox, in the transaction of the change it reports. */
async function notifyApplicant(ctx: AppContext, tx: Executor, userId: string, template: string, params: Record<string, string>) {
  const user = await getUserById(tx, userId);
  if (!user) return;
  await ctx.notify.send(tx, { userId, channels: ['inbox'], template, params, locale: user.locale === 'en' ? 'en' : 'zh-CN' });
}

export const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** 注册资本 as the licence writes it: 壹佰万元 is written 100万元人民币 here (digits, the common electronic form). */
export function capitalText(yuan: number): string {
  const wan = yuan / 10_000;
  return `${Number.isInteger(wan) ? wan : wan.toFixed(4).replace(/0+$/, '')}万元人民币`;
}

export interface LicenceSubject {
  uscc: string;
  name: string;
  entityType: string;
  legalRepresentative: string;
  registeredCapital: string;
  establishedOn: string;
  address: string;
  businessScope: string;
  registrationAuthority: string;
}

export async function licenceSubject(ex: Executor, c: repo.CompanyRow): Promise<LicenceSubject> {
  return {
    uscc: c.uscc,
    name: c.name,
    entityType: c.entityType,
    legalRepresentative: c.legalRepresentative.name,
    registeredCapital: capitalText(c.registeredCapitalYuan),
    establishedOn: c.establishedOn,
    address: fullAddress(c),
    businessScope: await scopeTextOf(ex, c.scopeCodes, c.scopeText),
    registrationAuthority: c.registrationAuthority,
  };
}

export const fullAddress = (c: { district: string; addressDetail: string }) => `四川省成都市${c.district}${c.addressDetail}`;

export async function scopeTextOf(ex: Executor, codes: string[], text: string): Promise<string> {
  const names = new Map((await repo.listScopeItems(ex)).map((s) => [s.code, s.nameZh]));
  const parts = codes.map((c) => names.get(c) ?? c);
  return `${parts.join('；')}${text ? `；${text}` : ''}`;
}

// --- reads ----------------------------------------------------------------------------------------------

export async function getApplicationFor(ex: Executor, actor: Actor, id: string) {
  const app = isUuid(id) ? await repo.findApplication(ex, id) : undefined;
  if (!app) throw new NotFoundError('No such application');
  if (actor.kind === 'staff' ? !mayDecide(actor) && !mayAccept(actor) : app.applicantId !== actor.userId) throw new NotFoundError('No such application');
  return app;
}

// --- demo data ------------------------------------------------------------------------------------------

/** The demo company that other journeys use (VAT invoices): 成都蜀锦商贸有限公司, legal representative 陈建国. */
export const demoCompany = {
  uscc: '91510107MA6CBX7Q6L',
  name: '成都蜀锦商贸有限公司',
  parts: { division: '成都', tradeName: '蜀锦', industry: '商贸', orgForm: '有限公司' },
  legalRepresentative: { name: '陈建国', idNumber: '51010519750608001X' },
  accountant: { name: '李强', idNumber: '510104198807210031' },
  registeredCapitalYuan: 1_000_000,
  district: '武侯区',
  addressDetail: '人民南路四段12号6栋1单元803号',
  scopeCodes: ['textile-sales', 'crafts-sales', 'clothing-sales', 'daily-goods-sales', 'import-export-goods'],
  establishedOn: '2019-03-18',
};

/** Reference data and the demo company; rows that exist are left alone. */
export async function seedEnterprise(ctx: AppContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await repo.upsertScopeItems(
      tx,
      scopeSeed.map((s, i) => ({ ...s, permitZh: s.permitZh ?? null, permitEn: s.permitEn ?? null, sortOrder: i })),
    );
    await repo.insertForbiddenWords(tx, [...forbiddenWordSeed]);
    if (await repo.findCompanyByUscc(tx, demoCompany.uscc)) return;
    const name = await repo.insertName(tx, { fullName: demoCompany.name, ...demoCompany.parts, status: 'registered', declaredBy: null, reservedUntil: null });
    const d = demoCompany;
    await repo.insertCompany(tx, {
      uscc: d.uscc,
      name: d.name,
      nameId: name.id,
      entityType: entityTypeOfLimitedCompany,
      legalRepresentative: d.legalRepresentative,
      registeredCapitalYuan: d.registeredCapitalYuan,
      district: d.district,
      addressDetail: d.addressDetail,
      scopeCodes: d.scopeCodes,
      scopeText: '',
      shareholders: [
        { ...d.legalRepresentative, contributionYuan: 700_000 },
        { ...d.accountant, contributionYuan: 300_000 },
      ],
      officers: { executiveDirector: d.legalRepresentative, supervisor: d.accountant, manager: d.legalRepresentative },
      establishedOn: d.establishedOn,
      registrationAuthority: authorityOf(d.district),
    });
  });
  // A second pass issues the demo company's licence (in its own transaction, after the company is committed).
  await seedEnterpriseLicence(ctx);
}

async function seedEnterpriseLicence(ctx: AppContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = await repo.findCompanyByUscc(tx, demoCompany.uscc);
    if (!c || c.licenceId) return;
    const licence = await issueLicence(ctx, tx, await licenceSubject(tx, c));
    await repo.updateCompany(tx, c.id, { licenceId: licence.id });
  });
}
