import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../platform/context.js';
import { HttpError, NotFoundError } from '../../../platform/http/errors.js';
import type { App } from '../../../platform/http/types.js';
import { liveOf } from './live.service.js';
import type { LiveVehicle } from './live.types.js';
import { PositionsBody, positionProblems } from './live.validation.js';

const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer() }, { additionalProperties: true });
const ArrivalSchema = Type.Object({
  routeId: Type.String(),
  tripId: Type.String(),
  vehicleId: Type.Union([Type.String(), Type.Null()]),
  predicted: Type.Integer({ description: 'Unix seconds' }),
  scheduled: Type.Integer({ description: 'Unix seconds' }),
  live: Type.Boolean({ description: 'true: predicted from a bus heard recently; false: the timetable' }),
});
const StopParams = Type.Object({ stopId: Type.String({ minLength: 1, maxLength: 128 }) });
const RouteParams = Type.Object({ routeId: Type.String({ minLength: 1, maxLength: 128 }) });

/** The map island's view of a vehicle (no predictions: they are per stop). */
export function mapView(v: LiveVehicle): Omit<LiveVehicle, 'stopTimeUpdates'> {
  const { stopTimeUpdates: _updates, ...rest } = v;
  void _updates;
  return rest;
}

export async function registerLiveRoutes(app: App, ctx: AppContext): Promise<void> {
  const rt = liveOf(ctx);

  app.post(
    '/api/v1/transit/positions',
    {
      config: { access: { staff: ['operator'] } },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['transit'],
        summary: "Vehicle positions from an operator's units",
        description:
          "Positions of the signed-in operator's vehicles (its department is the agency). Idempotent by vehicle and timestamp: a position already received, or older than the newest one of its vehicle, is counted in `accepted` but changes nothing (`duplicates`).",
        security: [{ bearer: [] }],
        body: PositionsBody,
        response: {
          202: Type.Object({ accepted: Type.Integer(), fresh: Type.Integer(), duplicates: Type.Integer() }),
          400: Problem,
          401: Problem,
          403: Problem,
          413: Problem,
        },
      },
    },
    async (request, reply) => {
      const agencyCode = request.actor!.departmentCode;
      if (!agencyCode) throw new HttpError(403, 'forbidden', 'Only an operator of a department may post positions');
      const positions = request.body.positions;
      const problems = positionProblems(positions, rt.clock.now(), rt.clock.mode === 'replay');
      if (problems.length) throw new HttpError(400, 'validation', 'Some positions are not valid', { errors: problems });
      const result = rt.ingest(agencyCode, positions);
      return reply.status(202).send(result);
    },
  );

  app.get(
    '/api/v1/transit/stops/:stopId/arrivals',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transit'],
        summary: 'Next arrivals at a stop',
        description: 'Live predictions of buses heard recently, and the timetable for trips without one, ordered by predicted time (unix seconds).',
        params: StopParams,
        response: { 200: Type.Object({ stopId: Type.String(), arrivals: Type.Array(ArrivalSchema) }), 404: Problem },
      },
    },
    async (request, reply) => {
      const { stopId } = request.params;
      const known = rt.engine.agencies().some((a) => rt.engine.network(a)?.stops.has(stopId));
      if (!known) throw new NotFoundError('No such stop');
      reply.header('cache-control', 'no-store');
      return { stopId, arrivals: rt.arrivalsAt(stopId) };
    },
  );

  app.get(
    '/api/v1/transit/vehicles',
    {
      config: { access: 'public' },
      schema: {
        tags: ['transit'],
        summary: 'Vehicles heard recently, with their trip match and predictions',
        querystring: Type.Object({
          agency: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })),
          routeId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { agency, routeId } = request.query;
      const vehicles = rt.liveVehicles(agency).filter((v) => !routeId || v.routeId === routeId);
      return { now: rt.clock.now(), vehicles };
    },
  );

  // Server-sent events for the route map: a snapshot, then every position and departure of the route's buses.
  app.get(
    '/api/v1/transit/routes/:routeId/vehicles/events',
    {
      config: { access: 'public' },
      schema: { tags: ['transit'], summary: 'Live positions of the buses of a route (text/event-stream)', params: RouteParams },
    },
    async (request, reply) => {
      const { routeId } = request.params;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      res.write('retry: 5000\n\n');
      send(
        'snapshot',
        rt
          .liveVehicles()
          .filter((v) => routeId === '*' || v.routeId === routeId)
          .map(mapView),
      );
      const unsubscribe = rt.subscribe(routeId, (e) => send(e.type === 'gone' ? 'gone' : 'vehicle', mapView(e.vehicle)));
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.on('close', close);
      res.on('error', close);
    },
  );
}
