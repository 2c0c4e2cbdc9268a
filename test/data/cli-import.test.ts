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
  // The roster the first test imports: the dues and meeting imports below name its people.
  let rows: string[][] = [];
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

    rows = Array.from({ length: 30 }, (_, i) => [
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

  it('imports dues bases, payments and meetings for those people, and a second run adds nothing', async () => {
    const bases = join(dir, '党费基数.xlsx');
    writeFileSync(
      bases,
      await xlsx(
        ['姓名', '身份证号', '计缴类别', '起始月份', '月工资基数（元）'],
        rows.slice(0, 3).map((r) => [r[0]!, r[1]!, '在职', '2026-01', '4321.09']),
      ),
    );
    const imported = await runCli(['import', 'dues-bases', bases, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toContain('已导入 党费基数.xlsx: 读取 3 行，新增 3，更新 0，跳过 0，拒绝 0');

    // 4321.09 × 1 % = 43.2109 → 43.21 a month.
    const payments = join(dir, '收缴台账.csv');
    writeFileSync(
      payments,
      [
        '姓名,身份证号,缴纳月份,实缴金额（元）,应缴金额（元）,缴纳日期,缴纳方式',
        `${rows[0]![0]},${rows[0]![1]},2026-01至2026-02,86.42,86.42,2026-02-10,现金`,
      ].join('\n'),
    );
    expect((await runCli(['import', 'dues-payments', payments, '--org', 'SZJGGW-MZJ-BGS'], env)).stdout).toContain(
      '新增 1，更新 0，跳过 0',
    );
    expect((await runCli(['import', 'dues-payments', payments, '--org', 'SZJGGW-MZJ-BGS'], env)).stdout).toContain(
      '新增 0，更新 0，跳过 1',
    );

    const meetings = join(dir, '组织生活.xlsx');
    writeFileSync(
      meetings,
      await xlsx(
        ['会议类型', '会议日期', '会议主题', '出席人员', '缺席人员及原因'],
        [['主题党日', '2026-06-01', '命令行主题党日', `${rows[0]![0]}、${rows[1]![0]}`, `${rows[2]![0]}：外出学习`]],
      ),
    );
    const first = await runCli(['import', 'meetings', meetings, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('新增 1，更新 0，跳过 0，拒绝 0');
    const second = await runCli(['import', 'meetings', meetings, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(second.stdout).toContain('新增 0，更新 0，跳过 1，拒绝 0');

    const wrong = join(dir, '有错的基数.xlsx');
    writeFileSync(
      wrong,
      await xlsx(['身份证号', '计缴类别', '起始月份', '月工资基数（元）'], [[rows[4]![1]!, '在职', '2026-02', '12.345']]),
    );
    const refused = await runCli(['import', 'dues-bases', wrong, '--org', 'SZJGGW-MZJ-BGS'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('第 2 行 月工资基数（元）：金额最多两位小数');
    // Seven processes, each opening the database.
  }, 420_000);

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
