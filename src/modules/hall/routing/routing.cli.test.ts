import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { main } from './routing.cli.js';
import { readModelFile } from './index.js';
import { parseLabelledCsv, CsvInputError } from './routing.data.js';

const LAST_LINE = /^accuracy=(0|1)\.\d{4} macro_f1=(0|1)\.\d{4} n=\d+$/u;
const dir = mkdtempSync(path.join(tmpdir(), 'hall-routing-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('hall:evaluate', () => {
  let log: MockInstance<(...args: unknown[]) => void>;
  let error: MockInstance<(...args: unknown[]) => void>;
  beforeEach(() => {
    log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());
  const lastLine = () => String(log.mock.calls.at(-1)?.[0]);

  it('prints accuracy, macro F1 and the row count on its last line', async () => {
    const csv = file('plain.csv', 'text,label\n公司拖欠工资三个月了,劳动和社会保障\n医院挂号太难了,卫生计生\n出租车司机拒载绕路,城乡建设\n');
    expect(await main(['evaluate', csv])).toBe(0);
    expect(lastLine()).toMatch(LAST_LINE);
    expect(lastLine()).toBe('accuracy=0.6667 macro_f1=0.5000 n=3');
  });

  it('copes with a BOM, CRLF, quoted multi-line fields, extra columns and any column order', async () => {
    const content =
      '\uFEFFid,label,"text",source\r\n1,卫生计生,"医院挂号太难，\r\n看病要排一上午的队，""专家号""更难",web\r\n2,劳动和社会保障,"公司拖欠工资, 三个月了",web\r\n';
    expect(parseLabelledCsv(Buffer.from(content, 'utf8'))).toEqual([
      { label: '卫生计生', text: '医院挂号太难，\r\n看病要排一上午的队，"专家号"更难' },
      { label: '劳动和社会保障', text: '公司拖欠工资, 三个月了' },
    ]);
    expect(await main(['evaluate', file('quirks.csv', content)])).toBe(0);
    expect(lastLine()).toBe('accuracy=1.0000 macro_f1=1.0000 n=2');
  });

  it('counts a row right when the department is one its category maps to (culture-tourism for 商贸旅游)', async () => {
    expect(await main(['evaluate', file('tour.csv', 'text,label\n景区门票乱涨价，导游强制游客购物,商贸旅游\n')])).toBe(0);
    expect(lastLine()).toBe('accuracy=1.0000 macro_f1=1.0000 n=1');
  });

  it('refuses a file without the text and label columns, or no file, with a clear message', async () => {
    expect(await main(['evaluate', file('bad.csv', 'message,category\nx,y\n')])).toBe(2);
    expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/"text" and "label"/u);
    expect(await main(['evaluate'])).toBe(2);
    expect(await main(['evaluate', path.join(dir, 'missing.csv')])).toBe(2);
    expect(() => parseLabelledCsv('text,label\n"unterminated,x\n')).toThrow(CsvInputError);
  });

  it('scores an empty file as n=0', async () => {
    expect(await main(['evaluate', file('empty.csv', 'text,label\n')])).toBe(0);
    expect(lastLine()).toBe('accuracy=0.0000 macro_f1=0.0000 n=0');
  });
});

describe('hall:train', () => {
  it('trains from a CSV into the given files', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const fixture = fileURLToPath(new URL('./fixtures/tiny-train.csv', import.meta.url));
    const out = path.join(dir, 'model.json.gz');
    const heldOut = path.join(dir, 'held-out.csv');
    const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };
    delete process.env.DATABASE_URL;
    delete process.env.DATA_DIR;
    try {
      expect(await main(['train', '--data', fixture, '--out', out, '--held-out-out', heldOut])).toBe(0);
    } finally {
      Object.assign(process.env, saved);
      vi.restoreAllMocks();
    }
    expect(parseLabelledCsv(readFileSync(heldOut))).toHaveLength(14);
    expect(readModelFile(out).trainedOn.documents).toBe(56);
    expect(await main(['train', '--data', fixture, '--seed', 'x'])).toBe(2);
    expect(await main(['train', '--nonsense'])).toBe(2);
  });

  it('runs as the npm script prints it: the last line of stdout is the figure', async () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const csv = file('script.csv', 'text,label\n医院挂号太难了,卫生计生\n');
    const { stdout } = await promisify(execFile)('npm', ['run', 'hall:evaluate', '--', csv], { cwd: root });
    expect(stdout.trim().split('\n').at(-1)).toBe('accuracy=1.0000 macro_f1=1.0000 n=1');
  });
});
