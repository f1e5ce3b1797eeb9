import { CATEGORIES, type Category, departmentFor } from './categories.js';

export { CATEGORIES, CATEGORY_DEPARTMENTS, isCategory, type Category } from './categories.js';

/** Below this confidence a post goes to the gov-service operators' triage queue instead of a department. */
export const ROUTING_THRESHOLD = 0.6;

export interface RoutingAlternative {
  departmentCode: string;
  confidence: number;
}

export interface RoutingResult {
  /** The department the text suggests (a catalogue department code). */
  departmentCode: string;
  /** Calibrated probability (0..1) that the category, and so the department, is right. */
  confidence: number;
  /** The training data's category (one of CATEGORIES). */
  category: string;
  /** The other departments, most likely first. */
  alternatives: RoutingAlternative[];
}

// First version: keyword counts; replaced by the trained model (see README.md).
const KEYWORDS: Record<Category, string[]> = {
  城乡建设: ['小区', '物业', '房', '拆迁', '施工', '业主', '供水', '道路'],
  环境保护: ['污染', '噪音', '环保', '排放', '垃圾', '臭'],
  交通运输: ['公交', '出租', '司机', '交通', '车站', '地铁', '高速'],
  教育文体: ['学校', '学生', '老师', '教育', '幼儿园', '考试'],
  劳动和社会保障: ['社保', '工资', '养老', '医保', '就业', '退休'],
  商贸旅游: ['商家', '消费', '旅游', '价格', '超市', '市场'],
  卫生计生: ['医院', '医生', '卫生', '生育', '疫苗', '患者'],
};

export function routePost(text: string): RoutingResult {
  const scores = CATEGORIES.map((c) => 1 + KEYWORDS[c].filter((w) => text.includes(w)).length);
  const total = scores.reduce((a, b) => a + b, 0);
  const ranked = CATEGORIES.map((c, i) => ({ category: c, p: (scores[i] ?? 0) / total })).sort((a, b) => b.p - a.p);
  const best = ranked[0] ?? { category: CATEGORIES[0], p: 0 };
  return {
    departmentCode: departmentFor(best.category, text),
    confidence: best.p,
    category: best.category,
    alternatives: ranked.slice(1).map((r) => ({ departmentCode: departmentFor(r.category, text), confidence: r.p })),
  };
}
