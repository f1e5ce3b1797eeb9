import type { MessageBundle } from '../i18n/i18n.js';

export const filesMessages = {
  'zh-CN': {
    'files.required': '请选择要上传的文件',
    'files.empty': '文件是空的',
    'files.purpose': '用途格式不正确',
  },
  en: {
    'files.required': 'Choose a file to upload',
    'files.empty': 'The file is empty',
    'files.purpose': 'The purpose is not valid',
  },
} satisfies MessageBundle;
