import { formBodyOf, multipartBodyOf, type FormBody } from '../../platform/http/form-body.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { fileTypeFromBuffer } from 'file-type';
import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';
import { ConflictError, HttpError, NotFoundError, TooManyRequestsError, ValidationError } from '../../platform/http/errors.js';
import { createLimiter } from '../../platform/http/rate-limit.js';
import { formatMoney, type Locale, type Translate } from '../../platform/i18n/i18n.js';
import { sendPage } from '../../platform/views/render.js';
import type { FieldErrors } from '../../platform/views/components.js';
import { checkMobile } from '../identity/index.js';
import type { FormDefinition } from '../catalog/index.js';
import { chengduDistricts } from '../catalog/catalog.definitions.js';
import { formFields, isFieldVisible, validateFormData, visibleFields } from './cases.forms.js';
import { availableActions, canWithdraw, workflowRolesOf } from './cases.workflow.js';
import * as svc from './cases.page-service.js';
import type { OwnApplication, StaffApplication } from './cases.page-service.js';
import { ApplyStartPage, CheckAnswersPage, ConfirmationPage, DeliveryPage, StepPage, type AnswerRow } from './views/apply.js';
import { ApplicationDetailPage, CorrectionPage, MyApplicationsPage, RatePage, WithdrawPage, type ApplicationCard } from './views/mine.js';
import { StatusCheckPage } from './views/status.js';
import { CalendarPage, StaffCasePage, StaffQueuePage, type QueueRow } from './views/staff.js';
import {
  defaultAccept,
  departmentLabel,
  displayValue,
  districtOptions,
  echoOf,
  fieldView,
  isPrefilled,
  pick,
  prefilledViews,
  when,
  type DepartmentNames,
  type Echo,
} from './views/present.js';

/* ---------- form bodies ---------- */

type Body = FormBody;
const maxFieldChars = 20_000;
const bodyOf = (request: FastifyRequest): Body => formBodyOf(request, maxFieldChars);

function listOf(request: FastifyRequest, key: string): string[] {
  const raw = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  const v = raw[key];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, 100);
}

// Names and addresses never hold control characters; a pasted one is refused rather than stored.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IdParams = Type.Object({ id: Type.String() });
const StepParams = Type.Object({ id: Type.String(), page: Type.String() });

/* ---------- helpers over the form ---------- */

/** The pages a person goes through for the answers so far (a page whose fields are all hidden is skipped). */
function pagesFor(form: FormDefinition, data: Record<string, unknown>) {
  return form['x-ui'].pages.filter((p) => visibleFields(form, data, p.id).length > 0);
}

/**
 * The fields of a page the person fills in: not already held by the government, and shown. Without
 * JavaScript nothing can appear on a click, so a field that depends on an answer on the same page is
 * always rendered, with a hint saying when it is needed.
 */
function editableFields(form: FormDefinition, data: Record<string, unknown>, pageId: string) {
  const onPage = new Set(form['x-ui'].pages.find((p) => p.id === pageId)?.fields ?? []);
  return formFields(form).filter(
    (f) => onPage.has(f.name) && !isPrefilled(f.ui, data, f.name) && (!f.ui.showIf || onPage.has(f.ui.showIf.field) || isFieldVisible(f.ui, data)),
  );
}

/* ---------- routes ---------- */

