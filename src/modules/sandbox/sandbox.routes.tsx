import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Access } from '../../platform/auth/actor.js';
import type { AppContext } from '../../platform/context.js';
import { sandboxCourierCallbackPath, type ParcelCommand, type SandboxParcel } from '../../platform/delivery/index.js';
import { HttpError, NotFoundError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import { formatMoney, formatDateTime } from '../../platform/i18n/i18n.js';
import { isSafeReturnUrl, sandboxPaymentCallbackPath, type SandboxCharge } from '../../platform/payments/index.js';
import { signatureHeader } from '../../platform/webhooks/webhooks.js';
import { sendPage } from '../../platform/views/render.js';
import { CourierConsolePage, type ParcelModel } from './views/courier.js';
import { PayPage } from './views/pay.js';
import { ProblemSchema as Problem } from '../../platform/http/problem-schema.js';

/* ---------- API schemas ---------- */

const SignatureHeaders = Type.Object({
  [signatureHeader]: Type.String({
    maxLength: 200,
    description:
      'HMAC-SHA256 of `<t>.<raw request body>` with the shared webhook secret (WEBHOOK_SECRET), as `t=<unix seconds>,v1=<hex>`. ' +
      'Refused with 401 when missing, wrong, or when t is outside the tolerance window (WEBHOOK_TOLERANCE_SECONDS); 400 when malformed.',
  }),
});

const PaymentCallbackBody = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 100, description: 'Unique per event; a repeated delivery carries the same id' }),
    type: Type.Union([Type.Literal('paid'), Type.Literal('failed'), Type.Literal('refunded')]),
    chargeId: Type.String({ format: 'uuid', description: "The provider's reference of the payment" }),
    paymentId: Type.String({ format: 'uuid' }),
    amountFen: Type.Integer({ minimum: 1 }),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const PaymentStatus = Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('failed'), Type.Literal('refunded')]);
const PaymentCallbackReply = Type.Object({
  eventId: Type.String(),
  paymentId: Type.String(),
  status: PaymentStatus,
  applied: Type.Boolean({ description: 'false when the event changed nothing (a duplicate, or a late event out of order)' }),
});

const ShipmentStatus = Type.Union([
  Type.Literal('created'),
  Type.Literal('picked_up'),
  Type.Literal('in_transit'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
]);
const CourierCallbackBody = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 100, description: 'Unique per event; a repeated delivery carries the same id' }),
    trackingNo: Type.String({ pattern: '^SH[0-9]{12}$' }),
    shipmentId: Type.String({ format: 'uuid' }),
    status: Type.Union([Type.Literal('picked_up'), Type.Literal('in_transit'), Type.Literal('delivered'), Type.Literal('failed')]),
    occurredAt: Type.String({ format: 'date-time' }),
    locationNote: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  },
  { additionalProperties: false },
);
const CourierCallbackReply = Type.Object({
  eventId: Type.String(),
  shipmentId: Type.String(),
  trackingNo: Type.String(),
  status: ShipmentStatus,
  applied: Type.Boolean({ description: 'false when the event changed nothing (a duplicate, or a late event that would move the status back)' }),
});

const ChargeReply = Type.Object({ chargeId: Type.String(), paymentId: Type.String(), status: Type.String(), changed: Type.Boolean() });
const ParcelReply = Type.Object({
  trackingNo: Type.String(),
  shipmentId: Type.String(),
  status: ShipmentStatus,
  updatedAt: Type.String({ format: 'date-time' }),
});

/* ---------- helpers ---------- */

/** The raw body of each callback request, for the signature (the parsed JSON would not hash the same). */
const rawBodies = new WeakMap<FastifyRequest, string>();

const nextStatus: Record<string, string | null> = { created: 'picked_up', picked_up: 'in_transit', in_transit: 'delivered', delivered: null, failed: null };

function returnHref(charge: SandboxCharge, result?: 'paid' | 'failed'): string {
  const url = new URL(charge.returnUrl, 'http://return.invalid');
  url.searchParams.set('payment', charge.paymentId);
  if (result) url.searchParams.set('result', result);
  return charge.returnUrl.startsWith('/') ? `${url.pathname}${url.search}${url.hash}` : url.toString();
}

function parcelModel(p: SandboxParcel, locale: FastifyRequest['locale']): ParcelModel {
  const finished = p.status === 'delivered' || p.status === 'failed';
  return {
    trackingNo: p.trackingNo,
    recipientName: p.recipientName,
    district: p.district,
    itemDescription: p.itemDescription,
    status: p.status,
    nextStatus: nextStatus[p.status] ?? null,
    canFail: !finished,
    updatedAt: formatDateTime(locale, p.updatedAt),
  };
}

const presentParcel = (p: SandboxParcel): Static<typeof ParcelReply> => ({
  trackingNo: p.trackingNo,
  shipmentId: p.shipmentId,
  status: p.status,
  updatedAt: p.updatedAt.toISOString(),
});

