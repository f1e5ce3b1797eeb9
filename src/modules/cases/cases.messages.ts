import type { MessageBundle } from '../../platform/i18n/i18n.js';

/** Messages of the case service, API and notices. */
export const casesMessages = {
  'zh-CN': {
    'cases.form.required': '请填写此项',
    'cases.form.invalid': '填写的内容无效',
    'cases.form.tooLong': '内容太长',
    'cases.form.tooShort': '内容太短',
    'cases.form.range': '数值超出允许范围',
    'cases.form.number': '请填写数字',
    'cases.form.choice': '请从选项中选择',
    'cases.form.idNumber': '请填写有效的 18 位公民身份号码',
    'cases.form.phone': '请填写有效的 11 位手机号码',
    'cases.form.uscc': '请填写有效的 18 位统一社会信用代码',
    'cases.form.date': '请按 年-月-日 填写有效日期',
    'cases.form.file': '请上传文件',
    'cases.form.address': '请填写详细地址',
    'cases.form.district': '请选择成都市的区（市）县',
  },
  en: {
    'cases.form.required': 'Enter this information',
    'cases.form.invalid': 'This answer is not valid',
    'cases.form.tooLong': 'This answer is too long',
    'cases.form.tooShort': 'This answer is too short',
    'cases.form.range': 'This number is outside the allowed range',
    'cases.form.number': 'Enter a number',
    'cases.form.choice': 'Choose one of the options',
    'cases.form.idNumber': 'Enter a valid 18-character resident ID number',
    'cases.form.phone': 'Enter a valid 11-digit mobile number',
    'cases.form.uscc': 'Enter a valid 18-character unified social credit code',
    'cases.form.date': 'Enter a real date as year-month-day',
    'cases.form.file': 'Upload a file',
    'cases.form.address': 'Enter the street address',
    'cases.form.district': 'Choose a district or county of Chengdu',
  },
} satisfies MessageBundle;
