import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../platform/http/errors.js';
import type { App } from '../../platform/http/types.js';
import type { FieldErrors } from '../../platform/views/components.js';
import { sendPage } from '../../platform/views/render.js';
import { knownVehicles, liveVehicles, reloadLiveNetworks, vehicleEventsPath } from './live/index.js';
import { importGtfs } from './transit.import.js';
import type { TransitNetwork } from './transit.network.js';
import { feedJsonCopy, notModified, publishedFeed, type FeedKind } from './transit.realtime.js';
import {
  activeAlerts,
  alertsFor,
  assertOperates,
  assignVehicle,
  cancelledTripIds,
  cancelSubscription,
  createAlert,
  feedsOf,
  invalidateNetwork,
  listAlerts,
  listAssignments,
  mayOperate,
  mySubscriptions,
  nearbyStops,
  networkOf,
  nowOf,
  operatedAgencies,
  routeName,
  searchStops,
  stopArrivals,
  subscribe,
  subscriptionMinutes,
  withdrawAlert,
  type AlertInput,
} from './transit.service.js';
import { mapScript, nearbyScript } from './transit.islands.js';
import { ConsolePage, RoutePage, StopPage, TransitHome, type ConsoleProps, type MapData, type RouteLink } from './views/transit-pages.js';
import type { FeedProblem } from './transit.schema.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bodyOf = (request: FastifyRequest): Record<string, unknown> =>
  request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};

