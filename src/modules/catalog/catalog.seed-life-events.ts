/** Life events (人生大事): how people look for services when they do not know which department to ask. */
export interface LifeEventSeed {
  code: string;
  nameZh: string;
  nameEn: string;
}

export const lifeEventSeed: LifeEventSeed[] = [
  { code: 'birth', nameZh: '出生', nameEn: 'Having a baby' },
  { code: 'schooling', nameZh: '上学', nameEn: 'Going to school' },
  { code: 'employment', nameZh: '就业', nameEn: 'Finding work' },
  { code: 'travel-abroad', nameZh: '出行出境', nameEn: 'Travelling abroad' },
  { code: 'starting-business', nameZh: '开办企业', nameEn: 'Starting a business' },
  { code: 'taxes', nameZh: '纳税', nameEn: 'Paying taxes' },
  { code: 'marriage', nameZh: '婚姻', nameEn: 'Getting married' },
  { code: 'housing', nameZh: '住房', nameEn: 'Housing' },
  { code: 'retirement', nameZh: '退休', nameEn: 'Retiring' },
  { code: 'moving', nameZh: '搬家落户', nameEn: 'Moving home' },
];
