import type { MessageBundle } from '../../platform/i18n/i18n.js';

/** Messages of the application pages and the staff workbench. */
export const casePageMessages = {
  'zh-CN': {},
  en: {},
} satisfies MessageBundle;
