/** Chengdu's departments as demo data. The codes are stable: later modules and independent checks use them. */
export interface DepartmentSeed {
  code: string;
  parentCode: string | null;
  level: 'city' | 'district' | 'county' | 'town';
  nameZh: string;
  nameEn: string;
}

export const departmentSeed: DepartmentSeed[] = [
  {
    code: 'gov-service',
    parentCode: null,
    level: 'city',
    nameZh: '市政务服务管理和网络理政办公室',
    nameEn: 'Government Services and Online Governance Office',
  },
  { code: 'psb', parentCode: null, level: 'city', nameZh: '市公安局', nameEn: 'Public Security Bureau' },
  { code: 'psb-exit-entry', parentCode: 'psb', level: 'city', nameZh: '市公安局出入境管理局', nameEn: 'Exit and Entry Administration, Public Security Bureau' },
  { code: 'amr', parentCode: null, level: 'city', nameZh: '市市场监督管理局', nameEn: 'Administration for Market Regulation' },
  { code: 'tax', parentCode: null, level: 'city', nameZh: '国家税务总局成都市税务局', nameEn: 'Chengdu Tax Service' },
  { code: 'tax-wuhou', parentCode: 'tax', level: 'district', nameZh: '武侯区税务局', nameEn: 'Wuhou District Tax Service' },
  { code: 'sci-tech', parentCode: null, level: 'city', nameZh: '市科学技术局', nameEn: 'Science and Technology Bureau' },
  { code: 'transport', parentCode: null, level: 'city', nameZh: '市交通运输局', nameEn: 'Transport Bureau' },
  { code: 'bus-group', parentCode: 'transport', level: 'city', nameZh: '成都公交集团', nameEn: 'Chengdu Bus Group' },
  { code: 'housing', parentCode: null, level: 'city', nameZh: '市住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development Bureau' },
  { code: 'ecology', parentCode: null, level: 'city', nameZh: '市生态环境局', nameEn: 'Ecology and Environment Bureau' },
  { code: 'education', parentCode: null, level: 'city', nameZh: '市教育局', nameEn: 'Education Bureau' },
  { code: 'culture-tourism', parentCode: null, level: 'city', nameZh: '市文化广电旅游局', nameEn: 'Culture, Radio, Television and Tourism Bureau' },
  { code: 'hrss', parentCode: null, level: 'city', nameZh: '市人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau' },
  { code: 'commerce', parentCode: null, level: 'city', nameZh: '市商务局', nameEn: 'Commerce Bureau' },
  { code: 'health', parentCode: null, level: 'city', nameZh: '市卫生健康委员会', nameEn: 'Health Commission' },
  { code: 'xinjin-transport', parentCode: 'transport', level: 'county', nameZh: '新津县交通运输局', nameEn: 'Xinjin County Transport Bureau' },
  { code: 'xiaoyudong', parentCode: null, level: 'town', nameZh: '彭州市小鱼洞镇人民政府', nameEn: 'Xiaoyudong Town Government, Pengzhou' },
  { code: 'release', parentCode: null, level: 'city', nameZh: '成都发布', nameEn: 'Chengdu Release' },
];
