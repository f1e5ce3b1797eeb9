import type { AppContext } from '../../platform/context.js';
import type { App } from '../../platform/http/types.js';

// PLACEHOLDER: application forms, my applications, the staff workbench.
export async function registerCasePages(_app: App, _ctx: AppContext): Promise<void> {}
