import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { PositionInput } from './live.types.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' });

/** One GPS fix. Latitude and longitude 0/0 (an unset GPS unit) is refused like any invalid position (GTFS-RT E026). */
export const PositionSchema = Type.Object(
  {
    vehicleId: Id,
    timestamp: Type.Integer({ minimum: 946_684_800, maximum: 4_102_444_800, description: 'Unix seconds' }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    bearing: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'Degrees clockwise from north' })),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Metres per second' })),
    tripId: Type.Optional(Id),
    blockId: Type.Optional(Id),
    routeId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const PositionsBody = Type.Object({ positions: Type.Array(PositionSchema, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false });
export type PositionsBodyType = Static<typeof PositionsBody>;

export interface PositionProblem {
  path: string;
  message: string;
}

/** Checks that the schema cannot express: null island, fixes from the future. */
export function positionProblems(positions: PositionInput[], now: number, allowFuture: boolean): PositionProblem[] {
  const problems: PositionProblem[] = [];
  const latest = allowFuture ? Infinity : now + 300;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (p.lat === 0 && p.lon === 0) problems.push({ path: `/positions/${i}`, message: 'lat 0, lon 0 is not a position (GPS without a fix)' });
    if (p.timestamp > latest) problems.push({ path: `/positions/${i}/timestamp`, message: 'timestamp is more than 5 minutes in the future' });
  }
  return problems;
}

/** The schema compiled once to a function: about 8 times faster than interpreting it for every message. */
const positionsBodyCheck = TypeCompiler.Compile(PositionsBody);

/** Validates a body received by another transport than HTTP (MQTT) with the same schema. */
export function parsePositionsBody(value: unknown): { ok: true; body: PositionsBodyType } | { ok: false; problems: PositionProblem[] } {
  if (positionsBodyCheck.Check(value)) return { ok: true, body: value };
  const problems: PositionProblem[] = [];
  for (const e of positionsBodyCheck.Errors(value)) {
    problems.push({ path: e.path, message: e.message });
    if (problems.length === 20) break;
  }
  return { ok: false, problems };
}
