import type { onRequestAsyncHookHandler } from 'fastify';
import type { AppContext } from './context.js';
import type { App } from './http/types.js';
import type { MessageBundle } from './i18n/i18n.js';

/** A domain module as the app sees it: its messages, routes, jobs and demo data. */
export interface AppModule {
  name: string;
  messages?: MessageBundle;
  /** Sets request.actor (only the identity module has one). */
  authenticate?: (ctx: AppContext) => onRequestAsyncHookHandler;
  register(app: App, ctx: AppContext): Promise<void>;
  /** Defines the module's job queues; called once per process before jobs.work(). */
  defineJobs?(ctx: AppContext): Promise<void>;
  /** Writes the demo data; must be idempotent. */
  seed?(ctx: AppContext): Promise<void>;
  /** Lines describing the demo sign-ins, printed at start. */
  demoAccounts?(ctx: AppContext): string[];
}