export async function registerCasePages(app: App, ctx: AppContext): Promise<void> {
  const { db } = ctx;
  const statusLimiter = createLimiter(20, 600);
  const receiptLimiter = createLimiter(5, 600);
  svc.registerMaterialPolicy(ctx);

  const departments = async (): Promise<DepartmentNames> => svc.departmentNames(db);
  const t = (request: FastifyRequest): Translate => request.t;
  const loc = (request: FastifyRequest): Locale => request.locale;
  const statusLabel = (request: FastifyRequest, a: { status: string; workflow: OwnApplication['workflow'] }) => {
    const s = a.workflow.states[a.status];
    return s ? pick(request.locale, s.labelZh, s.labelEn) : request.t(`cases.status.${a.status}`);
  };
  const applicationPath = (id: string) => `/account/applications/${id}`;

  /** The applicant's own application, or 404 (never 403: the id reveals nothing about others' applications). */
  const own = async (request: FastifyRequest, id: string): Promise<OwnApplication> => {
    if (!uuidPattern.test(id)) throw new NotFoundError();
    const a = await svc.loadOwn(ctx, request.actor!, id);
    if (!a) throw new NotFoundError();
    return a;
  };
  const editable = (a: OwnApplication) => a.status === 'draft' || a.status === 'correction_requested';

  /* ----- start ----- */

  app.get('/services/:code/apply', { config: { access: 'citizen' }, schema: { params: Type.Object({ code: Type.String() }) } }, async (request, reply) => {
    const actor = request.actor!;
    const item = await svc.publishedItem(db, request.params.code);
    if (!item) throw new NotFoundError();
    const l = loc(request);
    const forCompany = item.content.applicantKinds.includes('enterprise') && actor.actingFor !== null;
    const blocked = svc.applicantBlock(item.content.applicantKinds, actor);
    const drafts = blocked ? [] : await svc.draftsFor(ctx, actor, item.code);
    const form = item.content.formDefinition;
    return sendPage(
      request,
      reply,
      <ApplyStartPage
        v={{
          code: item.code,
          serviceName: pick(l, item.content.nameZh, item.content.nameEn),
          applicantName: forCompany && actor.actingFor ? actor.actingFor.name : actor.realName,
          forCompany,
          blocked,
          steps: [
            ...form['x-ui'].pages.map((p) => pick(l, p.titleZh, p.titleEn)),
            t(request)('cases.page.start.stepDelivery'),
            t(request)('cases.page.start.stepCheck'),
          ],
          promised: t(request)(`catalog.limit.${item.content.promisedLimit.unit}`, { n: item.content.promisedLimit.value }),
          fee: item.content.feeFen > 0 ? formatMoney(l, item.content.feeFen) : null,
          drafts: drafts.map((d) => ({ href: `${applicationPath(d.id)}/steps/first`, updated: when(l, d.updatedAt) ?? '' })),
        }}
      />,
    );
  });

  app.post('/services/:code/apply', { config: { access: 'citizen' }, schema: { params: Type.Object({ code: Type.String() }) } }, async (request, reply) => {
    const actor = request.actor!;
    const item = await svc.publishedItem(db, request.params.code);
    if (!item) throw new NotFoundError();
    if (svc.applicantBlock(item.content.applicantKinds, actor)) return reply.redirect(`/services/${encodeURIComponent(item.code)}/apply`, 303);
    const id = await svc.startDraft(ctx, actor, item.code, request.ip);
    return reply.redirect(`${applicationPath(id)}/steps/first`, 303);
  });

  /* ----- form steps ----- */

  const renderStep = async (request: FastifyRequest, reply: FastifyReply, a: OwnApplication, pageId: string, echo: Echo, errors: FieldErrors, status = 200) => {
    const l = loc(request);
    const form = a.form;
    const pages = pagesFor(form, a.data);
    const index = pages.findIndex((p) => p.id === pageId);
    const page = pages[index];
    if (!page) throw new NotFoundError();
    const fields = editableFields(form, a.data, page.id);
    const names = await svc.fileNames(ctx, a);
    const ret = (request.query as Record<string, unknown>).return === 'check';
    const back =
      a.status === 'correction_requested'
        ? `${applicationPath(a.id)}/correct`
        : ret
          ? `${applicationPath(a.id)}/check`
          : index > 0
            ? `${applicationPath(a.id)}/steps/${encodeURIComponent(pages[index - 1]!.id)}`
            : `/services/${encodeURIComponent(a.serviceCode)}/apply`;
    return sendPage(
      request,
      reply,
      <StepPage
        v={{
          applicationId: a.id,
          serviceName: a.serviceName(l),
          stepNo: index + 1,
          stepCount: pages.length + 2,
          title: pick(l, page.titleZh, page.titleEn),
          pageId: page.id,
          fields: fields.map((f) => fieldView(request.t, l, form, f.name, { required: f.required, echo, error: errors[f.name], fileNames: names })),
          prefilled: prefilledViews(l, form, page.fields, a.data, await departments()),
          backHref: back,
          multipart: fields.some((f) => f.ui.widget === 'file'),
          errors,
        }}
      />,
      status,
    );
  };

  app.get('/account/applications/:id/steps/:page', { config: { access: 'citizen' }, schema: { params: StepParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (!editable(a)) return reply.redirect(applicationPath(a.id), 303);
    const pages = pagesFor(a.form, a.data);
    if (request.params.page === 'first') return reply.redirect(`${applicationPath(a.id)}/steps/${encodeURIComponent(pages[0]?.id ?? '')}`, 303);
    return renderStep(request, reply, a, request.params.page, echoOf(a.form, a.data), {});
  });

  app.post('/account/applications/:id/steps/:page', { config: { access: 'citizen' }, schema: { params: StepParams } }, async (request, reply) => {
    const actor = request.actor!;
    const a = await own(request, request.params.id);
    if (!editable(a)) return reply.redirect(applicationPath(a.id), 303);
    const form = a.form;
    const pageId = request.params.page;
    const pages = pagesFor(form, a.data);
    if (!pages.some((p) => p.id === pageId)) throw new NotFoundError();
    const { body, uploads } = request.isMultipart() ? await multipartBodyOf(request, maxFieldChars) : { body: bodyOf(request), uploads: [] };
    // Every field of the page the person may change, including hidden ones that may now show.
    const pageNames = (form['x-ui'].pages.find((p) => p.id === pageId)?.fields ?? []).filter((n) => !isPrefilled(form['x-ui'].fields[n]!, a.data, n));
    // The page's answers replace the saved ones (an unticked choice clears), uploads only when a new file came.
    const replaced = new Set(pageNames.filter((n) => form['x-ui'].fields[n]?.widget !== 'file'));
    const merged: Record<string, unknown> = Object.fromEntries(Object.entries(a.data).filter(([k]) => !replaced.has(k)));
    for (const n of replaced) {
      const ui = form['x-ui'].fields[n]!;
      if (ui.widget === 'chengduAddress') {
        merged[`${n}.district`] = body[`${n}.district`] ?? '';
        merged[`${n}.detail`] = body[`${n}.detail`] ?? '';
      } else if (body[n] !== undefined) merged[n] = body[n];
    }
    const uploadErrors: FieldErrors = {};
    for (const u of uploads) {
      const ui = form['x-ui'].fields[u.field];
      if (!ui || ui.widget !== 'file' || !pageNames.includes(u.field)) continue;
      const accept = ui.accept ?? defaultAccept;
      const maxBytes = Math.min(ui.maxBytes ?? 5 * 1024 * 1024, ctx.files.maxBytes);
      if (u.tooLarge || u.bytes.length > maxBytes) {
        uploadErrors[u.field] = 'cases.page.error.fileSize';
        continue;
      }
      // Decided from the bytes, never from the name or the browser's label.
      const detected = await fileTypeFromBuffer(u.bytes);
      if (!detected || !accept.includes(detected.mime)) {
        uploadErrors[u.field] = 'cases.page.error.fileType';
        continue;
      }
      merged[u.field] = await svc.storeMaterial(ctx, actor, a, u.field, u.bytes, u.filename);
    }
    const check = validateFormData(form, merged, { pageId });
    const errors: FieldErrors = {};
    for (const f of visibleFields(form, check.value, pageId)) {
      if (isPrefilled(f.ui, a.data, f.name)) continue;
      const e = uploadErrors[f.name] ?? (check.ok ? undefined : check.errors[f.name]);
      if (e) errors[f.name] = f.ui.widget === 'file' && e === 'cases.form.required' ? 'cases.page.error.fileRequired' : e;
    }
    // Saving may find the child named is not the applicant's (the exchange checks it when it reads the child's data).
    if (Object.keys(errors).length === 0) Object.assign(errors, (await svc.saveAnswers(ctx, actor, a, check.value, request.ip)).errors);
    if (Object.keys(errors).length > 0) {
      // Re-render with what was typed; fields that were not posted keep their saved answers.
      const echo: Echo = { ...echoOf(form, a.data) };
      for (const n of pageNames) {
        const ui = form['x-ui'].fields[n]!;
        if (ui.widget === 'chengduAddress') {
          echo[`${n}.district`] = body[`${n}.district`] ?? '';
          echo[`${n}.detail`] = body[`${n}.detail`] ?? '';
        } else if (ui.widget === 'file') {
          if (typeof merged[n] === 'string') echo[n] = merged[n];
        } else echo[n] = body[n] ?? '';
      }
      return renderStep(request, reply, a, pageId, echo, errors, 400);
    }
    const next = pagesFor(form, check.value);
    const index = next.findIndex((p) => p.id === pageId);
    if (a.status === 'correction_requested') return reply.redirect(`${applicationPath(a.id)}/correct`, 303);
    if ((request.query as Record<string, unknown>).return === 'check') return reply.redirect(`${applicationPath(a.id)}/check`, 303);
    const following = next[index + 1];
    return reply.redirect(following ? `${applicationPath(a.id)}/steps/${encodeURIComponent(following.id)}` : `${applicationPath(a.id)}/delivery`, 303);
  });

  /* ----- delivery ----- */

  const renderDelivery = async (request: FastifyRequest, reply: FastifyReply, a: OwnApplication, values: Body, errors: FieldErrors, status = 200) => {
    const pages = pagesFor(a.form, a.data);
    const last = pages[pages.length - 1];
    return sendPage(
      request,
      reply,
      <DeliveryPage
        v={{
          applicationId: a.id,
          serviceName: a.serviceName(loc(request)),
          options: a.deliveryOptions,
          chosen: values.method ?? '',
          recipientName: (values.recipientName ?? '').slice(0, 100),
          phone: (values.phone ?? '').slice(0, 20),
          district: values.district ?? '',
          detail: (values.detail ?? '').slice(0, 200),
          districts: districtOptions(),
          backHref: last ? `${applicationPath(a.id)}/steps/${encodeURIComponent(last.id)}` : applicationPath(a.id),
          errors,
        }}
      />,
      status,
    );
  };

  app.get('/account/applications/:id/delivery', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'draft') return reply.redirect(applicationPath(a.id), 303);
    const d = a.delivery;
    const address = svc.defaultAddress(a);
    const values: Body = {
      method: d?.method ?? (a.deliveryOptions.length === 1 ? a.deliveryOptions[0]! : ''),
      recipientName: d?.method === 'courier' ? d.recipientName : request.actor!.realName,
      phone: d?.method === 'courier' ? d.phone : typeof a.data.contactPhone === 'string' ? a.data.contactPhone : '',
      district: d?.method === 'courier' ? d.address.district : address.district,
      detail: d?.method === 'courier' ? d.address.detail : address.detail,
    };
    return renderDelivery(request, reply, a, values, {});
  });

  app.post('/account/applications/:id/delivery', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'draft') return reply.redirect(applicationPath(a.id), 303);
    const b = bodyOf(request);
    const values: Body = {
      method: b.method ?? '',
      recipientName: (b.recipientName ?? '').trim(),
      phone: (b.phone ?? '').trim(),
      district: b.district ?? '',
      detail: (b.detail ?? '').trim(),
    };
    const errors: FieldErrors = {};
    const method = a.deliveryOptions.find((o) => o === values.method);
    if (!method) errors.method = 'cases.page.error.method';
    if (method === 'courier') {
      if (!values.recipientName || values.recipientName.length > 50 || controlChars.test(values.recipientName) || /[<>]/.test(values.recipientName))
        errors.recipientName = 'cases.page.error.recipientName';
      if (!checkMobile(values.phone!).ok) errors.phone = 'cases.page.error.phone';
      if (!chengduDistricts.includes(values.district!)) errors.district = 'cases.page.error.district';
      if (values.detail!.length < 2 || values.detail!.length > 120 || controlChars.test(values.detail!)) errors.detail = 'cases.page.error.detail';
    }
    if (Object.keys(errors).length > 0 || !method) return renderDelivery(request, reply, a, values, errors, 400);
    await svc.saveDelivery(
      ctx,
      request.actor!,
      a,
      method === 'courier'
        ? { method, recipientName: values.recipientName!, phone: values.phone!, address: { district: values.district!, detail: values.detail! } }
        : { method },
    );
    return reply.redirect(`${applicationPath(a.id)}/check`, 303);
  });

  /* ----- check answers and submit ----- */

  const answerRows = (request: FastifyRequest, a: OwnApplication, names: ReadonlyMap<string, string>, depts: DepartmentNames, withChange: boolean) => {
    const l = loc(request);
    return pagesFor(a.form, a.data).map((p) => ({
      title: pick(l, p.titleZh, p.titleEn),
      rows: visibleFields(a.form, a.data, p.id).map((f): AnswerRow => {
        const held = isPrefilled(f.ui, a.data, f.name) && f.ui.prefill ? departmentLabel(l, depts, f.ui.prefill.heldBy) : undefined;
        return {
          key: f.name,
          label: pick(l, f.ui.labelZh, f.ui.labelEn),
          value: displayValue(l, f.ui, a.data[f.name], names),
          heldBy: held,
          changeHref: withChange && !held ? `${applicationPath(a.id)}/steps/${encodeURIComponent(p.id)}?return=check#${f.name}` : undefined,
        };
      }),
    }));
  };

  const deliveryText = (request: FastifyRequest, d: OwnApplication['delivery']): string | null => {
    if (!d) return null;
    if (d.method === 'courier')
      return request.t('cases.page.delivery.summaryCourier', { name: d.recipientName, phone: d.phone, address: `${d.address.district} ${d.address.detail}` });
    return request.t(`cases.page.delivery.${d.method}`);
  };

  app.get('/account/applications/:id/check', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'draft') return reply.redirect(applicationPath(a.id), 303);
    const check = validateFormData(a.form, a.data);
    if (!check.ok) {
      // Send the person to the first page with a missing or wrong answer.
      const first = pagesFor(a.form, a.data).find((p) => visibleFields(a.form, a.data, p.id).some((f) => f.name in check.errors));
      if (first) return reply.redirect(`${applicationPath(a.id)}/steps/${encodeURIComponent(first.id)}`, 303);
    }
    if (!a.delivery) return reply.redirect(`${applicationPath(a.id)}/delivery`, 303);
    return renderCheck(request, reply, a, {});
  });

  /** Check your answers; with the errors the case service found at submission (e.g. a child who is not the applicant's). */
  const renderCheck = async (request: FastifyRequest, reply: FastifyReply, a: OwnApplication, errors: Record<string, string>) => {
    const l = loc(request);
    const names = await svc.fileNames(ctx, a);
    return sendPage(
      request,
      reply,
      <CheckAnswersPage
        v={{
          applicationId: a.id,
          serviceName: a.serviceName(l),
          applicantName: a.actingForName ?? request.actor!.realName,
          sections: answerRows(request, a, names, await departments(), true),
          delivery: [
            {
              key: 'delivery',
              label: request.t('cases.page.delivery.legend'),
              value: deliveryText(request, a.delivery) ?? '—',
              changeHref: `${applicationPath(a.id)}/delivery`,
            },
          ],
          fee: a.feeFen > 0 ? formatMoney(l, a.feeFen) : null,
          backHref: `${applicationPath(a.id)}/delivery`,
          errors,
        }}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.post('/account/applications/:id/submit', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'draft') return reply.redirect(`${applicationPath(a.id)}/confirmation`, 303);
    const check = validateFormData(a.form, a.data);
    if (!check.ok || !a.delivery) return reply.redirect(`${applicationPath(a.id)}/check`, 303);
    try {
      await svc.submitDraft(ctx, request.actor!, a, request.ip);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.replace(/^data\./, ''), v]));
      return renderCheck(request, reply, a, errors);
    }
    return reply.redirect(`${applicationPath(a.id)}/confirmation`, 303);
  });

  app.get('/account/applications/:id/confirmation', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status === 'draft' || !a.receiptNo) return reply.redirect(`${applicationPath(a.id)}/check`, 303);
    const l = loc(request);
    const payment = await svc.paymentOf(ctx, a);
    return sendPage(
      request,
      reply,
      <ConfirmationPage
        v={{
          applicationId: a.id,
          serviceName: a.serviceName(l),
          receiptNo: a.receiptNo,
          promisedBy: when(l, a.promisedBy),
          status: statusLabel(request, a),
          payment: a.feeFen > 0 ? { amount: formatMoney(l, a.feeFen), status: payment?.status ?? 'none' } : null,
        }}
      />,
    );
  });

  // The payment provider sends the payer back to /applications/{id}: that is this page.
  app.get('/applications/:id', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    const q = request.query as Record<string, unknown>;
    return reply.redirect(`${applicationPath(a.id)}${typeof q.payment === 'string' ? '?payment=returned' : ''}`, 303);
  });

  app.post('/account/applications/:id/pay', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.feeFen <= 0 || a.status === 'draft') return reply.redirect(applicationPath(a.id), 303);
    const payUrl = await svc.startPayment(ctx, request.actor!, a);
    return reply.redirect(payUrl ?? applicationPath(a.id), 303);
  });

  /* ----- my applications ----- */

  const notices: Record<string, string> = {
    withdrawn: 'cases.page.notice.withdrawn',
    rated: 'cases.page.notice.rated',
    resubmitted: 'cases.page.notice.resubmitted',
  };
  const noticeOf = (request: FastifyRequest) => {
    const q = request.query as Record<string, unknown>;
    if (typeof q.payment === 'string') return 'cases.page.notice.paymentReturned';
    return typeof q.notice === 'string' ? notices[q.notice] : undefined;
  };

  app.get('/account/applications', { config: { access: 'citizen' } }, async (request, reply) => {
    const l = loc(request);
    const mine = await svc.listMine(ctx, request.actor!);
    const card = (a: OwnApplication): ApplicationCard => ({
      id: a.id,
      href: a.status === 'draft' ? `${applicationPath(a.id)}/steps/first` : applicationPath(a.id),
      serviceName: a.serviceName(l),
      receiptNo: a.receiptNo,
      status: statusLabel(request, a),
      statusCode: a.status,
      updated: when(l, a.updatedAt) ?? '',
      promisedBy: a.status === 'completed' ? null : when(l, a.promisedBy),
      todo:
        a.status === 'correction_requested'
          ? request.t('cases.page.todo.correct')
          : a.feeFen > 0 && !a.paidAt && a.status === 'submitted'
            ? request.t('cases.page.todo.pay')
            : a.status === 'completed' && a.rating === null
              ? request.t('cases.page.todo.rate')
              : null,
    });
    return sendPage(
      request,
      reply,
      <MyApplicationsPage
        drafts={mine.filter((a) => a.status === 'draft').map(card)}
        submitted={mine.filter((a) => a.status !== 'draft').map(card)}
        notice={noticeOf(request)}
      />,
    );
  });

  const labelOfItem = (request: FastifyRequest, a: OwnApplication, item: { field?: string | undefined; material?: string | undefined }) => {
    const l = loc(request);
    if (item.field) {
      const ui = a.form['x-ui'].fields[item.field];
      if (ui) return pick(l, ui.labelZh, ui.labelEn);
    }
    if (item.material) {
      const m = a.materials.find((x) => x.code === item.material);
      if (m) return pick(l, m.nameZh, m.nameEn);
    }
    return item.field ?? item.material ?? '';
  };

  app.get('/account/applications/:id', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status === 'draft') return reply.redirect(`${applicationPath(a.id)}/steps/first`, 303);
    const l = loc(request);
    const [timeline, payment, shipment, names] = await Promise.all([
      svc.publicTimeline(ctx, a),
      svc.paymentOf(ctx, a),
      svc.shipmentOf(ctx, a),
      svc.fileNames(ctx, a),
    ]);
    const depts = await departments();
    return sendPage(
      request,
      reply,
      <ApplicationDetailPage
        notice={noticeOf(request)}
        v={{
          id: a.id,
          serviceName: a.serviceName(l),
          receiptNo: a.receiptNo,
          status: statusLabel(request, a),
          statusCode: a.status,
          promisedBy: when(l, a.promisedBy),
          clockPaused: a.status === 'correction_requested',
          delivery: deliveryText(request, a.delivery),
          timeline: timeline.map((e) => ({
            at: when(l, e.at) ?? '',
            status: e.label(l),
            actor: e.actor,
            note: e.note,
          })),
          correction:
            a.status === 'correction_requested' && a.correction
              ? {
                  note: a.correctionNote,
                  items: a.correction.map((c) => ({ label: labelOfItem(request, a, c), reason: c.reason })),
                  href: `${applicationPath(a.id)}/correct`,
                }
              : null,
          canWithdraw: canWithdraw(a.workflow, a.status),
          payment:
            a.feeFen > 0
              ? {
                  amount: formatMoney(l, a.feeFen),
                  status: request.t(`cases.page.pay.status.${payment?.status ?? 'pending'}`),
                  statusCode: payment?.status ?? 'pending',
                  canPay: payment?.status !== 'paid' && payment?.status !== 'refunded' && !a.paidAt && ['submitted'].includes(a.status),
                }
              : null,
          shipment: shipment
            ? {
                trackingNo: shipment.trackingNo,
                status: request.t(`cases.page.shipment.status.${shipment.status}`),
                events: shipment.events.map((e) => ({
                  at: when(l, e.at) ?? '',
                  status: request.t(`cases.page.shipment.status.${e.status}`),
                  note: e.locationNote,
                })),
              }
            : null,
          canRate: a.status === 'completed' && a.rating === null,
          rating:
            a.rating !== null
              ? {
                  score: a.rating,
                  label: request.t(`cases.page.rating.score${a.rating}`),
                  comment: a.ratingComment,
                  at: when(l, a.ratedAt) ?? '',
                }
              : null,
          answers: answerRows(request, a, names, depts, false).flatMap((s) => s.rows.map((r) => ({ label: r.label, value: r.value }))),
        }}
      />,
    );
  });

  /* ----- withdraw ----- */

  app.get('/account/applications/:id/withdraw', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (!canWithdraw(a.workflow, a.status)) return reply.redirect(applicationPath(a.id), 303);
    return sendPage(request, reply, <WithdrawPage id={a.id} serviceName={a.serviceName(loc(request))} receiptNo={a.receiptNo ?? ''} errors={{}} />);
  });

  app.post('/account/applications/:id/withdraw', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (!canWithdraw(a.workflow, a.status)) return reply.redirect(applicationPath(a.id), 303);
    try {
      await svc.withdraw(ctx, request.actor!, a, request.ip);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return sendPage(
        request,
        reply,
        <WithdrawPage id={a.id} serviceName={a.serviceName(loc(request))} receiptNo={a.receiptNo ?? ''} errors={{ _form: 'cases.page.error.state' }} />,
        409,
      );
    }
    return reply.redirect(`${applicationPath(a.id)}?notice=withdrawn`, 303);
  });

  /* ----- rating ----- */

  app.get('/account/applications/:id/rate', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'completed' || a.rating !== null) return reply.redirect(applicationPath(a.id), 303);
    return sendPage(request, reply, <RatePage id={a.id} serviceName={a.serviceName(loc(request))} values={{ score: '', comment: '' }} errors={{}} />);
  });

  app.post('/account/applications/:id/rate', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'completed' || a.rating !== null) return reply.redirect(applicationPath(a.id), 303);
    const b = bodyOf(request);
    const score = /^[1-5]$/.test(b.score ?? '') ? Number(b.score) : null;
    const comment = (b.comment ?? '').trim();
    const errors: FieldErrors = {};
    if (score === null) errors.score = 'cases.page.error.score';
    // eslint-disable-next-line no-control-regex
    if (comment.length > 500 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(comment)) errors.comment = 'cases.page.error.comment';
    // A poor rating goes to the department for a follow-up, which needs to know what went wrong.
    else if (score !== null && score <= 2 && !comment) errors.comment = 'cases.page.error.commentRequired';
    if (score === null || Object.keys(errors).length > 0)
      return sendPage(
        request,
        reply,
        <RatePage id={a.id} serviceName={a.serviceName(loc(request))} values={{ score: b.score ?? '', comment: comment.slice(0, 600) }} errors={errors} />,
        400,
      );
    await svc.rate(ctx, request.actor!, a, score, comment || null, request.ip);
    return reply.redirect(`${applicationPath(a.id)}?notice=rated`, 303);
  });

  /* ----- correction and resubmission ----- */

  const correctionPage = async (request: FastifyRequest, reply: FastifyReply, a: OwnApplication, errors: FieldErrors, status = 200) => {
    const l = loc(request);
    const names = await svc.fileNames(ctx, a);
    const pageOf = (field: string) => a.form['x-ui'].pages.find((p) => p.fields.includes(field))?.id;
    const fileFieldOf = (material: string) => Object.entries(a.form['x-ui'].fields).find(([, ui]) => ui.widget === 'file' && ui.material === material)?.[0];
    return sendPage(
      request,
      reply,
      <CorrectionPage
        id={a.id}
        serviceName={a.serviceName(l)}
        note={a.correctionNote}
        errors={errors}
        items={(a.correction ?? []).map((c) => {
          const field = c.field ?? (c.material ? fileFieldOf(c.material) : undefined);
          const page = field ? pageOf(field) : undefined;
          const ui = field ? a.form['x-ui'].fields[field] : undefined;
          return {
            label: labelOfItem(request, a, c),
            reason: c.reason,
            href: page && field ? `${applicationPath(a.id)}/steps/${encodeURIComponent(page)}#${field}` : null,
            value: ui && field ? displayValue(l, ui, a.data[field], names) : '',
          };
        })}
      />,
      status,
    );
  };

  app.get('/account/applications/:id/correct', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'correction_requested') return reply.redirect(applicationPath(a.id), 303);
    return correctionPage(request, reply, a, {});
  });

  app.post('/account/applications/:id/resubmit', { config: { access: 'citizen' }, schema: { params: IdParams } }, async (request, reply) => {
    const a = await own(request, request.params.id);
    if (a.status !== 'correction_requested') return reply.redirect(applicationPath(a.id), 303);
    if (!validateFormData(a.form, a.data).ok) return correctionPage(request, reply, a, { _form: 'cases.page.error.incomplete' }, 400);
    try {
      await svc.resubmit(ctx, request.actor!, a, request.ip);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return correctionPage(request, reply, a, { _form: 'cases.page.error.state' }, 409);
    }
    return reply.redirect(`${applicationPath(a.id)}?notice=resubmitted`, 303);
  });

  /* ----- public status check ----- */

  app.get('/status', { config: { access: 'public' } }, async (request, reply) =>
    sendPage(request, reply, <StatusCheckPage values={{ receiptNo: '', phoneLast4: '' }} errors={{}} result={null} />),
  );

  app.post('/status', { config: { access: 'public' } }, async (request, reply) => {
    const b = bodyOf(request);
    const values = { receiptNo: (b.receiptNo ?? '').trim().toUpperCase().slice(0, 40), phoneLast4: (b.phoneLast4 ?? '').trim().slice(0, 4) };
    const errors: FieldErrors = {};
    if (!/^[A-Z0-9-]{4,40}$/.test(values.receiptNo)) errors.receiptNo = 'cases.page.error.receiptNo';
    if (!/^\d{4}$/.test(values.phoneLast4)) errors.phoneLast4 = 'cases.page.error.phoneLast4';
    if (Object.keys(errors).length > 0) return sendPage(request, reply, <StatusCheckPage values={values} errors={errors} result={null} />, 400);
    try {
      // Per address and per receipt number, so four digits cannot be guessed from many addresses either.
      await statusLimiter.consume(`ip:${request.ip}`);
      await receiptLimiter.consume(`receipt:${values.receiptNo}`);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      reply.header('retry-after', String(error.retryAfterSeconds));
      return sendPage(
        request,
        reply,
        <StatusCheckPage values={values} errors={{ _form: 'cases.page.error.tooMany' }} params={{ seconds: error.retryAfterSeconds }} result={null} />,
        429,
      );
    }
    const found = await svc.publicStatus(ctx, values.receiptNo, values.phoneLast4);
    if (!found) return sendPage(request, reply, <StatusCheckPage values={values} errors={{ _form: 'cases.page.error.notFound' }} result={null} />, 404);
    const l = loc(request);
    return sendPage(
      request,
      reply,
      <StatusCheckPage
        values={{ receiptNo: values.receiptNo, phoneLast4: '' }}
        errors={{}}
        result={{
          receiptNo: found.receiptNo,
          serviceName: found.serviceName(l),
          status: found.statusLabel(l),
          statusCode: found.status,
          promisedBy: when(l, found.promisedBy),
          updated: when(l, found.updatedAt) ?? '',
        }}
      />,
    );
  });

  /* ----- staff workbench ----- */

  const slaText = (request: FastifyRequest, s: StaffApplication): { text: string | null; overdue: boolean } => {
    if (s.status === 'correction_requested') return { text: request.t('cases.staff.sla.paused'), overdue: false };
    if (s.slaMinutesLeft === null) return { text: null, overdue: false };
    const overdue = s.slaMinutesLeft < 0;
    const minutes = Math.abs(s.slaMinutesLeft);
    const h = Math.floor(minutes / 60);
    const time = h > 0 ? request.t('cases.staff.sla.hm', { h, m: Math.round(minutes % 60) }) : request.t('cases.staff.sla.m', { m: Math.round(minutes) });
    return { text: request.t(overdue ? 'cases.staff.sla.overdue' : 'cases.staff.sla.left', { time }), overdue };
  };

  const seenVersion = (b: Body): number | undefined => (/^\d{1,9}$/.test(b.version ?? '') ? Number(b.version) : undefined);

  const staffNotices: Record<string, string> = {
    claimed: 'cases.staff.notice.claimed',
    assigned: 'cases.staff.notice.assigned',
    done: 'cases.staff.notice.done',
    correction: 'cases.staff.notice.correction',
    note: 'cases.staff.notice.note',
    added: 'cases.staff.notice.added',
    removed: 'cases.staff.notice.removed',
  };
  const staffNotice = (request: FastifyRequest) => {
    const q = (request.query as Record<string, unknown>).notice;
    return typeof q === 'string' ? staffNotices[q] : undefined;
  };

  app.get('/staff/cases', { config: { access: 'staff' } }, async (request, reply) => {
    const actor = request.actor!;
    const q = request.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 60) : '');
    const filters = { state: str(q.state), item: str(q.item), overdue: q.overdue === '1', mine: q.mine === '1' };
    const l = loc(request);
    const queue = await svc.staffQueue(ctx, actor, filters);
    const rows: QueueRow[] = queue.rows.map((s) => {
      const sla = slaText(request, s);
      return {
        id: s.id,
        href: `/staff/cases/${s.id}`,
        receiptNo: s.receiptNo ?? '',
        serviceName: s.serviceName(l),
        applicant: s.applicantDisplay,
        status: s.statusLabel(l),
        statusCode: s.status,
        submitted: when(l, s.submittedAt) ?? '',
        sla: sla.text,
        overdue: sla.overdue,
        assignee: s.assignedName,
        canClaim: s.assignedTo === null && !s.final,
      };
    });
    return sendPage(
      request,
      reply,
      <StaffQueuePage
        rows={rows}
        filters={filters}
        states={queue.states.map((s) => ({ value: s.value, label: s.label(l) }))}
        items={queue.items.map((s) => ({ value: s.value, label: s.label(l) }))}
        departmentName={actor.departmentCode ? departmentLabel(l, await departments(), actor.departmentCode) : ''}
        notice={staffNotice(request)}
      />,
    );
  });

  const staffCase = async (request: FastifyRequest, id: string): Promise<StaffApplication> => {
    if (!uuidPattern.test(id)) throw new NotFoundError();
    const s = await svc.loadForStaff(ctx, request.actor!, id, request.ip);
    if (!s) throw new NotFoundError();
    return s;
  };

  const renderStaffCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: StaffApplication,
    o: {
      errors?: FieldErrors;
      values?: Partial<{ comment: string; note: string; correctionNote: string; items: string[]; reasons: Record<string, string> }>;
      status?: number;
    } = {},
  ) => {
    const actor = request.actor!;
    const l = loc(request);
    const names = await svc.fileNames(ctx, s);
    const depts = await departments();
    const roles = workflowRolesOf(actor.roles.includes('platform_admin') ? ['dept_admin'] : actor.roles);
    const actions = availableActions(s.workflow, s.status, roles).filter((a) => !['request_correction'].includes(a.name) && !a.roles.includes('applicant'));
    const canCorrect = availableActions(s.workflow, s.status, roles).some((a) => a.name === 'request_correction');
    const sla = slaText(request, s);
    const visible = visibleFields(s.form, s.data);
    const [history, staffList] = await Promise.all([svc.staffHistory(ctx, s), svc.assignableStaff(ctx, actor)]);
    return sendPage(
      request,
      reply,
      <StaffCasePage
        notice={staffNotice(request)}
        errors={o.errors ?? {}}
        values={{ comment: '', note: '', correctionNote: '', items: [], reasons: {}, ...o.values }}
        v={{
          id: s.id,
          version: s.version,
          receiptNo: s.receiptNo ?? '',
          serviceName: s.serviceName(l),
          status: s.statusLabel(l),
          statusCode: s.status,
          applicant: s.applicantDisplay,
          actingFor: s.actingForName,
          submitted: when(l, s.submittedAt) ?? '',
          promisedBy: when(l, s.promisedBy),
          sla: sla.text,
          overdue: sla.overdue,
          assignee: s.assignedName,
          canClaim: s.assignedTo === null && !s.final,
          assignable: s.final || !(actor.roles.includes('dept_admin') || actor.roles.includes('platform_admin')) ? [] : staffList,
          payment: s.feeFen > 0 ? `${formatMoney(l, s.feeFen)} · ${request.t(`cases.page.pay.status.${s.paidAt ? 'paid' : 'pending'}`)}` : null,
          delivery: deliveryText(request, s.delivery),
          answers: visible.map((f) => ({
            label: pick(l, f.ui.labelZh, f.ui.labelEn),
            value: displayValue(l, f.ui, s.data[f.name], names),
            href: f.ui.widget === 'file' && typeof s.data[f.name] === 'string' ? `/files/${String(s.data[f.name])}` : undefined,
            heldBy: f.ui.prefill && isPrefilled(f.ui, s.data, f.name) ? departmentLabel(l, depts, f.ui.prefill.heldBy) : undefined,
          })),
          materials: visible
            .filter((f) => f.ui.widget === 'file' && typeof s.data[f.name] === 'string')
            .map((f) => ({
              label: pick(l, f.ui.labelZh, f.ui.labelEn),
              href: `/files/${String(s.data[f.name])}`,
              name: names.get(String(s.data[f.name])) ?? '',
            })),
          history: history.map((h) => ({ at: when(l, h.at) ?? '', status: h.label(l), actor: h.actor, note: h.note, internal: h.internal })),
          actions: actions.map((a) => ({ name: a.name, label: pick(l, a.labelZh, a.labelEn), needsComment: a.needsComment })),
          canRequestCorrection: canCorrect,
          correctable: [
            ...visible.map((f) => ({ key: `field:${f.name}`, label: pick(l, f.ui.labelZh, f.ui.labelEn) })),
            ...s.materials
              .filter((m) => !m.heldByGovernment && !visible.some((f) => f.ui.widget === 'file' && f.ui.material === m.code))
              .map((m) => ({ key: `material:${m.code}`, label: pick(l, m.nameZh, m.nameEn) })),
          ],
        }}
      />,
      o.status ?? 200,
    );
  };

  app.get('/staff/cases/:id', { config: { access: 'staff' }, schema: { params: IdParams } }, async (request, reply) =>
    renderStaffCase(request, reply, await staffCase(request, request.params.id)),
  );

  /** A 409 re-renders the page as it now is, with a clear message; other refusals are shown on the form. */
  const staffAct = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    work: (s: StaffApplication) => Promise<FieldErrors | null>,
    notice: string,
  ) => {
    const s = await staffCase(request, id);
    try {
      const errors = await work(s);
      if (errors) return null;
    } catch (error) {
      if (error instanceof ConflictError)
        return renderStaffCase(request, reply, await staffCase(request, id), { errors: { _form: 'cases.staff.error.conflict' }, status: 409 });
      if (error instanceof HttpError && error.status === 403)
        return renderStaffCase(request, reply, s, { errors: { _form: 'cases.staff.error.action' }, status: 403 });
      throw error;
    }
    return reply.redirect(`/staff/cases/${s.id}?notice=${notice}`, 303);
  };

  app.post('/staff/cases/:id/claim', { config: { access: 'staff' }, schema: { params: IdParams } }, async (request, reply) => {
    const toQueue = bodyOf(request).return === 'queue';
    const s = await staffCase(request, request.params.id);
    try {
      await svc.assign(ctx, request.actor!, s, request.actor!.userId, request.ip);
    } catch (error) {
      if (error instanceof ConflictError)
        return renderStaffCase(request, reply, await staffCase(request, s.id), { errors: { _form: 'cases.staff.error.conflict' }, status: 409 });
      throw error;
    }
    return reply.redirect(toQueue ? '/staff/cases?notice=claimed' : `/staff/cases/${s.id}?notice=claimed`, 303);
  });

  app.post('/staff/cases/:id/assign', { config: { access: { staff: ['dept_admin'] } }, schema: { params: IdParams } }, async (request, reply) => {
    const assignee = bodyOf(request).assignee ?? '';
    const done = await staffAct(
      request,
      reply,
      request.params.id,
      async (s) => {
        const ok = uuidPattern.test(assignee) && (await svc.assign(ctx, request.actor!, s, assignee, request.ip));
        if (!ok) {
          await renderStaffCase(request, reply, s, { errors: { assignee: 'cases.staff.error.assignee' }, status: 400 });
          return { assignee: 'cases.staff.error.assignee' };
        }
        return null;
      },
      'assigned',
    );
    return done ?? reply;
  });

  app.post('/staff/cases/:id/actions', { config: { access: 'staff' }, schema: { params: IdParams } }, async (request, reply) => {
    const b = bodyOf(request);
    const comment = (b.comment ?? '').trim();
    const action = (b.action ?? '').slice(0, 60);
    const done = await staffAct(
      request,
      reply,
      request.params.id,
      async (s) => {
        const def = s.workflow.actions.find((x) => x.name === action);
        const errors: FieldErrors = {};
        if (comment.length > 2000) errors.comment = 'cases.staff.error.commentTooLong';
        else if (def?.needsComment && !comment) errors.comment = 'cases.staff.error.comment';
        if (Object.keys(errors).length) {
          await renderStaffCase(request, reply, s, { errors, values: { comment: comment.slice(0, 2000) }, status: 400 });
          return errors;
        }
        await svc.act(ctx, request.actor!, s, action, comment || null, request.ip, seenVersion(b));
        return null;
      },
      'done',
    );
    return done ?? reply;
  });

  app.post('/staff/cases/:id/correction', { config: { access: 'staff' }, schema: { params: IdParams } }, async (request, reply) => {
    const b = bodyOf(request);
    const keys = [...new Set(listOf(request, 'items'))];
    const note = (b.correctionNote ?? '').trim();
    const done = await staffAct(
      request,
      reply,
      request.params.id,
      async (s) => {
        const errors: FieldErrors = {};
        const reasons: Record<string, string> = {};
        const items: { field?: string; material?: string; reason: string }[] = [];
        const fieldNames = new Set(visibleFields(s.form, s.data).map((f) => f.name));
        const materialCodes = new Set(s.materials.map((m) => m.code));
        for (const key of keys) {
          const [kind, name = ''] = key.split(':');
          const reason = (b[`reason-${key}`] ?? '').trim();
          reasons[key] = reason.slice(0, 300);
          if ((kind === 'field' && !fieldNames.has(name)) || (kind === 'material' && !materialCodes.has(name)) || (kind !== 'field' && kind !== 'material'))
            continue;
          if (!reason || reason.length > 200 || controlChars.test(reason)) errors[`reason-${key}`] = 'cases.staff.error.reason';
          items.push(kind === 'field' ? { field: name, reason } : { material: name, reason });
        }
        if (items.length === 0) errors.items = 'cases.staff.error.items';
        if (note.length > 2000) errors.correctionNote = 'cases.staff.error.commentTooLong';
        if (Object.keys(errors).length) {
          await renderStaffCase(request, reply, s, { errors, values: { items: keys, reasons, correctionNote: note.slice(0, 2000) }, status: 400 });
          return errors;
        }
        await svc.requestCorrection(ctx, request.actor!, s, items, note || null, request.ip, seenVersion(b));
        return null;
      },
      'correction',
    );
    return done ?? reply;
  });

  app.post('/staff/cases/:id/notes', { config: { access: 'staff' }, schema: { params: IdParams } }, async (request, reply) => {
    const b = bodyOf(request);
    const text = (b.note ?? '').trim();
    const visibility = b.visibility === 'public' ? 'public' : 'internal';
    const done = await staffAct(
      request,
      reply,
      request.params.id,
      async (s) => {
        // eslint-disable-next-line no-control-regex
        if (!text || text.length > 2000 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
          await renderStaffCase(request, reply, s, { errors: { note: 'cases.staff.error.note' }, values: { note: text.slice(0, 2000) }, status: 400 });
          return { note: 'cases.staff.error.note' };
        }
        await svc.addNote(ctx, request.actor!, s, text, visibility, request.ip);
        return null;
      },
      'note',
    );
    return done ?? reply;
  });

  /* ----- holiday calendar (platform admin) ----- */

  const renderCalendar = async (
    request: FastifyRequest,
    reply: FastifyReply,
    year: number,
    values: { date: string; kind: string; name: string },
    errors: FieldErrors,
    status = 200,
  ) => {
    const days = await svc.calendarYear(ctx, year);
    return sendPage(request, reply, <CalendarPage days={days} values={values} errors={errors} year={year} notice={staffNotice(request)} />, status);
  };

  const yearOf = (request: FastifyRequest) => {
    const y = Number((request.query as Record<string, unknown>).year);
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : Number(new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  };

  app.get('/staff/calendar', { config: { access: { staff: ['platform_admin'] } } }, async (request, reply) =>
    renderCalendar(request, reply, yearOf(request), { date: '', kind: 'holiday', name: '' }, {}),
  );

  app.post('/staff/calendar', { config: { access: { staff: ['platform_admin'] } } }, async (request, reply) => {
    const b = bodyOf(request);
    const values = { date: (b.date ?? '').trim().slice(0, 20), kind: b.kind ?? '', name: (b.name ?? '').trim() };
    const errors: FieldErrors = {};
    const valid =
      /^\d{4}-\d{2}-\d{2}$/.test(values.date) &&
      !Number.isNaN(Date.parse(`${values.date}T00:00:00Z`)) &&
      new Date(`${values.date}T00:00:00Z`).toISOString().slice(0, 10) === values.date;
    if (!valid) errors.date = 'cases.staff.error.date';
    if (values.kind !== 'holiday' && values.kind !== 'workday') errors.kind = 'cases.staff.error.kind';
    if (!values.name || values.name.length > 50 || controlChars.test(values.name) || /[<>]/.test(values.name)) errors.name = 'cases.staff.error.name';
    const year = valid ? Number(values.date.slice(0, 4)) : yearOf(request);
    if (Object.keys(errors).length) return renderCalendar(request, reply, year, { ...values, name: values.name.slice(0, 100) }, errors, 400);
    await svc.setCalendarDay(ctx, request.actor!, { date: values.date, kind: values.kind as 'holiday' | 'workday', name: values.name }, request.ip);
    return reply.redirect(`/staff/calendar?year=${year}&notice=added`, 303);
  });

  app.post(
    '/staff/calendar/:date/remove',
    { config: { access: { staff: ['platform_admin'] } }, schema: { params: Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }) } },
    async (request, reply) => {
      await svc.removeCalendarDay(ctx, request.actor!, request.params.date, request.ip);
      return reply.redirect(`/staff/calendar?year=${request.params.date.slice(0, 4)}&notice=removed`, 303);
    },
  );
}