function routeLinks(net: TransitNetwork, ids: Iterable<string>): RouteLink[] {
  return [...new Set(ids)]
    .map((id) => ({ id, name: routeName(net, id), longName: net.routes.get(id)?.longName ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/** Projects the route's shapes and stops into an SVG box 1000 wide (equirectangular, north up). */
function mapOf(net: TransitNetwork, routeId: string): MapData {
  const trips = net.tripsByRoute.get(routeId) ?? [];
  const shapeIds = [...new Set(trips.map((t) => t.shapeId))];
  const stopIds = [...new Set(trips.flatMap((t) => t.stopTimes.map((s) => s.stopId)))];
  const pts: [number, number][] = [];
  for (const id of shapeIds) {
    const s = net.shapes.get(id);
    if (s) for (let i = 0; i < s.lats.length; i++) pts.push([s.lats[i]!, s.lons[i]!]);
  }
  for (const id of stopIds) {
    const s = net.stops.get(id);
    if (s) pts.push([s.lat, s.lon]);
  }
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const [la, lo] of pts) {
    minLat = Math.min(minLat, la);
    maxLat = Math.max(maxLat, la);
    minLon = Math.min(minLon, lo);
    maxLon = Math.max(maxLon, lo);
  }
  if (!Number.isFinite(minLat)) return { width: 1000, height: 600, lon0: 0, lat0: 0, kx: 1, ky: 1, paths: [], stops: [] };
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * cos, 1e-4);
  const spanY = Math.max(maxLat - minLat, 1e-4);
  const pad = 30;
  const k = (1000 - 2 * pad) / Math.max(spanX, spanY * 0.75);
  const width = 1000;
  const height = Math.round(Math.max(300, spanY * k + 2 * pad));
  const kx = k * cos;
  const ky = k;
  const lon0 = minLon - pad / kx;
  const lat0 = maxLat + pad / ky;
  const xy = (la: number, lo: number) => `${Math.round((lo - lon0) * kx * 10) / 10},${Math.round((lat0 - la) * ky * 10) / 10}`;
  const paths = shapeIds.flatMap((id) => {
    const s = net.shapes.get(id);
    if (!s || s.lats.length < 2) return [];
    const parts: string[] = [];
    for (let i = 0; i < s.lats.length; i++) parts.push(`${i === 0 ? 'M' : 'L'}${xy(s.lats[i]!, s.lons[i]!)}`);
    return [parts.join(' ')];
  });
  const stops = stopIds.flatMap((id) => {
    const s = net.stops.get(id);
    if (!s) return [];
    const [x, y] = xy(s.lat, s.lon).split(',').map(Number);
    return [{ id, name: s.name, x: x!, y: y! }];
  });
  return { width, height, lon0, lat0, kx, ky, paths, stops };
}

interface UploadResult {
  bytes: Buffer | null;
  tooLarge: boolean;
}

async function uploadedFeed(request: FastifyRequest): Promise<UploadResult> {
  if (!request.isMultipart()) return { bytes: null, tooLarge: false };
  let bytes: Buffer | null = null;
  let tooLarge = false;
  for await (const part of request.parts({ limits: { fileSize: 200 * 1024 * 1024 } })) {
    if (part.type !== 'file') continue;
    try {
      const b = await part.toBuffer();
      if (part.fieldname === 'feed' && b.length > 0) bytes = b;
    } catch (error) {
      if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
      tooLarge = true;
    }
  }
  return { bytes, tooLarge };
}

export async function registerTransitRoutes(app: App, ctx: AppContext): Promise<void> {
  // ---- islands (the only JavaScript; pages work without it) ----
  app.get('/static/transit/route-map.js', { config: { access: 'public' }, schema: { hide: true } }, async (_r, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(mapScript),
  );
  app.get('/static/transit/nearby.js', { config: { access: 'public' }, schema: { hide: true } }, async (_r, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(nearbyScript),
  );

  // ---- rider pages ----
  app.get<{ Querystring: { q?: string; lat?: string; lon?: string } }>('/transit', { config: { access: 'public' } }, async (request, reply) => {
    const net = await networkOf(ctx);
    const query = request.query as Record<string, unknown>;
    const q = str(query.q).trim();
    const lat = str(query.lat).trim();
    const lon = str(query.lon).trim();
    let searchError: string | undefined;
    let hits = null;
    if ('q' in query) {
      if (!q) searchError = 'transit.search.empty';
      else if (q.length > 100) searchError = 'transit.search.tooLong';
      else hits = searchStops(net, q);
    }
    const nearbyErrors: FieldErrors = {};
    let nearby = null;
    if ('lat' in query || 'lon' in query) {
      const la = Number(lat);
      const lo = Number(lon);
      if (!lat || !/^-?\d+(\.\d+)?$/.test(lat) || !(Math.abs(la) <= 90)) nearbyErrors.lat = 'transit.nearby.error.lat';
      if (!lon || !/^-?\d+(\.\d+)?$/.test(lon) || !(Math.abs(lo) <= 180)) nearbyErrors.lon = 'transit.nearby.error.lon';
      if (Object.keys(nearbyErrors).length === 0) nearby = nearbyStops(net, la, lo);
    }
    const bad = searchError !== undefined || Object.keys(nearbyErrors).length > 0;
    return sendPage(
      request,
      reply,
      <TransitHome
        q={q}
        hits={hits}
        searchError={searchError}
        lat={lat}
        lon={lon}
        nearby={nearby}
        nearbyErrors={nearbyErrors}
        routes={routeLinks(net, net.routes.keys())}
      />,
      bad ? 400 : 200,
    );
  });

  const renderStop = async (
    request: FastifyRequest,
    stopId: string,
    extra: { notice?: 'created' | 'cancelled'; createdMinutes?: number; errors?: FieldErrors; form?: { minutes: string; routeId: string } } = {},
  ) => {
    const net = await networkOf(ctx);
    const stop = net.stops.get(stopId);
    if (!stop) throw new NotFoundError('transit.stop.notFound');
    const seen = new Map(liveVehicles(ctx, stop.agencyCode).map((v) => [v.vehicleId, v.timestamp]));
    const { arrivals, now } = await stopArrivals(ctx, stopId, seen);
    const routeIds = new Set((net.tripsByStop.get(stopId) ?? []).map((t) => t.routeId));
    const alerts = alertsFor(await activeAlerts(ctx, now), { stopId, routeIds, tripIds: arrivals.map((a) => a.tripId) });
    const subs = request.actor ? await mySubscriptions(ctx, request.actor.userId, stopId) : [];
    return (
      <StopPage
        stop={{ id: stop.id, name: stop.name, code: stop.code }}
        arrivals={arrivals}
        now={now}
        timeZone={net.timezoneOf(stop.agencyCode)}
        alerts={alerts}
        routes={routeLinks(net, routeIds)}
        signedIn={request.actor !== null}
        subscriptions={subs.map((s) => ({ id: s.id, route: s.routeId ? routeName(net, s.routeId) : request.t('transit.notify.anyRoute'), minutes: s.minutes }))}
        notice={extra.notice}
        createdMinutes={extra.createdMinutes}
        errors={extra.errors ?? {}}
        form={extra.form ?? { minutes: '', routeId: '' }}
      />
    );
  };

  app.get<{ Params: { stopId: string }; Querystring: { notice?: string; minutes?: string } }>(
    '/transit/stops/:stopId',
    { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ stopId: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const notice = q.notice === 'created' || q.notice === 'cancelled' ? q.notice : undefined;
      const minutes = Number(str(q.minutes));
      return sendPage(
        request,
        reply,
        await renderStop(request, request.params.stopId, { ...(notice ? { notice } : {}), ...(Number.isInteger(minutes) ? { createdMinutes: minutes } : {}) }),
      );
    },
  );

  app.post<{ Params: { stopId: string } }>(
    '/transit/stops/:stopId/subscriptions',
    { config: { access: 'signed-in' }, schema: { hide: true, params: Type.Object({ stopId: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const net = await networkOf(ctx);
      const stopId = request.params.stopId;
      if (!net.stops.has(stopId)) throw new NotFoundError('transit.stop.notFound');
      const body = bodyOf(request);
      const form = { minutes: str(body.minutes), routeId: str(body.routeId) };
      const errors: FieldErrors = {};
      const minutes = Number(form.minutes);
      if (!(subscriptionMinutes as readonly number[]).includes(minutes)) errors.minutes = 'transit.notify.error.minutes';
      const routes = new Set((net.tripsByStop.get(stopId) ?? []).map((t) => t.routeId));
      if (form.routeId && !routes.has(form.routeId)) errors.routeId = 'transit.notify.error.route';
      if (Object.keys(errors).length > 0) return sendPage(request, reply, await renderStop(request, stopId, { errors, form }), 400);
      await subscribe(ctx, request.actor, stopId, form.routeId || null, minutes);
      return reply.redirect(`/transit/stops/${encodeURIComponent(stopId)}?notice=created&minutes=${minutes}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/transit/subscriptions/:id/cancel',
    { config: { access: 'signed-in' }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      if (!request.actor) throw new UnauthorizedError();
      if (!(await cancelSubscription(ctx, request.actor.userId, request.params.id))) throw new NotFoundError();
      const stopId = str(bodyOf(request).stopId);
      return reply.redirect(stopId ? `/transit/stops/${encodeURIComponent(stopId)}?notice=cancelled` : '/transit', 303);
    },
  );

  app.get<{ Params: { routeId: string } }>(
    '/transit/routes/:routeId',
    { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ routeId: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const net = await networkOf(ctx);
      const route = net.routes.get(request.params.routeId);
      if (!route) throw new NotFoundError('transit.route.notFound');
      const now = nowOf(ctx);
      const trips = net.tripsByRoute.get(route.id) ?? [];
      // One stop list per direction: that of the trip with the most stops.
      const byDir = new Map<number, (typeof trips)[number]>();
      for (const t of trips) {
        const d = t.directionId ?? 0;
        const cur = byDir.get(d);
        if (!cur || t.stopTimes.length > cur.stopTimes.length) byDir.set(d, t);
      }
      const directions = [...byDir.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([d, t]) => ({
          directionId: d,
          headsign: t.headsign ?? '',
          stops: t.stopTimes.map((s) => ({ id: s.stopId, name: net.stops.get(s.stopId)?.name ?? s.stopId })),
        }));
      const cancelled = await cancelledTripIds(ctx, now);
      const vehicles = liveVehicles(ctx, route.agencyCode).filter((v) => v.routeId === route.id && !(v.tripId && cancelled.has(v.tripId)));
      const alerts = alertsFor(await activeAlerts(ctx, now), { routeIds: [route.id], tripIds: trips.map((t) => t.id) });
      const color = route.color && /^[0-9a-f]{6}$/i.test(route.color) ? `#${route.color}` : '#1d70b8';
      return sendPage(
        request,
        reply,
        <RoutePage
          route={{ id: route.id, name: routeName(net, route.id), longName: route.longName, color }}
          directions={directions}
          map={mapOf(net, route.id)}
          vehicles={vehicles}
          now={now}
          alerts={alerts}
          eventsPath={vehicleEventsPath(route.id)}
        />,
      );
    },
  );

  // ---- GTFS-Realtime out ----
  const feedRoute = (path: string, kind: FeedKind) =>
    app.get(
      path,
      {
        config: { access: 'public' },
        schema: {
          tags: ['transit'],
          summary: `GTFS-Realtime ${kind} (FULL_DATASET); ?format=json for a readable copy`,
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pb')])) }),
        },
      },
      async (request, reply) => {
        const latest = await publishedFeed(ctx, kind);
        const json = (request.query as { format?: string }).format === 'json' ? feedJsonCopy(ctx, latest) : null;
        const feed = json?.feed ?? latest;
        const etag = json ? feed.jsonEtag : feed.etag;
        reply.header('cache-control', 'no-cache').header('etag', etag).header('last-modified', feed.lastModified);
        if (notModified(request.headers, etag, feed.timestamp)) return reply.status(304).send();
        if (json) return reply.type('application/json; charset=utf-8').send(json.text);
        return reply.type('application/x-protobuf').send(feed.bytes);
      },
    );
  feedRoute('/gtfs-rt/vehicle-positions.pb', 'vehicle-positions');
  feedRoute('/gtfs-rt/trip-updates.pb', 'trip-updates');
  feedRoute('/gtfs-rt/alerts.pb', 'alerts');

  // ---- operators' console ----
  const consoleAccess = { staff: ['operator', 'dept_admin'] as ('operator' | 'dept_admin')[] };

  app.get('/staff/transit', { config: { access: consoleAccess } }, async (request, reply) => {
    const agencies = await operatedAgencies(ctx, request.actor);
    if (agencies.length === 0) throw new ForbiddenError('transit.console.none');
    return reply.redirect(`/staff/transit/${encodeURIComponent(agencies[0]!)}`);
  });

  const renderConsole = async (request: FastifyRequest, agency: string, extra: Partial<ConsoleProps> = {}) => {
    assertOperates(request.actor, agency);
    const [agencies, alerts, feeds, assignments] = await Promise.all([
      operatedAgencies(ctx, request.actor),
      listAlerts(ctx, agency),
      feedsOf(ctx, agency),
      listAssignments(ctx, agency),
    ]);
    return (
      <ConsolePage
        agencies={agencies}
        agency={agency}
        vehicles={knownVehicles(ctx, agency)}
        assignments={new Map(assignments.map((a) => [a.vehicleId, a.blockId]))}
        now={nowOf(ctx)}
        alerts={alerts}
        feeds={feeds}
        alertErrors={{}}
        alertForm={{
          kind: 'detour',
          startsAt: '',
          endsAt: '',
          routeId: '',
          stopId: '',
          tripId: '',
          headerZh: '',
          headerEn: '',
          descriptionZh: '',
          descriptionEn: '',
        }}
        assignErrors={{}}
        assignForm={{ vehicleId: '', blockId: '' }}
        uploadErrors={{}}
        {...extra}
      />
    );
  };
  const AgencyParams = Type.Object({ agency: Type.String({ maxLength: 64 }) });
  const notices: Record<string, string> = {
    published: 'transit.console.alertPublished',
    withdrawn: 'transit.console.alertWithdrawn',
    assigned: 'transit.console.assigned',
    imported: 'transit.console.imported',
  };

  app.get<{ Params: { agency: string } }>(
    '/staff/transit/:agency',
    { config: { access: consoleAccess }, schema: { hide: true, params: AgencyParams } },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const notice = notices[str(q.notice)];
      const params: Record<string, string | number> = {};
      for (const k of ['vehicle', 'version', 'routes', 'stops', 'trips']) if (typeof q[k] === 'string') params[k] = String(q[k]).slice(0, 64);
      return sendPage(request, reply, await renderConsole(request, request.params.agency, notice ? { notice, noticeParams: params } : {}));
    },
  );

  app.post<{ Params: { agency: string } }>(
    '/staff/transit/:agency/alerts',
    { config: { access: consoleAccess }, schema: { hide: true, params: AgencyParams } },
    async (request, reply) => {
      const agency = request.params.agency;
      assertOperates(request.actor, agency);
      const b = bodyOf(request);
      const input: AlertInput = {
        kind: str(b.kind),
        routeId: str(b.routeId),
        stopId: str(b.stopId),
        tripId: str(b.tripId),
        headerZh: str(b.headerZh),
        headerEn: str(b.headerEn),
        descriptionZh: str(b.descriptionZh),
        descriptionEn: str(b.descriptionEn),
        startsAt: str(b.startsAt),
        endsAt: str(b.endsAt),
      };
      const result = await createAlert(ctx, request.actor, agency, input);
      if (!result.id) {
        return sendPage(request, reply, await renderConsole(request, agency, { alertErrors: result.errors as FieldErrors, alertForm: { ...input } }), 400);
      }
      return reply.redirect(`/staff/transit/${encodeURIComponent(agency)}?notice=published#alerts`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/staff/transit/alerts/:id/withdraw',
    { config: { access: consoleAccess }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      await withdrawAlert(ctx, request.actor, request.params.id);
      const agencies = await operatedAgencies(ctx, request.actor);
      return reply.redirect(`/staff/transit/${encodeURIComponent(agencies[0] ?? '')}?notice=withdrawn#alerts`, 303);
    },
  );

  app.post<{ Params: { agency: string } }>(
    '/staff/transit/:agency/assignments',
    { config: { access: consoleAccess }, schema: { hide: true, params: AgencyParams } },
    async (request, reply) => {
      const agency = request.params.agency;
      assertOperates(request.actor, agency);
      const b = bodyOf(request);
      const form = { vehicleId: str(b.vehicleId).trim(), blockId: str(b.blockId).trim() };
      const errors: FieldErrors = {};
      if (!form.vehicleId || form.vehicleId.length > 64 || !/^[\w.:-]+$/.test(form.vehicleId)) errors.vehicleId = 'transit.console.error.vehicleId';
      const net = await networkOf(ctx);
      if (form.blockId && !net.tripsByBlock.has(`${agency}:${form.blockId}`)) errors.blockId = 'transit.console.error.blockId';
      if (Object.keys(errors).length > 0)
        return sendPage(request, reply, await renderConsole(request, agency, { assignErrors: errors, assignForm: form }), 400);
      await assignVehicle(ctx, request.actor, agency, form.vehicleId, form.blockId || null);
      return reply.redirect(`/staff/transit/${encodeURIComponent(agency)}?notice=assigned&vehicle=${encodeURIComponent(form.vehicleId)}#assign`, 303);
    },
  );

  app.post<{ Params: { agency: string } }>(
    '/staff/transit/:agency/feeds',
    { config: { access: consoleAccess }, schema: { hide: true, params: AgencyParams } },
    async (request, reply) => {
      const agency = request.params.agency;
      if (!mayOperate(request.actor, agency)) throw new ForbiddenError();
      const upload = await uploadedFeed(request);
      if (!upload.bytes) {
        const uploadErrors = { feed: upload.tooLarge ? 'transit.console.error.tooLarge' : 'transit.console.error.file' };
        return sendPage(request, reply, await renderConsole(request, agency, { uploadErrors }), 400);
      }
      const result = await importGtfs(ctx.db, upload.bytes, {
        agencyCode: agency,
        sourceName: 'upload.zip',
        audit: { actorType: 'staff', actorId: request.actor!.userId, ip: request.ip },
      });
      if (!result.ok) {
        const problems: FeedProblem[] = result.problems.filter((p) => p.severity === 'error').slice(0, 50);
        return sendPage(request, reply, await renderConsole(request, agency, { importProblems: problems }), 400);
      }
      invalidateNetwork(ctx);
      await reloadLiveNetworks(ctx);
      const c = result.counts;
      return reply.redirect(
        `/staff/transit/${encodeURIComponent(agency)}?notice=imported&version=${result.version}&routes=${c.routes}&stops=${c.stops}&trips=${c.trips}#feeds`,
        303,
      );
    },
  );
}
