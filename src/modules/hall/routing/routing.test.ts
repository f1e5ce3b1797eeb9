import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_DEPARTMENTS, ROUTING_THRESHOLD, departmentMatches, preloadRouting, readModelFile, routePost } from './index.js';
import { parseLabelledCsv } from './routing.data.js';

const fixture = (name: string) => parseLabelledCsv(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const accuracyOn = (rows: { text: string; label: string }[]) =>
  rows.filter((r) => departmentMatches(r.label, routePost(r.text).departmentCode)).length / rows.length;

describe('the shipped routing model', () => {
  it('is small and was trained on the seven categories', () => {
    const model = readModelFile();
    expect(model.labels).toEqual(expect.arrayContaining(Object.keys(CATEGORY_DEPARTMENTS)));
    expect(model.features.length).toBeLessThanOrEqual(50_000);
    expect(model.weights).toHaveLength(model.features.length * model.labels.length);
  });

  it('routes held-out training-set messages (never trained on) to the right department on average', () => {
    expect(accuracyOn(fixture('held-out-sample.csv'))).toBeGreaterThanOrEqual(0.8);
  });

  it('routes raw citizen messages written in full sentences', () => {
    expect(accuracyOn(fixture('raw-messages.csv'))).toBeGreaterThanOrEqual(0.85);
  });

  it('sends a complaint about a bus driver to transport, confidently', () => {
    const result = routePost('投诉：今天早上乘坐的公交车司机态度非常恶劣，还辱骂乘客，请公交集团调查处理！');
    expect(result.departmentCode).toBe('transport');
    expect(result.category).toBe('交通运输');
    expect(result.confidence).toBeGreaterThanOrEqual(ROUTING_THRESHOLD);
  });

  it('gives probabilities: the suggestion and its alternatives add up to one, most likely first', () => {
    const result = routePost('公司拖欠工资三个月了，社保也没有交');
    expect(result.departmentCode).toBe('hrss');
    const all = [result.confidence, ...result.alternatives.map((a) => a.confidence)];
    expect(all.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect([...all].sort((a, b) => b - a)).toEqual(all);
    expect(result.alternatives.map((a) => a.departmentCode)).not.toContain('hrss');
  });

  it('answers bad input without throwing and sends it to triage (below the threshold)', () => {
    for (const text of ['', '   ', '<script>alert("x")</script>', '!!!???', 'a'.repeat(20_000)]) {
      const result = routePost(text);
      expect(result.confidence).toBeLessThan(ROUTING_THRESHOLD);
      expect(Object.values(CATEGORY_DEPARTMENTS).flat()).toContain(result.departmentCode);
    }
  });

  it('routes a post well under 10 ms, also a 20,000-character one', () => {
    preloadRouting();
    const texts = fixture('raw-messages.csv').map((r) => r.text);
    let started = performance.now();
    for (let i = 0; i < 10; i++) for (const t of texts) routePost(t);
    expect((performance.now() - started) / (10 * texts.length)).toBeLessThan(10);
    const long = '小区物业乱收费，'.repeat(2_500);
    started = performance.now();
    expect(routePost(long).departmentCode).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(50);
  });
});
