import type { AppModule } from '../../platform/module.js';
import { inboxMessages } from './inbox.messages.js';
import { registerInboxRoutes } from './inbox.routes.js';

/** In-app notices at /account/inbox and /api/v1/inbox; the notices themselves come from ctx.notify. */
export const inboxModule: AppModule = {
  name: 'inbox',
  messages: inboxMessages,
  register: registerInboxRoutes,
};
