import type { AppModule } from '../../platform/module.js';
import { hallMessages } from './hall.messages.js';
import { registerHallApi } from './hall.api.js';
import { registerHallPages } from './hall.pages.js';
import { defineHallJobs } from './hall.jobs.js';
import { seedHall } from './hall.seed.js';
import { preloadRouting } from './routing/index.js';

/** The public Q&A and complaint hall: department accounts, citizen posts, routing, promises, moderation, live threads. */
export const hallModule: AppModule = {
  name: 'hall',
  messages: hallMessages,
  async register(app, ctx) {
    // Load the routing model at start, so the first post is not the one that waits for it.
    preloadRouting();
    await registerHallApi(app, ctx);
    await registerHallPages(app, ctx);
  },
  defineJobs: defineHallJobs,
  seed: seedHall,
};

// --- what other modules (and the hall's Open311 API) may use ------------------------------------------
export {
  createPost,
  getPost,
  getPostByNumber,
  listPosts,
  listAccounts,
  listAnsweredPostsForTraining,
  closedStatuses,
  postKinds,
  type PostAuthor,
  type CreatePostInput,
  type CreatedPost,
  type PostSummary,
  type PostThread,
  type ThreadEntry,
  type PostFilter,
  type PostKind,
  type PostStatus,
  type PostChannel,
  type Account,
} from './hall.service.js';
export { createLiveHub, type LiveEvent, type LiveHub } from './hall.live.js';
