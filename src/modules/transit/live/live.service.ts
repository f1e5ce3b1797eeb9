import { eq } from 'drizzle-orm';
import type { AppContext } from '../../../platform/context.js';
import { feeds, vehicleAssignments } from '../transit.schema.js';
import { loadNetwork } from '../transit.network.js';
import { LiveEngine, type IngestResult, type VehicleListener } from './live.engine.js';
import { fromTransitNetwork } from './live.network.js';
import { PositionStore, purgePositions, recentPositions, type CopyFn } from './live.store.js';
import { startMqttIngest } from './live.mqtt.js';
import { startGtfsRtPolling } from './live.gtfsrt.js';
import { loadTravelTimes, saveTravelTimes } from './live.learned.js';
import type { Arrival, LiveNetwork, LiveVehicle, PositionInput } from './live.types.js';

/** The clock of the live view: the wall clock, or in replay mode the time of the newest ingested position. */
export interface LiveClock {
  mode: 'live' | 'replay';
  /** Unix seconds. */
  now(): number;
}

/** One per application instance: the engine, its clock, its store and its inputs. */
export interface LiveRuntime {
  engine: LiveEngine;
  clock: LiveClock;
  store: PositionStore;
  ingest(agencyCode: string, positions: PositionInput[]): IngestResult;
  arrivalsAt(stopId: string, now?: number): Arrival[];
  liveVehicles(agencyCode?: string): LiveVehicle[];
  subscribe(routeId: string, listener: VehicleListener): () => void;
  /** Re-reads the active static feeds (call after an import). */
  reloadNetworks(): Promise<void>;
  /** Replaces one agency's network directly (tests, tools). */
  setNetwork(net: LiveNetwork): void;
  /** Writes the learned travel-time bins changed since the last write (every 5 minutes and at stop); returns how many. */
  saveTravelTimes(): Promise<number>;
  stop(): Promise<void>;
  /** Background work started by start(): stopped by stop(). */
  onStop(fn: () => Promise<void> | void): void;
}

const runtimes = new WeakMap<AppContext, LiveRuntime>();

/** How often the learned travel times changed since are saved (a restart loses at most this much learning). */
const travelTimesSaveMs = 5 * 60_000;

export function liveOf(ctx: AppContext): LiveRuntime {
  let rt = runtimes.get(ctx);
  if (!rt) runtimes.set(ctx, (rt = createRuntime(ctx)));
  return rt;
}

