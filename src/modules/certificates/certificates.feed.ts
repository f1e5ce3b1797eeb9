import { changeFeed, type ChangeFeed } from '../../platform/db/change-feed.js';
import type { AppContext } from '../../platform/context.js';

/** The channel a status change is announced on, with the list's id; NOTIFY is delivered only when its transaction commits. */
export const statusChannel = 'certificates_status';

/**
 * Which status lists changed: while the feed is live, a cached status list stays good until a notification for it
 * arrives, so a verification needs no query and still sees a revocation committed by any instance.
 */
export const feedOf = (ctx: AppContext): ChangeFeed => changeFeed(ctx, statusChannel, 'certificates');
