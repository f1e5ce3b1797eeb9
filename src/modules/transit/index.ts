import type { AppContext } from '../../platform/context.js';
import type { AppModule } from '../../platform/module.js';
import { transitMessages } from './transit.messages.js';
import { registerTransitRoutes } from './transit.routes.js';
import { seedTransit } from './transit.seed.js';
import { checkSubscriptions } from './transit.service.js';

const SUBSCRIPTION_CHECK_MS = 20_000;

/**
 * Transit (Bus e-Travel), static side: GTFS import (command and operators' upload), the active network for
 * riders and for the live engine (transit/live), rider pages, service alerts, GTFS-Realtime out, the
 * operators' console and arrival reminders.
 */
export const transitModule: AppModule = {
  name: 'transit',
  messages: transitMessages,
  async register(app, ctx) {
    await registerTransitRoutes(app, ctx);
    // Arrival reminders need the live engine's predictions, which live in the serving process: each
    // instance checks them on a timer; claiming a reminder is a conditional UPDATE, so none fires twice.
    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      if (process.env.NODE_ENV === 'test' || process.env.VITEST) return;
      timer = setInterval(() => void checkSubscriptions(ctx).catch((e: unknown) => ctx.log.warn({ err: e }, 'transit reminders')), SUBSCRIPTION_CHECK_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
    });
  },
  seed: seedTransit,
  demoAccounts: (ctx: AppContext) =>
    ctx.config.seedDemo ? ['Bus e-Travel: /transit (riders), /staff/transit (bus-group.operator), /gtfs-rt/vehicle-positions.pb'] : [],
};

export { importGtfs, type ImportResult, type ImportOptions } from './transit.import.js';
export { loadNetwork, type TransitNetwork, type NetworkTrip, type NetworkStop, type NetworkRoute, type NetworkShape } from './transit.network.js';
export { cancelledTripIds, checkSubscriptions, listAssignments as vehicleAssignments, networkOf } from './transit.service.js';