function createRuntime(ctx: AppContext): LiveRuntime {
  const engine = new LiveEngine({ vehicleTimeoutSeconds: ctx.config.transitVehicleTimeoutSeconds });
  const wall = () => Math.floor(ctx.clock.now().getTime() / 1000);
  const clock: LiveClock =
    ctx.config.transitClock === 'replay'
      ? { mode: 'replay', now: () => (engine.latestPositionTime > 0 ? engine.latestPositionTime : wall()) }
      : { mode: 'live', now: wall };
  const store = new PositionStore((text, values) => ctx.database.query(text, values), ctx.log, {
    copy: pgliteCopy(ctx),
    // PGlite writes on this thread: a third of it at most while behind (PostgreSQL writes in its own processes).
    share: ctx.database.kind === 'pglite' ? 0.3 : 1,
    parallel: ctx.database.kind === 'pglite' ? 1 : 4,
    chunkRows: ctx.database.kind === 'pglite' ? 5000 : 10_000,
  });
  let persist = true;
  engine.onAccepted((agencyCode, p, v) => {
    if (persist) store.add(agencyCode, p, v);
  });
  const stoppers: (() => Promise<void> | void)[] = [];
  let started = false;
  let saving: Promise<number> | null = null;
  const saveLearned = async (): Promise<number> => {
    const bins = engine.takeChangedTravelTimes();
    if (!bins.length) return 0;
    try {
      await saveTravelTimes((text, values) => ctx.database.query(text, values), bins);
      return bins.length;
    } catch (error) {
      engine.markTravelTimesChanged(bins);
      ctx.log.error({ err: error, bins: bins.length }, 'transit live: learned travel times could not be saved');
      return 0;
    }
  };
  let activeFeeds = '';
  const reloadNetworks = async () => {
    const rows = await ctx.db.select({ id: feeds.id, agencyCode: feeds.agencyCode }).from(feeds).where(eq(feeds.active, true));
    activeFeeds = rows
      .map((r) => r.id)
      .sort()
      .join(',');
    if (!rows.length) return;
    const tn = await loadNetwork(ctx.db);
    for (const agencyCode of new Set(rows.map((r) => r.agencyCode))) engine.setNetwork(fromTransitNetwork(tn, agencyCode));
  };
  const rt: LiveRuntime = {
    engine,
    clock,
    store,
    ingest: (agencyCode, positions) => engine.ingest(agencyCode, positions),
    arrivalsAt: (stopId, now) => engine.arrivalsAt(stopId, now ?? clock.now()),
    liveVehicles: (agencyCode) => engine.liveVehicles(clock.now(), agencyCode),
    subscribe: (routeId, listener) => engine.subscribe(routeId, listener),
    reloadNetworks,
    setNetwork: (net) => engine.setNetwork(net),
    // One write at a time (the timer and a shutdown may meet); a call during a write waits for it and writes what is left.
    async saveTravelTimes() {
      while (saving) await saving;
      saving = saveLearned();
      try {
        return await saving;
      } finally {
        saving = null;
      }
    },
    onStop: (fn) => stoppers.push(fn),
    async stop() {
      for (const fn of stoppers.splice(0).reverse()) await fn();
      await store.stop();
      if (started) await rt.saveTravelTimes();
    },
  };
  // Restore: the newest position of each vehicle heard within the timeout (not stored again).
  (rt as LiveRuntime & { start: () => Promise<void> }).start = async () => {
    try {
      await reloadNetworks();
    } catch (error) {
      ctx.log.error({ err: error }, 'transit live: static networks could not be loaded');
    }
    // The console's manual vehicle → block assignments (written by the transit module).
    try {
      for (const a of await ctx.db.select().from(vehicleAssignments)) engine.assignBlock(a.agencyCode, a.vehicleId, a.blockId);
    } catch (error) {
      ctx.log.error({ err: error }, 'transit live: vehicle assignments could not be read');
    }
    // The learned travel times as last saved (by this instance or another), on the networks just loaded.
    try {
      const restored = engine.restoreTravelTimes(await loadTravelTimes(ctx.db));
      if (restored) ctx.log.info({ bins: restored }, 'transit live: learned travel times loaded');
    } catch (error) {
      ctx.log.error({ err: error }, 'transit live: learned travel times could not be loaded');
    }
    // The last hours of positions (at most 200,000) add to them what was learned after the save (crossings of a bin up
    // to its save are skipped), then the newest position of each vehicle rebuilds its state.
    const since = clock.mode === 'replay' ? 0 : wall() - Math.max(3 * 3600, ctx.config.transitVehicleTimeoutSeconds);
    const latest = await recentPositions(ctx.db, Math.max(0, since), 200_000);
    persist = false;
    engine.replayingStored = true;
    try {
      for (const p of latest) engine.ingest(p.agencyCode, [p]);
    } finally {
      persist = true;
      engine.replayingStored = false;
    }
    started = true;
    store.start();
    // A timer of this instance rather than a job: each instance saves what it learned itself, which a job run by
    // whichever worker takes it could not reach.
    const saveTimer = setInterval(() => void rt.saveTravelTimes(), travelTimesSaveMs);
    saveTimer.unref();
    stoppers.push(() => clearInterval(saveTimer));
    if (ctx.config.mqttUrl) {
      try {
        const mqttIngest = await startMqttIngest(
          ctx,
          rt,
          ctx.config.mqttUrl,
          ctx.config.transitMqttTopics.length ? { topics: ctx.config.transitMqttTopics } : {},
        );
        stoppers.push(() => mqttIngest.stop());
      } catch (error) {
        ctx.log.error({ err: error }, 'transit live: MQTT broker unreachable; HTTP ingest only');
      }
    }
    stoppers.push(startGtfsRtPolling(ctx, rt));
    // Notice a re-import done by another instance (or the command line) and silent vehicles.
    const timer = setInterval(() => {
      engine.sweep(clock.now());
      void ctx.db
        .select({ id: feeds.id })
        .from(feeds)
        .where(eq(feeds.active, true))
        .then((rows) => {
          const ids = rows
            .map((r) => r.id)
            .sort()
            .join(',');
          if (ids !== activeFeeds) return reloadNetworks();
        })
        .catch((error: unknown) => ctx.log.error({ err: error }, 'transit live: feed check failed'));
    }, 5000);
    timer.unref();
    stoppers.push(() => clearInterval(timer));
  };
  return rt;
}

/** On PGlite, COPY from a CSV text (cheaper than any INSERT); PostgreSQL gets the INSERT. */
function pgliteCopy(ctx: AppContext): CopyFn | undefined {
  if (ctx.database.kind !== 'pglite') return undefined;
  const client = (ctx.database.db as unknown as { $client?: { query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown> } }).$client;
  if (!client || typeof client.query !== 'function') return undefined;
  return (statement, csv) => client.query(statement, [], { blob: new Blob([csv]) });
}

export const positionPurgeQueue = 'transit.positions.purge';

/**
 * Deletes the stored positions older than TRANSIT_POSITION_RETENTION_HOURS by the transit clock: the wall clock, or
 * in replay mode the newest stored position (a trace from 2016 is history only relative to itself). Returns how many.
 * Runs as a job (hourly), also on a worker process that has no live runtime.
 */
export async function purgeOldPositions(ctx: AppContext): Promise<number> {
  let now = Math.floor(Date.now() / 1000);
  if (ctx.config.transitClock === 'replay') {
    const { rows } = await ctx.database.query('SELECT max(recorded_at) AS newest FROM transit_live_positions');
    const newest = Number(rows[0]?.newest);
    if (!Number.isFinite(newest) || newest <= 0) return 0;
    now = newest;
  }
  const deleted = await purgePositions(ctx.db, now - ctx.config.transitPositionRetentionHours * 3600);
  if (deleted) ctx.log.info({ deleted }, 'transit: stored positions past their retention deleted');
  return deleted;
}

/** Loads networks, restores the state, starts the store (called once when the app starts). */
export async function startLive(ctx: AppContext): Promise<LiveRuntime> {
  const rt = liveOf(ctx) as LiveRuntime & { start: () => Promise<void> };
  await rt.start();
  return rt;
}
