import type { MessageBundle } from '../../platform/i18n/i18n.js';

export const certificatesMessages: MessageBundle = {
  'zh-CN': {
    'certificates.field.required': '此项必填',
    'certificates.field.too_long': '内容过长',
    'certificates.field.date': '日期格式应为 年-月-日',
  },
  en: {
    'certificates.field.required': 'This is required',
    'certificates.field.too_long': 'This is too long',
    'certificates.field.date': 'Enter a date as year-month-day',
  },
};
