import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';

// PLACEHOLDER: the applications API (/api/v1/applications).
export async function registerCaseApi(_app: App, _ctx: AppContext): Promise<void> {}
