import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_LIMITS } from './limits.ts';
import { openTable, utf8Text } from './rows.ts';

const CHARS = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const text = (i: number, length: number) => Array.from({ length }, (_, k) => CHARS[(i * 7 + k * 13) % CHARS.length]).join('');
const ROWS = 6000;

describe('reading .xlsx rows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rows-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const readAll = async (path: string) => {
    const table = await openTable(
      { path, format: 'xlsx', encoding: 'utf-8', bytes: (await stat(path)).size, sha256: '', dispose: async () => {} },
      DEFAULT_IMPORT_LIMITS,
    );
    const rows: unknown[][] = [];
    for await (const row of table.rows) rows.push([...row.cells]);
    return { headers: table.headers, rows };
  };

  // Inflated chunks end anywhere: thousands of three-byte characters make a split character certain.
  it.each([
    ['inline strings (a streamed writer)', false],
    ['shared strings (as Excel saves)', true],
  ])('keeps every Chinese character whole across chunk boundaries: %s', async (_label, shared) => {
    const path = join(dir, `chinese-${shared}.xlsx`);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: shared });
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(['姓名', '单位', '备注']).commit();
    for (let i = 0; i < ROWS; i++) sheet.addRow([text(i, 3), text(i + 1, 12), `${text(i + 2, 20)}${i}`]).commit();
    sheet.commit();
    await workbook.commit();
    const { headers, rows } = await readAll(path);
    expect(headers).toEqual(['姓名', '单位', '备注']);
    expect(rows).toHaveLength(ROWS);
    const broken = rows.filter((r, i) => r[0] !== text(i, 3) || r[1] !== text(i + 1, 12) || r[2] !== `${text(i + 2, 20)}${i}`);
    expect(broken).toEqual([]);
  });

  it('decodes a character split between chunks', async () => {
    const bytes = Buffer.from('党员花名册');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 2) yield bytes.subarray(i, i + 2);
    }
    let out = '';
    for await (const s of utf8Text(chunks())) out += s;
    expect(out).toBe('党员花名册');
  });
});
