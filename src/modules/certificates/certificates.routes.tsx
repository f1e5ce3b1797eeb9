import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';

export async function registerCertificatesRoutes(_app: App, _ctx: AppContext): Promise<void> {}
