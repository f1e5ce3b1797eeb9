/**
 * Reference data of enterprise registration in Chengdu: districts with their GB/T 2260 codes (the area code
 * of a USCC), name parts, the standard business-scope list and the initial forbidden words. The scope list
 * and the forbidden words are seeded into tables, where the AMR edits them; the rest changes with the law.
 */

/** Chengdu's county-level divisions and their GB/T 2260 codes. The registration authority is the district's AMR. */
export const districts: readonly { name: string; code: string; nameEn: string }[] = [
  { name: '锦江区', code: '510104', nameEn: 'Jinjiang District' },
  { name: '青羊区', code: '510105', nameEn: 'Qingyang District' },
  { name: '金牛区', code: '510106', nameEn: 'Jinniu District' },
  { name: '武侯区', code: '510107', nameEn: 'Wuhou District' },
  { name: '成华区', code: '510108', nameEn: 'Chenghua District' },
  { name: '龙泉驿区', code: '510112', nameEn: 'Longquanyi District' },
  { name: '青白江区', code: '510113', nameEn: 'Qingbaijiang District' },
  { name: '新都区', code: '510114', nameEn: 'Xindu District' },
  { name: '温江区', code: '510115', nameEn: 'Wenjiang District' },
  { name: '双流区', code: '510116', nameEn: 'Shuangliu District' },
  { name: '郫都区', code: '510117', nameEn: 'Pidu District' },
  { name: '新津区', code: '510118', nameEn: 'Xinjin District' },
  { name: '金堂县', code: '510121', nameEn: 'Jintang County' },
  { name: '大邑县', code: '510129', nameEn: 'Dayi County' },
  { name: '蒲江县', code: '510131', nameEn: 'Pujiang County' },
  { name: '都江堰市', code: '510181', nameEn: 'Dujiangyan' },
  { name: '彭州市', code: '510182', nameEn: 'Pengzhou' },
  { name: '邛崃市', code: '510183', nameEn: 'Qionglai' },
  { name: '崇州市', code: '510184', nameEn: 'Chongzhou' },
  { name: '简阳市', code: '510185', nameEn: 'Jianyang' },
];

export const districtByName = (name: string) => districts.find((d) => d.name === name);

/** The registration authority of a district (区（市）县市场监督管理局). */
export const authorityOf = (district: string): string => `成都市${district}市场监督管理局`;

/**
 * Administrative divisions a Chengdu company name may start with (Art. 7: a city district is preceded by its
 * city). 四川 is for companies registered by the province; it is offered because Chengdu companies may apply for it.
 */
export const nameDivisions: readonly string[] = ['成都', '成都市', ...districts.map((d) => `成都市${d.name}`)];

/** Industry or business feature (行业或者经营特点), following 国民经济行业分类 wording. */
export const industries: readonly { value: string; en: string }[] = [
  { value: '科技', en: 'technology' },
  { value: '网络科技', en: 'internet technology' },
  { value: '信息技术', en: 'information technology' },
  { value: '软件开发', en: 'software development' },
  { value: '生物科技', en: 'biotechnology' },
  { value: '商贸', en: 'trading' },
  { value: '贸易', en: 'trade' },
  { value: '餐饮管理', en: 'catering management' },
  { value: '火锅', en: 'hotpot restaurant' },
  { value: '茶业', en: 'tea' },
  { value: '文化传媒', en: 'culture and media' },
  { value: '文化创意', en: 'creative culture' },
  { value: '教育咨询', en: 'education consulting' },
  { value: '企业管理咨询', en: 'management consulting' },
  { value: '建筑工程', en: 'construction' },
  { value: '物流', en: 'logistics' },
  { value: '农业科技', en: 'agricultural technology' },
  { value: '旅游', en: 'tourism' },
  { value: '食品', en: 'food' },
  { value: '医药', en: 'pharmaceuticals' },
];

/** Organisational forms this service registers: limited companies (有限责任公司). */
export const orgForms: readonly { value: string; en: string }[] = [
  { value: '有限公司', en: 'Co., Ltd.' },
  { value: '有限责任公司', en: 'Limited Liability Company' },
];

export const entityTypeOfLimitedCompany = '有限责任公司（自然人投资或控股）';

