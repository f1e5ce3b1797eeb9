import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, ValidationError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import { sendPage } from '../../platform/views/render.js';
import { getUserById, listEnterprisesOf } from '../identity/index.js';
import { mayAccept, mayApprove, mayDecide, mayDeregister, mayEditForbiddenWords } from './enterprise.policy.js';
import { getLicence, listLicencesOf } from '../certificates/index.js';
import {
  applicationJson,
  applicationTitle,
  dateTimeText,
  districtOptions,
  divisionOptions,
  industryOptions,
  orgFormOptions,
  presentApplication,
  publicChange,
  publicCompany,
  scopeOptions,
} from './enterprise.presenters.js';
import * as repo from './enterprise.repository.js';
import { normaliseNameParts, type NameProblem } from './enterprise.rules.js';
import {
  acceptApplication,
  addForbiddenWord,
  checkName,
  companyActedFor,
  confirmEstablishment,
  declareName,
  decideApplication,
  deregisterCompany,
  getApplicationFor,
  getOwnName,
  isUuid,
  nameIsUsable,
  removeForbiddenWord,
  submitChange,
  submitEstablishment,
  type ChangeInput,
  type EstablishmentInput,
} from './enterprise.service.js';
import type { EstablishmentData } from './enterprise.schema.js';
import {
  ApplicationPage,
  ChangeFormPage,
  CompanyPage,
  ConfirmPage,
  EnterpriseHomePage,
  EstablishFormPage,
  ForbiddenWordsPage,
  NameFormPage,
  NameReservedPage,
  RegisterPage,
  StaffApplicationPage,
  StaffCompanyPage,
  StaffQueuePage,
  shareholderRows,
  type FormValues,
} from './views/pages.js';

const Problem = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()), instance: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);
const NameBody = Type.Object(
  {
    division: Type.String({ maxLength: 30, description: 'e.g. 成都 or 成都市武侯区' }),
    tradeName: Type.String({ maxLength: 30, description: '字号, at least two Chinese characters' }),
    industry: Type.String({ maxLength: 30, description: 'e.g. 科技, 商贸' }),
    orgForm: Type.String({ maxLength: 30, description: '有限公司 or 有限责任公司' }),
  },
  { additionalProperties: false },
);
const Person = Type.Object({ name: Type.String({ maxLength: 60 }), idNumber: Type.String({ maxLength: 30 }) }, { additionalProperties: false });
const Address = Type.Object({ district: Type.String({ maxLength: 20 }), detail: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
const Scope = Type.Object(
  { items: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 }), text: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
const Yuan = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 });
const EstablishmentBody = Type.Object(
  {
    nameId: Type.String({ maxLength: 64 }),
    address: Address,
    businessScope: Scope,
    registeredCapitalYuan: Yuan,
    legalRepresentative: Person,
    shareholders: Type.Array(
      Type.Object({ name: Type.String({ maxLength: 60 }), idNumber: Type.String({ maxLength: 30 }), contributionYuan: Yuan }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: 50,
      },
    ),
    officers: Type.Object({ executiveDirector: Person, supervisor: Person, manager: Person }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
const ChangeBody = Type.Object(
  {
    businessScope: Type.Optional(Scope),
    address: Type.Optional(Address),
    legalRepresentative: Type.Optional(Person),
    registeredCapitalYuan: Type.Optional(Yuan),
  },
  { additionalProperties: false },
);
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const UsccParam = Type.Object({ uscc: Type.String({ maxLength: 30 }) });
const RegisterQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 60 })), page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })) });
const RejectBody = Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false });

const pageSize = 20;
const bodyOf = (request: FastifyRequest): Record<string, unknown> =>
  request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
const str = (b: Record<string, unknown>, k: string): string => (typeof b[k] === 'string' ? (b[k] as string) : '');
const arr = (b: Record<string, unknown>, k: string): string[] => {
  const v = b[k];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v !== '' ? [v] : [];
};
/** A form's amount in 万元 (up to four decimals) as whole yuan; null when it is not a number. */
export function wanToYuan(raw: string): number | null {
  const v = raw.trim().replace(/,/g, '');
  if (!/^\d{1,8}(\.\d{1,4})?$/.test(v)) return null;
  const [int = '0', frac = ''] = v.split('.');
  return Number(int) * 10_000 + Number(frac.padEnd(4, '0'));
}
const yuanToWan = (yuan: number) => String(yuan / 10_000);
const formValues = (b: Record<string, unknown>): FormValues =>
  Object.fromEntries(
    Object.entries(b).flatMap(([k, v]) => (k === '_csrf' ? [] : typeof v === 'string' || Array.isArray(v) ? [[k, v as string | string[]]] : [])),
  );

