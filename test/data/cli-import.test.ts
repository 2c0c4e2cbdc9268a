import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema } from '@dangjian/db';
import { baseEnv, cliDatabaseEnv, runCli } from '@dangjian/testing';
import { badChecksum, nationalId, readXlsx, xlsx } from './helpers.ts';

const HEADERS = ['姓名', '身份证号', '入党日期', '转正日期', '手机号'];

describe('dangjian import members', () => {
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    env = baseEnv({ ...cliDatabaseEnv(), JWT_SECRET: 'cli-import-secret-0123456789abcdefghij' });
    dir = mkdtempSync(join(tmpdir(), 'dangjian-import-'));
    expect((await runCli(['migrate', 'deploy'], env)).code).toBe(0);
    expect((await runCli(['seed'], env)).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    if (env.DATABASE_URL) await dropPostgresSchema({ kind: 'postgres', url: env.DATABASE_URL });
  });

  it('writes the template, imports a roster with a summary, and skips the same people on a second run', async () => {
    const template = join(dir, 'template.xlsx');
    expect((await runCli(['template', 'members', template], env)).code).toBe(0);
    expect((await readXlsx(readFileSync(template)))[0]).toContain('身份证号');

    const rows = Array.from({ length: 30 }, (_, i) => [
      `命令行${i}`,
      nationalId(`1980-03-${String(i + 1).padStart(2, '0')}`),
      '2005-07-01',
      '2006-07-01',
      '13900000000',
    ]);
    const roster = join(dir, 'roster.xlsx');
    writeFileSync(roster, await xlsx(HEADERS, rows));
    const first = await runCli(['import', 'members', roster, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toContain('已导入 roster.xlsx: 读取 30 行，新增 30，更新 0，跳过 0，拒绝 0');

    const second = await runCli(['import', 'members', roster, '--org', 'SZJGGW-MZJ-BGS', '--mode', 'VALID_ROWS'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('新增 0，更新 0，跳过 30，拒绝 0');
  });

  it('refuses a roster with mistakes, names row and column, and writes the error report beside it', async () => {
    const rows = [
      ['对的', nationalId('1985-03-03'), '2010-07-01', null, null],
      ['错的', badChecksum(nationalId('1985-03-04')), '2010-07-01', null, null],
    ];
    const roster = join(dir, '有错的名单.xlsx');
    writeFileSync(roster, await xlsx(HEADERS, rows));
    const result = await runCli(['import', 'members', roster, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('未写入 有错的名单.xlsx: 读取 2 行');
    expect(result.stdout).toContain('第 3 行 身份证号：不是有效的 18 位身份证号');
    const report = await readXlsx(readFileSync(join(dir, '有错的名单-错误报告.xlsx')));
    expect(report).toHaveLength(2);
    expect(report[1]![0]).toBe(3);

    const usage = await runCli(['import', 'members', roster], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: dangjian import');
  });
});
