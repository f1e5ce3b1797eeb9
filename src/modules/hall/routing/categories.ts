/** The seven first-level categories (一级分类) of the training data and the departments that answer them. */
export const CATEGORIES = ['城乡建设', '环境保护', '交通运输', '教育文体', '劳动和社会保障', '商贸旅游', '卫生计生'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Category → department codes (first = the default); from shared/data/complaints/SOURCE.txt. */
export const CATEGORY_DEPARTMENTS: Record<Category, readonly string[]> = {
  城乡建设: ['housing'],
  环境保护: ['ecology'],
  交通运输: ['transport'],
  教育文体: ['education', 'culture-tourism'],
  劳动和社会保障: ['hrss'],
  商贸旅游: ['commerce', 'culture-tourism'],
  卫生计生: ['health'],
};

export const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

/** Words that move a culture, sport or tourism message from education or commerce to culture-tourism. */
const CULTURE_TOURISM_HINTS = [
  '旅游',
  '景区',
  '景点',
  '游客',
  '导游',
  '旅行社',
  '文物',
  '博物馆',
  '图书馆',
  '演出',
  '文化馆',
  '体育馆',
  '健身',
  '广电',
  '电视',
  '酒店',
  '民宿',
];

/** Picks the department for a category: the default, or culture-tourism when the text is about it. */
export function departmentFor(category: Category, text: string): string {
  const choices = CATEGORY_DEPARTMENTS[category];
  if (choices.length > 1 && choices.includes('culture-tourism')) {
    const hits = CULTURE_TOURISM_HINTS.filter((w) => text.includes(w)).length;
    if (hits >= 2) return 'culture-tourism';
  }
  return choices[0] ?? 'gov-service';
}