function establishmentFromForm(b: Record<string, unknown>): EstablishmentInput {
  const person = (p: string) => ({ name: str(b, `${p}.name`), idNumber: str(b, `${p}.idNumber`) });
  const shareholders = Array.from({ length: shareholderRows }, (_, i) => ({
    name: str(b, `shareholders.${i}.name`),
    idNumber: str(b, `shareholders.${i}.idNumber`),
    contribution: str(b, `shareholders.${i}.contribution`),
  }))
    // Blank rows are not shareholders; the first row always counts, so an empty form says a shareholder is missing.
    .filter((s, i) => i === 0 || s.name.trim() || s.idNumber.trim() || s.contribution.trim())
    .map((s) => ({ name: s.name, idNumber: s.idNumber, contributionYuan: wanToYuan(s.contribution) }));
  return {
    nameId: str(b, 'nameId'),
    district: str(b, 'district'),
    addressDetail: str(b, 'addressDetail'),
    scopeCodes: arr(b, 'scopeCodes'),
    scopeText: str(b, 'scopeText'),
    registeredCapitalYuan: wanToYuan(str(b, 'registeredCapital')),
    legalRepresentative: person('legalRepresentative'),
    shareholders,
    officers: { executiveDirector: person('officers.executiveDirector'), supervisor: person('officers.supervisor'), manager: person('officers.manager') },
  };
}

function nameProblemText(p: NameProblem, request: FastifyRequest): string {
  const params = p.params ? { ...p.params, reason: request.locale === 'en' ? (p.params.reasonEn ?? '') : (p.params.reasonZh ?? '') } : undefined;
  return request.t(p.key, params);
}

/** Pages answer a ValidationError by re-rendering the form (400) with the input kept. */
async function orRerender<T>(work: () => Promise<T>, rerender: (errors: Record<string, string>) => FastifyReply): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) return rerender(error.fields);
    throw error;
  }
}