/**
 * The ports over HTTP: the signed callback routes of the sandbox providers (documented in OpenAPI), the
 * sandbox payment page, and the sandbox courier's console and command API.
 */
export async function registerSandboxRoutes(app: App, ctx: AppContext): Promise<void> {
  const sandboxPayments = ctx.sandbox.payments;
  const courier = ctx.sandbox.courier;
  const consoleAccess: Access = ctx.config.sandboxConsolePublic ? 'public' : { staff: ['platform_admin'] };

  /* ---------- callbacks: raw body, signature before anything else ---------- */
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
      const raw = typeof body === 'string' ? body : body.toString('utf8');
      rawBodies.set(request, raw);
      try {
        done(null, JSON.parse(raw) as unknown);
      } catch {
        done(new HttpError(400, 'bad_request', 'The body is not valid JSON'), undefined);
      }
    });
    // Before schema validation, so an unsigned request learns nothing about the expected body.
    scope.addHook('preValidation', async (request) => {
      const header = request.headers[signatureHeader];
      const result = ctx.webhooks.verify(typeof header === 'string' ? header : undefined, rawBodies.get(request) ?? '');
      if (result.ok) return;
      await recordAudit(ctx.db, {
        actorType: 'anonymous',
        action: 'webhook.rejected',
        resourceType: 'route',
        resourceId: request.routeOptions.url ?? request.url,
        outcome: 'denied',
        detail: { reason: result.reason },
        ip: request.ip,
      });
      if (result.reason === 'malformed') throw new HttpError(400, 'bad_request', 'The signature header is malformed');
      throw new HttpError(401, 'unauthorized', `The webhook signature is ${result.reason === 'expired' ? 'outside the tolerance window' : result.reason}`);
    });

    scope.post(
      sandboxPaymentCallbackPath,
      {
        config: { access: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'Payment callback of the sandbox provider',
          description:
            'Sent by the sandbox payment provider when a payment is paid, fails or is refunded. Idempotent per eventId (a repeat gets the first answer and changes nothing); an event out of order (failed after paid) is recorded and changes nothing.',
          headers: SignatureHeaders,
          body: PaymentCallbackBody,
          response: { 200: PaymentCallbackReply, 400: Problem, 401: Problem, 404: Problem },
        },
      },
      async (request) =>
        ctx.payments.applyCallback('sandbox', {
          eventId: request.body.eventId,
          providerRef: request.body.chargeId,
          type: request.body.type,
          amountFen: request.body.amountFen,
          occurredAt: new Date(request.body.occurredAt),
        }),
    );

    scope.post(
      sandboxCourierCallbackPath,
      {
        config: { access: 'public' },
        schema: {
          tags: ['delivery'],
          summary: 'Status callback of the sandbox courier',
          description:
            'Sent by the sandbox courier on each status change. Idempotent per eventId; a late event that would move the status back (in_transit after delivered) is recorded in the tracking history but does not change the status.',
          headers: SignatureHeaders,
          body: CourierCallbackBody,
          response: { 200: CourierCallbackReply, 400: Problem, 401: Problem, 404: Problem },
        },
      },
      async (request) =>
        ctx.delivery.applyCallback('sandbox', {
          eventId: request.body.eventId,
          trackingNo: request.body.trackingNo,
          status: request.body.status,
          occurredAt: new Date(request.body.occurredAt),
          locationNote: request.body.locationNote,
        }),
    );
  });

  /* ---------- sandbox payment provider ---------- */
  if (sandboxPayments) {
    const payModel = (charge: SandboxCharge, request: FastifyRequest, error?: string) => ({
      chargeId: charge.id,
      amount: formatMoney(request.locale, charge.amountFen),
      description: request.locale === 'en' ? charge.descriptionEn : charge.descriptionZh,
      status: charge.status,
      returnHref: isSafeReturnUrl(charge.returnUrl, ctx.config.publicUrl) ? returnHref(charge) : '/',
      ...(error ? { error } : {}),
    });

    app.get<{ Params: { id: string } }>('/sandbox/pay/:id', { config: { access: 'public' } }, async (request, reply) => {
      const charge = await sandboxPayments.getCharge(request.params.id);
      if (!charge) throw new NotFoundError('No such payment');
      return sendPage(request, reply, <PayPage model={payModel(charge, request)} />);
    });

    app.post<{ Params: { id: string }; Body: Record<string, unknown> | undefined }>(
      '/sandbox/pay/:id',
      { config: { access: 'public' } },
      async (request, reply) => {
        const outcome = request.body?.outcome;
        const charge = await sandboxPayments.getCharge(request.params.id);
        if (!charge) throw new NotFoundError('No such payment');
        if (outcome !== 'pay' && outcome !== 'fail')
          return sendPage(request, reply, <PayPage model={payModel(charge, request, 'sandbox.pay.chooseOutcome')} />, 400);
        const settled = await sandboxPayments.settle(charge.id, outcome === 'pay' ? 'paid' : 'failed');
        const now = settled?.charge ?? charge;
        const result = now.status === 'paid' || now.status === 'failed' ? now.status : undefined;
        if (!isSafeReturnUrl(now.returnUrl, ctx.config.publicUrl)) return reply.redirect(`/sandbox/pay/${now.id}`, 303);
        return reply.redirect(returnHref(now, result), 303);
      },
    );

    app.post(
      '/api/v1/sandbox/payments/:chargeId/settle',
      {
        config: { access: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'Settle a sandbox payment (what the payer does on the hosted page)',
          description: 'Anyone holding the unguessable charge id may settle it, as on the hosted page. An already settled charge does not change.',
          params: Type.Object({ chargeId: Type.String({ format: 'uuid' }) }),
          body: Type.Object({ outcome: Type.Union([Type.Literal('paid'), Type.Literal('failed')]) }, { additionalProperties: false }),
          response: { 200: ChargeReply, 404: Problem },
        },
      },
      async (request) => {
        const settled = await sandboxPayments.settle(request.params.chargeId, request.body.outcome);
        if (!settled) throw new NotFoundError('No such payment');
        return { chargeId: settled.charge.id, paymentId: settled.charge.paymentId, status: settled.charge.status, changed: settled.changed };
      },
    );
  }

  /* ---------- sandbox courier ---------- */
  if (courier) {
    const notices: Record<string, string> = { updated: 'sandbox.courier.updated', unchanged: 'sandbox.courier.unchanged' };

    app.get<{ Querystring: { updated?: string; unchanged?: string } }>('/sandbox/courier', { config: { access: consoleAccess } }, async (request, reply) => {
      const parcels = await courier.list(50);
      const which = request.query.updated ? 'updated' : request.query.unchanged ? 'unchanged' : null;
      const trackingNo = which ? request.query[which] : undefined;
      const parcel = trackingNo ? parcels.find((p) => p.trackingNo === trackingNo) : undefined;
      const notice = which && parcel ? { key: notices[which] ?? '', trackingNo: parcel.trackingNo, status: parcel.status } : undefined;
      return sendPage(
        request,
        reply,
        <CourierConsolePage model={{ parcels: parcels.map((p) => parcelModel(p, request.locale)), ...(notice ? { notice } : {}) }} />,
      );
    });

    app.post<{ Params: { trackingNo: string }; Body: Record<string, unknown> | undefined }>(
      '/sandbox/courier/:trackingNo',
      { config: { access: consoleAccess } },
      async (request, reply) => {
        const command = request.body?.command;
        if (command !== 'advance' && command !== 'fail') {
          const parcels = await courier.list(50);
          return sendPage(
            request,
            reply,
            <CourierConsolePage model={{ parcels: parcels.map((p) => parcelModel(p, request.locale)), error: 'sandbox.courier.chooseCommand' }} />,
            400,
          );
        }
        const done = await courier.command(request.params.trackingNo, command, { actor: request.actor, ip: request.ip });
        if (!done) throw new NotFoundError('No such shipment');
        return reply.redirect(`/sandbox/courier?${done.changed ? 'updated' : 'unchanged'}=${done.parcel.trackingNo}`, 303);
      },
    );

    app.get(
      '/api/v1/sandbox/courier/parcels',
      {
        config: { access: consoleAccess },
        schema: {
          tags: ['delivery'],
          summary: 'Parcels of the sandbox courier, newest first',
          security: [{ bearer: [] }],
          response: { 200: Type.Object({ parcels: Type.Array(ParcelReply) }), 401: Problem, 403: Problem },
        },
      },
      async () => ({ parcels: (await courier.list(100)).map(presentParcel) }),
    );

    app.post(
      '/api/v1/sandbox/courier/parcels/:trackingNo/commands',
      {
        config: { access: consoleAccess },
        schema: {
          tags: ['delivery'],
          summary: 'Move a sandbox parcel on, or fail it (as the operator console does)',
          description:
            'advance: created → picked_up → in_transit → delivered; fail: any state before delivered → failed. Each change is reported by a signed, retried callback. 409 when the parcel has finished.',
          security: [{ bearer: [] }],
          params: Type.Object({ trackingNo: Type.String({ pattern: '^SH[0-9]{12}$' }) }),
          body: Type.Object(
            {
              command: Type.Union([Type.Literal('advance'), Type.Literal('fail')]),
              note: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u001f<>]*$' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: ParcelReply, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const command: ParcelCommand = request.body.command;
        const done = await courier.command(request.params.trackingNo, command, {
          actor: request.actor,
          ip: request.ip,
          ...(request.body.note ? { note: request.body.note } : {}),
        });
        if (!done) throw new NotFoundError('No such shipment');
        if (!done.changed) throw new HttpError(409, 'conflict', `The parcel has finished (${done.parcel.status})`, { parcelStatus: done.parcel.status });
        return presentParcel(done.parcel);
      },
    );
  }
}
