import { randomBytes } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { AppContext } from '../../../platform/context.js';
import { hasRole, type Actor } from '../../../platform/auth/actor.js';
import { resolveActor } from '../../identity/index.js';
import type { LiveRuntime } from './live.service.js';
import { parsePositionsBody, positionProblems } from './live.validation.js';

/**
 * Topic on which an operator's units publish: `servicehall/transit/<agency>/positions`, or with a partition suffix
 * `…/positions/<n>` (n = hash(vehicleId) mod N) when several instances split the fleet (TRANSIT_MQTT_TOPICS).
 */
export const positionsTopic = (agencyCode: string) => `servicehall/transit/${agencyCode}/positions`;
/** Shared subscription: each message goes to one of the instances subscribed in the group (MQTT 5 / Mosquitto 2). */
export const sharedSubscription = '$share/servicehall-live/servicehall/transit/+/positions';
const topicPattern = /^servicehall\/transit\/([a-z0-9-]{1,64})\/positions(?:\/\d{1,4})?$/;

export interface MqttIngest {
  client: MqttClient;
  stats: { received: number; accepted: number; rejected: number };
  stop(): Promise<void>;
}

/**
 * Ingest over MQTT. A message is `{positions: [...]}` like the HTTP body; it is authenticated by the operator's API
 * token, sent as the MQTT 5 user property `authorization: Bearer <token>` (or a `token` field in the payload), and
 * the token's department must be the topic's agency. Tokens are checked against the sessions table and remembered
 * for 60 s. Rejected messages are logged and counted (MQTT has no reply).
 */
export async function startMqttIngest(
  ctx: AppContext,
  live: LiveRuntime,
  url: string,
  options: { shared?: boolean; topics?: string[] } = {},
): Promise<MqttIngest> {
  const client = await mqtt.connectAsync(url, {
    clientId: `servicehall-live-${randomBytes(6).toString('hex')}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 2000,
  });
  const stats = { received: 0, accepted: 0, rejected: 0 };
  const actors = new Map<string, { actor: Actor | null; until: number }>();
  /** The cached actor of a token, or undefined when it must be looked up. */
  const cachedActor = (token: string, now: number): Actor | null | undefined => {
    const hit = actors.get(token);
    return hit && hit.until > now ? hit.actor : undefined;
  };
  const lookUpActor = async (token: string): Promise<Actor | null> => {
    const actor = await resolveActor(ctx, token, 'bearer');
    if (actors.size > 10_000) actors.clear();
    actors.set(token, { actor, until: Date.now() + 60_000 });
    return actor;
  };
  const reject = (reason: string, topic: string) => {
    stats.rejected++;
    ctx.log.info({ topic, reason }, 'transit live: MQTT message refused');
  };
  /** A message parsed and its token read: what is left needs the actor. */
  interface Parsed {
    topic: string;
    agencyCode: string;
    token: string;
    body: Record<string, unknown>;
  }
  const read = (topic: string, payload: Buffer, packet: IPublishPacket): Parsed | null => {
    const m = topicPattern.exec(topic);
    if (!m) return (reject('topic', topic), null);
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return (reject('not JSON', topic), null);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return (reject('not an object', topic), null);
    const record = body as Record<string, unknown>;
    const property = packet.properties?.userProperties?.authorization;
    const header = Array.isArray(property) ? property[0] : property;
    const token = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header)?.[1] : typeof record.token === 'string' ? record.token : undefined;
    if (!token) return (reject('no token', topic), null);
    if ('token' in record) delete record.token;
    return { topic, agencyCode: m[1]!, token, body: record };
  };
  const apply = (message: Parsed, actor: Actor | null) => {
    const { topic, agencyCode } = message;
    if (!actor || actor.pendingSecondFactor || !hasRole(actor, ['operator']) || actor.departmentCode !== agencyCode)
      return reject('not an operator of this agency', topic);
    const parsed = parsePositionsBody(message.body);
    if (!parsed.ok) return reject(`invalid: ${parsed.problems[0]?.path} ${parsed.problems[0]?.message}`, topic);
    const problems = positionProblems(parsed.body.positions, live.clock.now(), live.clock.mode === 'replay');
    if (problems.length) return reject(`invalid: ${problems[0]!.path} ${problems[0]!.message}`, topic);
    stats.accepted += live.ingest(agencyCode, parsed.body.positions).accepted;
  };
  // One message at a time, in arrival order (a vehicle's positions must not overtake each other): a message whose
  // token is cached is applied at once unless earlier ones still wait for a token lookup; then it queues behind them.
  let waiting = 0;
  let chain: Promise<void> = Promise.resolve();
  client.on('message', (topic, payload, packet) => {
    stats.received++;
    const message = read(topic, payload, packet);
    if (!message) return;
    const actor = waiting ? undefined : cachedActor(message.token, Date.now());
    if (actor !== undefined) {
      try {
        apply(message, actor);
      } catch (error) {
        ctx.log.error({ err: error, topic }, 'transit live: MQTT message failed');
      }
      return;
    }
    waiting++;
    chain = chain
      .then(async () => apply(message, cachedActor(message.token, Date.now()) ?? (await lookUpActor(message.token))))
      .catch((error: unknown) => ctx.log.error({ err: error, topic }, 'transit live: MQTT message failed'))
      .finally(() => waiting--);
  });
  const topics = options.topics ?? (options.shared === false ? ['servicehall/transit/+/positions'] : [sharedSubscription]);
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    stats,
    async stop() {
      await chain;
      await client.endAsync();
    },
  };
}