/** The standard business-scope list; `needsPermit` marks a prior permit (前置审批) before registration. */
export const scopeSeed: readonly {
  code: string;
  nameZh: string;
  nameEn: string;
  needsPermit: boolean;
  permitZh?: string;
  permitEn?: string;
}[] = [
  { code: 'software-dev', nameZh: '软件开发', nameEn: 'Software development', needsPermit: false },
  { code: 'it-consulting', nameZh: '信息技术咨询服务', nameEn: 'Information technology consulting', needsPermit: false },
  {
    code: 'tech-services',
    nameZh: '技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广',
    nameEn: 'Technical services, development, consulting, exchange, transfer and promotion',
    needsPermit: false,
  },
  { code: 'data-processing', nameZh: '数据处理和存储支持服务', nameEn: 'Data processing and storage support', needsPermit: false },
  { code: 'daily-goods-sales', nameZh: '日用百货销售', nameEn: 'Retail of daily goods', needsPermit: false },
  { code: 'textile-sales', nameZh: '针纺织品及原料销售', nameEn: 'Sale of textiles and raw materials', needsPermit: false },
  { code: 'crafts-sales', nameZh: '工艺美术品及收藏品零售（象牙及其制品除外）', nameEn: 'Retail of arts and crafts (except ivory)', needsPermit: false },
  { code: 'clothing-sales', nameZh: '服装服饰零售', nameEn: 'Retail of clothing', needsPermit: false },
  { code: 'mgmt-consulting', nameZh: '企业管理咨询', nameEn: 'Business management consulting', needsPermit: false },
  { code: 'marketing', nameZh: '市场营销策划', nameEn: 'Marketing planning', needsPermit: false },
  { code: 'advertising', nameZh: '广告设计、代理', nameEn: 'Advertising design and agency', needsPermit: false },
  { code: 'conference', nameZh: '会议及展览服务', nameEn: 'Conference and exhibition services', needsPermit: false },
  { code: 'import-export-goods', nameZh: '货物进出口', nameEn: 'Import and export of goods', needsPermit: false },
  { code: 'catering-mgmt', nameZh: '餐饮管理', nameEn: 'Catering management', needsPermit: false },
  { code: 'agri-tech', nameZh: '农业科学研究和试验发展', nameEn: 'Agricultural research and development', needsPermit: false },
  { code: 'tea-sales', nameZh: '茶具销售', nameEn: 'Sale of tea sets', needsPermit: false },
  {
    code: 'food-business',
    nameZh: '食品经营（销售预包装食品除外）',
    nameEn: 'Food business (other than pre-packaged food sales)',
    needsPermit: true,
    permitZh: '食品经营许可证（市场监督管理部门）',
    permitEn: 'Food business permit (market regulation)',
  },
  {
    code: 'catering-services',
    nameZh: '餐饮服务',
    nameEn: 'Catering services',
    needsPermit: true,
    permitZh: '食品经营许可证（市场监督管理部门）',
    permitEn: 'Food business permit (market regulation)',
  },
  {
    code: 'pharma-retail',
    nameZh: '药品零售',
    nameEn: 'Retail of pharmaceuticals',
    needsPermit: true,
    permitZh: '药品经营许可证（药品监督管理部门）',
    permitEn: 'Pharmaceutical trading licence (drug administration)',
  },
  {
    code: 'travel-agency',
    nameZh: '旅游业务',
    nameEn: 'Travel agency business',
    needsPermit: true,
    permitZh: '旅行社业务经营许可证（文化和旅游部门）',
    permitEn: 'Travel agency licence (culture and tourism)',
  },
  {
    code: 'road-freight',
    nameZh: '道路货物运输（不含危险货物）',
    nameEn: 'Road freight (no dangerous goods)',
    needsPermit: true,
    permitZh: '道路运输经营许可证（交通运输部门）',
    permitEn: 'Road transport operating permit (transport)',
  },
  {
    code: 'internet-info',
    nameZh: '第二类增值电信业务',
    nameEn: 'Category II value-added telecom services',
    needsPermit: true,
    permitZh: '增值电信业务经营许可证（通信管理部门）',
    permitEn: 'Value-added telecom licence (communications administration)',
  },
  {
    code: 'publication-retail',
    nameZh: '出版物零售',
    nameEn: 'Retail of publications',
    needsPermit: true,
    permitZh: '出版物经营许可证（新闻出版部门）',
    permitEn: 'Publication trading licence (press and publication)',
  },
  {
    code: 'construction',
    nameZh: '建设工程施工',
    nameEn: 'Construction works',
    needsPermit: true,
    permitZh: '建筑业企业资质证书（住房和城乡建设部门）',
    permitEn: 'Construction enterprise qualification (housing and construction)',
  },
];

/** Initial forbidden words (Art. 11 of 《企业名称登记管理规定》 and the older 实施办法); the AMR edits the table. */
export const forbiddenWordSeed: readonly { word: string; reasonZh: string; reasonEn: string }[] = [
  { word: '中国', reasonZh: '冠以“中国”字样须经国务院批准', reasonEn: '"China" needs the approval of the State Council' },
  { word: '中华', reasonZh: '冠以“中华”字样须经国务院批准', reasonEn: '"Zhonghua" needs the approval of the State Council' },
  { word: '全国', reasonZh: '冠以“全国”字样须经国务院批准', reasonEn: '"National" needs the approval of the State Council' },
  { word: '国家', reasonZh: '使用“国家”字样须经国务院批准', reasonEn: '"State" needs the approval of the State Council' },
  { word: '国际', reasonZh: '使用“国际”字样须经国务院批准', reasonEn: '"International" needs the approval of the State Council' },
  { word: '中央', reasonZh: '使用党政机关名称或特定称谓', reasonEn: 'Uses the name of a Party or state body' },
  { word: '人民政府', reasonZh: '使用党政机关名称或特定称谓', reasonEn: 'Uses the name of a Party or state body' },
  { word: '解放军', reasonZh: '使用部队名称或番号', reasonEn: 'Uses the name of an armed force' },
  { word: '联合国', reasonZh: '使用国际组织名称', reasonEn: 'Uses the name of an international organisation' },
  { word: '赌场', reasonZh: '含有赌博内容', reasonEn: 'Refers to gambling' },
  { word: '博彩', reasonZh: '含有赌博内容', reasonEn: 'Refers to gambling' },
  { word: '色情', reasonZh: '含有淫秽、色情内容', reasonEn: 'Obscene content' },
  { word: '秦桧', reasonZh: '使用恶名人物姓名，有不良影响', reasonEn: 'Name of a notorious figure' },
  { word: '雷锋', reasonZh: '使用英雄烈士姓名', reasonEn: 'Name of a national hero' },
];
