import type { AppModule } from '../../platform/module.js';
import { sandboxMessages } from './sandbox.messages.js';
import { registerSandboxRoutes } from './sandbox.routes.js';

/**
 * The payment and courier ports over HTTP: the providers' signed callback routes, the sandbox payment
 * page (/sandbox/pay/{id}) and the sandbox courier console (/sandbox/courier). The ports themselves live in
 * src/platform/payments and src/platform/delivery and are used by other modules through ctx.
 */
export const sandboxModule: AppModule = {
  name: 'sandbox',
  messages: sandboxMessages,
  register: registerSandboxRoutes,
};