export async function registerEnterpriseRoutes(app: App, ctx: AppContext): Promise<void> {
  const ip = (r: FastifyRequest) => r.ip;
  const scopeItems = () => repo.listScopeItems(ctx.db);

  async function appView(request: FastifyRequest, application: repo.ApplicationRow) {
    const company = application.companyId ? await repo.findCompany(ctx.db, application.companyId) : undefined;
    return presentApplication(application, {
      t: request.t,
      locale: request.locale,
      scope: await scopeItems(),
      confirmations: await repo.listConfirmations(ctx.db, application.id),
      company,
    });
  }

  // --- citizen pages -----------------------------------------------------------------------------------

  app.get('/enterprise', { config: { access: 'citizen' } }, async (request, reply) => {
    const actor = request.actor!;
    const now = ctx.clock.now();
    const user = await getUserById(ctx.db, actor.userId);
    const pending = user?.idNumber ? await repo.listPendingConfirmationsFor(ctx.db, user.idNumber) : [];
    const apps = await repo.listApplicationsOf(ctx.db, actor.userId);
    const companyNames = new Map<string, string>();
    for (const a of apps)
      if (a.companyId && !companyNames.has(a.companyId)) companyNames.set(a.companyId, (await repo.findCompany(ctx.db, a.companyId))?.name ?? '');
    const memberships = await listEnterprisesOf(ctx.db, actor.userId);
    return sendPage(
      request,
      reply,
      <EnterpriseHomePage
        v={{
          names: (await repo.listNamesOf(ctx.db, actor.userId)).map((n) => ({
            id: n.id,
            fullName: n.fullName,
            status: request.t(
              nameIsUsable(n, now) ? 'enterprise.nameStatus.reserved' : `enterprise.nameStatus.${n.status === 'reserved' ? 'expired' : n.status}`,
            ),
            until: nameIsUsable(n, now) ? request.t('enterprise.name.until', { until: dateTimeText(n.reservedUntil, request.locale) }) : '',
          })),
          applications: apps.map((a) => ({
            id: a.id,
            title: applicationTitle(a, request.t, a.companyId ? companyNames.get(a.companyId) : undefined),
            status: request.t(`enterprise.status.${a.status}`),
            submittedAt: dateTimeText(a.submittedAt, request.locale),
          })),
          confirmations: pending.map((p) => ({
            id: p.applicationId,
            name: (p.data as EstablishmentData).name,
            roles: p.roles.map((r) => request.t(`enterprise.role.${r}`)).join('、'),
          })),
          companies: memberships.map((m) => ({ uscc: m.uscc, name: m.name, mayChange: m.role !== 'accountant' })),
        }}
      />,
    );
  });

  const nameForm = (request: FastifyRequest, reply: FastifyReply, values: FormValues, problems: NameProblem[], status = 200) => {
    const errorText: Record<string, string> = {};
    for (const p of problems) errorText[p.field] ??= nameProblemText(p, request);
    return sendPage(
      request,
      reply,
      <NameFormPage
        values={values}
        errorText={errorText}
        divisions={divisionOptions()}
        industries={industryOptions(request.locale)}
        orgForms={orgFormOptions(request.locale)}
      />,
      status,
    );
  };

  app.get('/enterprise/names/new', { config: { access: 'citizen' } }, async (request, reply) => nameForm(request, reply, { division: '成都' }, []));

  app.post('/enterprise/names', { config: { access: 'citizen' } }, async (request, reply) => {
    const b = bodyOf(request);
    const result = await declareName(ctx, request.actor!, normaliseNameParts(b), ip(request));
    if (!result.ok) return nameForm(request, reply, formValues(b), result.check.problems, 400);
    return reply.redirect(`/enterprise/names/${result.name.id}`, 303);
  });

  app.get<{ Params: Static<typeof IdParam> }>(
    '/enterprise/names/:id',
    { config: { access: 'citizen' }, schema: { params: IdParam } },
    async (request, reply) => {
      const name = await getOwnName(ctx.db, request.actor!, request.params.id);
      const usable = nameIsUsable(name, ctx.clock.now());
      return sendPage(
        request,
        reply,
        <NameReservedPage
          v={{
            id: name.id,
            fullName: name.fullName,
            until: dateTimeText(name.reservedUntil, request.locale),
            usable,
            status: request.t(`enterprise.nameStatus.${usable ? 'reserved' : name.status === 'reserved' ? 'expired' : name.status}`),
          }}
        />,
      );
    },
  );

  /** The district and business-scope choices of the establishment and change forms, in the reader's language. */
  const formChoices = async (request: FastifyRequest) => ({
    districts: districtOptions(request.locale),
    scope: scopeOptions(await scopeItems(), request.locale, request.t),
  });

  const establishForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    name: repo.NameRow,
    values: FormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    sendPage(
      request,
      reply,
      <EstablishFormPage name={{ id: name.id, fullName: name.fullName }} values={values} errors={errors} {...await formChoices(request)} />,
      status,
    );

  app.get<{ Querystring: { name?: string } }>(
    '/enterprise/establish',
    { config: { access: 'citizen' }, schema: { querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 64 })) }) } },
    async (request, reply) => {
      const name = await getOwnName(ctx.db, request.actor!, request.query.name ?? '');
      if (!nameIsUsable(name, ctx.clock.now())) return reply.redirect(`/enterprise/names/${name.id}`);
      return establishForm(request, reply, name, {}, {});
    },
  );

  app.post('/enterprise/establish', { config: { access: 'citizen' } }, async (request, reply) => {
    const b = bodyOf(request);
    const name = await getOwnName(ctx.db, request.actor!, str(b, 'nameId'));
    return orRerender(
      async () => {
        const application = await submitEstablishment(ctx, request.actor!, establishmentFromForm(b), ip(request));
        return reply.redirect(`/enterprise/applications/${application.id}?submitted=1`, 303);
      },
      (errors) => establishForm(request, reply, name, formValues(b), errors, 400) as unknown as FastifyReply,
    );
  });

  app.get<{ Params: Static<typeof IdParam>; Querystring: { submitted?: string } }>(
    '/enterprise/applications/:id',
    { config: { access: 'citizen' }, schema: { params: IdParam } },
    async (request, reply) => {
      const application = await getApplicationFor(ctx.db, request.actor!, request.params.id);
      const notice = request.query.submitted
        ? request.t(application.kind === 'establishment' ? 'enterprise.app.submittedNotice' : 'enterprise.change.submittedNotice')
        : undefined;
      return sendPage(request, reply, <ApplicationPage v={await appView(request, application)} notice={notice} />);
    },
  );

  /** A person listed in an establishment: the page to confirm it. */
  async function confirmationFor(request: FastifyRequest, id: string) {
    const user = await getUserById(ctx.db, request.actor!.userId);
    const application = isUuid(id) ? await repo.findApplication(ctx.db, id) : undefined;
    const mine = application && user?.idNumber ? (await repo.listConfirmations(ctx.db, application.id)).find((c) => c.idNumber === user.idNumber) : undefined;
    if (!application || !mine) throw new NotFoundError('No such application for you');
    return { application, mine };
  }

  app.get<{ Params: Static<typeof IdParam> }>(
    '/enterprise/confirm/:id',
    { config: { access: 'citizen' }, schema: { params: IdParam } },
    async (request, reply) => {
      const { application, mine } = await confirmationFor(request, request.params.id);
      return sendPage(
        request,
        reply,
        <ConfirmPage
          v={await appView(request, application)}
          mine={mine.roles.map((r) => request.t(`enterprise.role.${r}`)).join('、')}
          done={mine.confirmedAt !== null || application.status !== 'awaiting_confirmation'}
        />,
      );
    },
  );

  app.post<{ Params: Static<typeof IdParam> }>(
    '/enterprise/confirm/:id',
    { config: { access: 'citizen' }, schema: { params: IdParam } },
    async (request, reply) => {
      await confirmationFor(request, request.params.id);
      await confirmEstablishment(ctx, request.actor!, request.params.id, ip(request));
      return reply.redirect(`/enterprise/confirm/${request.params.id}`, 303);
    },
  );

  const changeForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    company: repo.CompanyRow,
    values: FormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    sendPage(
      request,
      reply,
      <ChangeFormPage company={{ uscc: company.uscc, name: company.name }} values={values} errors={errors} {...await formChoices(request)} />,
      status,
    );

  app.get<{ Params: Static<typeof UsccParam> }>(
    '/enterprise/companies/:uscc/change',
    { config: { access: 'citizen' }, schema: { params: UsccParam } },
    async (request, reply) => {
      const c = await companyActedFor(ctx.db, request.actor!, request.params.uscc);
      return changeForm(
        request,
        reply,
        c,
        {
          scopeCodes: c.scopeCodes,
          scopeText: c.scopeText,
          district: c.district,
          addressDetail: c.addressDetail,
          registeredCapital: yuanToWan(c.registeredCapitalYuan),
        },
        {},
      );
    },
  );

  app.post<{ Params: Static<typeof UsccParam> }>(
    '/enterprise/companies/:uscc/change',
    { config: { access: 'citizen' }, schema: { params: UsccParam } },
    async (request, reply) => {
      const c = await companyActedFor(ctx.db, request.actor!, request.params.uscc);
      const b = bodyOf(request);
      const rep = { name: str(b, 'legalRepresentative.name'), idNumber: str(b, 'legalRepresentative.idNumber') };
      const input: ChangeInput = {
        scope: { codes: arr(b, 'scopeCodes'), text: str(b, 'scopeText') },
        address: { district: str(b, 'district'), detail: str(b, 'addressDetail') },
        registeredCapitalYuan: wanToYuan(str(b, 'registeredCapital')),
        // The new legal representative fields are left empty unless the representative changes.
        legalRepresentative: rep.name.trim() || rep.idNumber.trim() ? rep : undefined,
      };
      return orRerender(
        async () => {
          const application = await submitChange(ctx, request.actor!, c.uscc, input, ip(request));
          return reply.redirect(`/enterprise/applications/${application.id}?submitted=1`, 303);
        },
        (errors) => changeForm(request, reply, c, formValues(b), errors, 400) as unknown as FastifyReply,
      );
    },
  );

  // --- staff pages -------------------------------------------------------------------------------------

  const amrStaff = { staff: ['clerk', 'reviewer', 'approver', 'dept_admin'] } as const;
  const staffAccess = { access: { staff: [...amrStaff.staff] } };

  app.get('/staff/enterprise', { config: staffAccess }, async (request, reply) => {
    if (!mayDecide(request.actor)) throw new ForbiddenError();
    const rows = await repo.listQueue(ctx.db);
    const out = [];
    for (const a of rows) {
      const company = a.companyId ? await repo.findCompany(ctx.db, a.companyId) : undefined;
      out.push({
        id: a.id,
        title: applicationTitle(a, request.t, company?.name),
        status: request.t(`enterprise.status.${a.status}`),
        submittedAt: dateTimeText(a.submittedAt, request.locale),
      });
    }
    return sendPage(request, reply, <StaffQueuePage rows={out} />);
  });

  const staffApplication = async (request: FastifyRequest, reply: FastifyReply, id: string, errors: Record<string, string> = {}, status = 200) => {
    const application = await getApplicationFor(ctx.db, request.actor!, id);
    const actions: ('accept' | 'approve' | 'reject')[] = [];
    if (application.status === 'submitted' && mayAccept(request.actor)) actions.push('accept');
    if (application.status === 'accepted' && mayApprove(request.actor)) actions.push('approve');
    if (['submitted', 'accepted'].includes(application.status) && mayDecide(request.actor)) actions.push('reject');
    return sendPage(request, reply, <StaffApplicationPage v={await appView(request, application)} actions={actions} errors={errors} />, status);
  };

  app.get<{ Params: Static<typeof IdParam> }>(
    '/staff/enterprise/applications/:id',
    { config: staffAccess, schema: { params: IdParam } },
    async (request, reply) => staffApplication(request, reply, request.params.id),
  );
  app.post<{ Params: Static<typeof IdParam> }>(
    '/staff/enterprise/applications/:id/accept',
    { config: staffAccess, schema: { params: IdParam } },
    async (request, reply) => {
      await acceptApplication(ctx, request.actor!, request.params.id, ip(request));
      return reply.redirect(`/staff/enterprise/applications/${request.params.id}`, 303);
    },
  );
  app.post<{ Params: Static<typeof IdParam> }>(
    '/staff/enterprise/applications/:id/approve',
    { config: staffAccess, schema: { params: IdParam } },
    async (request, reply) => {
      await decideApplication(ctx, request.actor!, request.params.id, 'approve', '', ip(request));
      return reply.redirect(`/staff/enterprise/applications/${request.params.id}`, 303);
    },
  );
  app.post<{ Params: Static<typeof IdParam> }>(
    '/staff/enterprise/applications/:id/reject',
    { config: staffAccess, schema: { params: IdParam } },
    async (request, reply) =>
      orRerender(
        async () => {
          await decideApplication(ctx, request.actor!, request.params.id, 'reject', str(bodyOf(request), 'reason'), ip(request));
          return reply.redirect(`/staff/enterprise/applications/${request.params.id}`, 303);
        },
        (errors) => staffApplication(request, reply, request.params.id, errors, 400) as unknown as FastifyReply,
      ),
  );

  // 注销登记 and the company's licences, for the registration authority.
  const staffCompany = async (
    request: FastifyRequest,
    reply: FastifyReply,
    uscc: string,
    opts: { errors?: Record<string, string>; reason?: string; notice?: string; status?: number } = {},
  ) => {
    if (!mayDecide(request.actor)) throw new ForbiddenError();
    const c = await repo.findCompanyByUscc(ctx.db, uscc.trim().toUpperCase());
    if (!c) throw new NotFoundError('No such company');
    const t = request.t;
    const licences = (await listLicencesOf(ctx.db, c.uscc)).map((l) => ({
      id: l.credentialId,
      issuedOn: dateTimeText(l.issuedAt, request.locale),
      state: t(`certificates.licence.state.${l.state}`),
      stateCode: l.state,
      current: l.credentialId === c.licenceId,
    }));
    const v = {
      uscc: c.uscc,
      name: c.name,
      status: c.status,
      fields: [
        { label: t('enterprise.field.uscc'), value: c.uscc },
        { label: t('enterprise.field.legalRepresentative'), value: c.legalRepresentative.name },
        { label: t('enterprise.field.establishedOn'), value: c.establishedOn },
        { label: t('enterprise.field.authority'), value: c.registrationAuthority },
      ],
      licences,
    };
    return sendPage(
      request,
      reply,
      <StaffCompanyPage v={v} mayDeregister={mayDeregister(request.actor)} errors={opts.errors ?? {}} reason={opts.reason ?? ''} notice={opts.notice} />,
      opts.status ?? 200,
    );
  };
  app.get<{ Querystring: { uscc?: string } }>(
    '/staff/enterprise/companies',
    { config: staffAccess, schema: { querystring: Type.Object({ uscc: Type.Optional(Type.String({ maxLength: 30 })) }) } },
    async (request, reply) => {
      if (!mayDecide(request.actor)) throw new ForbiddenError();
      const c = await repo.findCompanyByUscc(ctx.db, (request.query.uscc ?? '').trim().toUpperCase());
      if (!c) throw new NotFoundError(request.t('enterprise.staffCompany.notFound'));
      return reply.redirect(`/staff/enterprise/companies/${c.uscc}`, 303);
    },
  );
  app.get<{ Params: Static<typeof UsccParam>; Querystring: { done?: string } }>(
    '/staff/enterprise/companies/:uscc',
    { config: staffAccess, schema: { params: UsccParam, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) =>
      staffCompany(request, reply, request.params.uscc, request.query.done ? { notice: request.t('enterprise.staffCompany.deregistered') } : {}),
  );
  app.post<{ Params: Static<typeof UsccParam> }>(
    '/staff/enterprise/companies/:uscc/deregister',
    { config: staffAccess, schema: { params: UsccParam } },
    async (request, reply) => {
      const reason = str(bodyOf(request), 'reason').slice(0, 2000);
      try {
        const c = await deregisterCompany(ctx, request.actor!, request.params.uscc, reason, ip(request));
        return reply.redirect(`/staff/enterprise/companies/${c.uscc}?done=1`, 303);
      } catch (error) {
        if (error instanceof ValidationError) return staffCompany(request, reply, request.params.uscc, { errors: error.fields, reason, status: 400 });
        if (error instanceof ConflictError)
          return staffCompany(request, reply, request.params.uscc, { errors: { _form: 'enterprise.staffCompany.error.state' }, reason, status: 409 });
        throw error;
      }
    },
  );

  const wordsPage = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: Record<string, string>, status = 200, notice?: string) => {
    const words = (await repo.listForbiddenWords(ctx.db)).map((w) => ({ id: w.id, word: w.word, reason: request.locale === 'en' ? w.reasonEn : w.reasonZh }));
    return sendPage(request, reply, <ForbiddenWordsPage words={words} values={values} errors={errors} notice={notice} />, status);
  };
  const wordsAccess = { access: { staff: ['dept_admin' as const] } };
  app.get<{ Querystring: { done?: string } }>('/staff/enterprise/forbidden-words', { config: wordsAccess }, async (request, reply) => {
    if (!mayEditForbiddenWords(request.actor)) throw new ForbiddenError();
    return wordsPage(request, reply, {}, {}, 200, request.query.done ? request.t('enterprise.words.saved') : undefined);
  });
  app.post('/staff/enterprise/forbidden-words', { config: wordsAccess }, async (request, reply) => {
    if (!mayEditForbiddenWords(request.actor)) throw new ForbiddenError();
    const b = bodyOf(request);
    return orRerender(
      async () => {
        await addForbiddenWord(ctx, request.actor!, { word: str(b, 'word'), reasonZh: str(b, 'reasonZh'), reasonEn: str(b, 'reasonEn') }, ip(request));
        return reply.redirect('/staff/enterprise/forbidden-words?done=1', 303);
      },
      (errors) => wordsPage(request, reply, formValues(b), errors, 400) as unknown as FastifyReply,
    );
  });
  app.post<{ Params: Static<typeof IdParam> }>(
    '/staff/enterprise/forbidden-words/:id/delete',
    { config: wordsAccess, schema: { params: IdParam } },
    async (request, reply) => {
      if (!mayEditForbiddenWords(request.actor)) throw new ForbiddenError();
      await removeForbiddenWord(ctx, request.actor!, request.params.id, ip(request));
      return reply.redirect('/staff/enterprise/forbidden-words?done=1', 303);
    },
  );

  // --- publicity ---------------------------------------------------------------------------------------

  const search = async (q: string, page: number) => {
    const rows = await repo.searchCompanies(ctx.db, q.trim().slice(0, 60), pageSize + 1, (page - 1) * pageSize);
    return { rows: rows.slice(0, pageSize), hasNext: rows.length > pageSize };
  };

  app.get<{ Querystring: Static<typeof RegisterQuery> }>(
    '/enterprises',
    { config: { access: 'public' }, schema: { querystring: RegisterQuery } },
    async (request, reply) => {
      const q = request.query.q ?? '';
      const page = Number(request.query.page ?? '1');
      const { rows, hasNext } = await search(q, page);
      return sendPage(
        request,
        reply,
        <RegisterPage
          q={q}
          page={page}
          hasNext={hasNext}
          rows={rows.map((c) => ({
            uscc: c.uscc,
            name: c.name,
            legalRep: c.legalRepresentative.name,
            establishedOn: c.establishedOn,
            status: request.t(`enterprise.companyStatus.${c.status}`),
          }))}
        />,
      );
    },
  );

  app.get<{ Params: Static<typeof UsccParam> }>(
    '/enterprises/:uscc',
    { config: { access: 'public' }, schema: { params: UsccParam } },
    async (request, reply) => {
      const c = await repo.findCompanyByUscc(ctx.db, request.params.uscc.trim().toUpperCase());
      if (!c) throw new NotFoundError('No such company');
      const p = publicCompany(c, await scopeItems(), request.locale);
      const licence = c.licenceId ? await getLicence(ctx.db, c.licenceId) : undefined;
      const t = request.t;
      const fields = [
        { label: t('enterprise.field.uscc'), value: p.uscc },
        { label: t('enterprise.field.type'), value: p.type },
        { label: t('enterprise.field.legalRepresentative'), value: p.legalRepresentative },
        { label: t('enterprise.field.registeredCapital'), value: p.registeredCapital },
        { label: t('enterprise.field.establishedOn'), value: p.establishedOn },
        { label: t('enterprise.field.address'), value: p.address },
        { label: t('enterprise.field.scope'), value: p.businessScope },
        { label: t('enterprise.field.authority'), value: p.registrationAuthority },
        { label: t('enterprise.field.status'), value: t(`enterprise.companyStatus.${p.status}`) },
        { label: t('enterprise.field.licence'), value: licence ? t(`certificates.licence.state.${licence.state}`) : t('enterprise.field.licence.none') },
        { label: t('enterprise.est.shareholders'), value: p.shareholders.map((s) => s.name).join('、') },
      ];
      const changes = (await repo.listChanges(ctx.db, c.id)).map((r) => ({
        at: dateTimeText(r.at, request.locale),
        item: t(`enterprise.changeItem.${r.item}`),
        before: r.before,
        after: r.after,
      }));
      return sendPage(request, reply, <CompanyPage v={{ name: p.name, fields, changes }} />);
    },
  );

  // --- API ---------------------------------------------------------------------------------------------

  const nameProblemsJson = (request: FastifyRequest, problems: NameProblem[]) =>
    problems.map((p) => ({
      field: p.field,
      code: p.key.replace('enterprise.name.error.', ''),
      message: nameProblemText(p, request),
      ...(p.params?.name ? { conflictsWith: p.params.name } : {}),
    }));

  app.post<{ Body: Static<typeof NameBody> }>(
    '/api/v1/enterprise/names/check',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprise'],
        summary: 'Check a company name without reserving it',
        security: [{ bearer: [] }],
        body: NameBody,
        response: { 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const check = await checkName(ctx.db, normaliseNameParts(request.body), ctx.clock.now());
      return { name: check.fullName, ok: check.problems.length === 0, problems: nameProblemsJson(request, check.problems) };
    },
  );

  app.post<{ Body: Static<typeof NameBody> }>(
    '/api/v1/enterprise/names',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['enterprise'],
        summary: 'Declare a company name (名称自主申报); reserved for 30 days when every check passes',
        security: [{ bearer: [] }],
        body: NameBody,
        response: { 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const result = await declareName(ctx, request.actor!, normaliseNameParts(request.body), ip(request));
      if (!result.ok)
        throw new HttpError(400, 'validation', 'The name cannot be declared', {
          name: result.check.fullName,
          problems: nameProblemsJson(request, result.check.problems),
          errors: Object.fromEntries(result.check.problems.map((p) => [p.field, p.key])),
        });
      return reply.status(201).send({ id: result.name.id, name: result.name.fullName, reservedUntil: result.name.reservedUntil?.toISOString() ?? null });
    },
  );

  app.post<{ Body: Static<typeof EstablishmentBody> }>(
    '/api/v1/enterprise/establishments',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['enterprise'],
        summary: 'Apply for establishment registration of a limited company (设立登记); every person named then confirms',
        security: [{ bearer: [] }],
        body: EstablishmentBody,
        response: { 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const application = await submitEstablishment(
        ctx,
        request.actor!,
        {
          nameId: b.nameId,
          district: b.address.district,
          addressDetail: b.address.detail,
          scopeCodes: b.businessScope.items,
          scopeText: b.businessScope.text ?? '',
          registeredCapitalYuan: b.registeredCapitalYuan,
          legalRepresentative: b.legalRepresentative,
          shareholders: b.shareholders,
          officers: b.officers,
        },
        ip(request),
      );
      return reply.status(201).send(applicationJson(application, undefined, await repo.listConfirmations(ctx.db, application.id)));
    },
  );

  app.post<{ Params: Static<typeof IdParam> }>(
    '/api/v1/enterprise/applications/:id/confirm',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['enterprise'],
        summary: 'Confirm an establishment you are named in (signed in with your real-name account)',
        security: [{ bearer: [] }],
        params: IdParam,
        response: { 401: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const application = await confirmEstablishment(ctx, request.actor!, request.params.id, ip(request));
      return { id: application.id, status: application.status };
    },
  );

  app.get<{ Params: Static<typeof IdParam> }>(
    '/api/v1/enterprise/applications/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprise'],
        summary: 'An enterprise registration application (applicant or AMR staff)',
        security: [{ bearer: [] }],
        params: IdParam,
        response: { 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const application = await getApplicationFor(ctx.db, request.actor!, request.params.id);
      const company = application.companyId ? await repo.findCompany(ctx.db, application.companyId) : undefined;
      return applicationJson(application, company, await repo.listConfirmations(ctx.db, application.id));
    },
  );

  app.post<{ Params: Static<typeof UsccParam>; Body: Static<typeof ChangeBody> }>(
    '/api/v1/enterprise/companies/:uscc/changes',
    {
      config: { access: 'citizen' },
      schema: {
        tags: ['enterprise'],
        summary: 'Apply for change registration (变更登记); a scope change needing no prior permit is decided by the system at once',
        security: [{ bearer: [] }],
        params: UsccParam,
        body: ChangeBody,
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const application = await submitChange(
        ctx,
        request.actor!,
        request.params.uscc,
        {
          scope: b.businessScope ? { codes: b.businessScope.items, text: b.businessScope.text ?? '' } : undefined,
          address: b.address,
          legalRepresentative: b.legalRepresentative,
          registeredCapitalYuan: b.registeredCapitalYuan,
        },
        ip(request),
      );
      return reply.status(201).send(applicationJson(application, undefined, []));
    },
  );

  for (const action of ['accept', 'approve', 'reject'] as const) {
    app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof RejectBody> | undefined }>(
      `/api/v1/enterprise/applications/:id/${action}`,
      {
        config: staffAccess,
        schema: {
          tags: ['enterprise'],
          summary: `AMR staff: ${action} an application`,
          security: [{ bearer: [] }],
          params: IdParam,
          ...(action === 'reject' ? { body: RejectBody } : {}),
          response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const application =
          action === 'accept'
            ? await acceptApplication(ctx, request.actor!, request.params.id, ip(request))
            : await decideApplication(ctx, request.actor!, request.params.id, action, request.body?.reason ?? '', ip(request));
        return { id: application.id, status: application.status };
      },
    );
  }

  app.get<{ Querystring: Static<typeof RegisterQuery> }>(
    '/api/v1/enterprises',
    {
      config: { access: 'public' },
      schema: { tags: ['enterprise'], summary: 'Search the public register by name or credit code', querystring: RegisterQuery, response: { 400: Problem } },
    },
    async (request) => {
      const page = Number(request.query.page ?? '1');
      const { rows, hasNext } = await search(request.query.q ?? '', page);
      const scope = await scopeItems();
      return { items: rows.map((c) => publicCompany(c, scope, request.locale)), page, hasNext };
    },
  );

  app.get<{ Params: Static<typeof UsccParam> }>(
    '/api/v1/enterprises/:uscc',
    {
      config: { access: 'public' },
      schema: { tags: ['enterprise'], summary: "A company's public registration details and changes", params: UsccParam, response: { 404: Problem } },
    },
    async (request) => {
      const c = await repo.findCompanyByUscc(ctx.db, request.params.uscc.trim().toUpperCase());
      if (!c) throw new NotFoundError('No such company');
      return { ...publicCompany(c, await scopeItems(), request.locale), changes: (await repo.listChanges(ctx.db, c.id)).map(publicChange) };
    },
  );
}
