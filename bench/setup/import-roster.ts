/**
 * A realistic 花名册 for the import benchmark: the template's Chinese headers, people from the seed's own
 * factory (census-weighted names, ethnicities, education; 18-digit national IDs with valid check characters
 * that agree with birth date and sex; unique mobile numbers), joining and 转正 dates in order, spread over
 * the branches given. Written with exceljs's streaming writer into bench/.cache and reused while the
 * branches are the same (the file name carries a hash of them).
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { PersonFactory, Random } from '@dangjian/db';
import { cacheDir } from './paths.ts';

const HEADERS = ['姓名', '性别', '民族', '出生日期', '身份证号', '学历', '手机号', '人员类别', '入党日期', '转正日期', '所在党组织代码'];
const DAY = 86_400_000;

/** The roster's path, written first when missing: `rows` members over `branchCodes`, deterministic. */
export async function importRoster(rows: number, branchCodes: readonly string[], today: Date): Promise<string> {
  const key = createHash('sha256')
    .update(`${rows}\n${today.toISOString().slice(0, 10)}\n${branchCodes.join('\n')}`)
    .digest('hex')
    .slice(0, 12);
  const file = resolve(cacheDir, `import-members-${rows}-${key}.xlsx`);
  if (existsSync(file)) return file;
  const rng = new Random(20_261_205);
  const people = new PersonFactory(rng, today);
  const partial = `${file}.partial`;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('花名册');
  sheet.columns = HEADERS.map((header) => ({ header, width: 14, style: { numFmt: 'yyyy-mm-dd' } }));
  sheet.getRow(1).commit();
  for (let i = 0; i < rows; i++) {
    const person = people.create(20, 80);
    const adult = person.birthDate.getTime() + 18 * 365.25 * DAY + DAY;
    // One in eight joined within the last ten months (probationary); the rest joined as adults, converted a year later.
    const probationary = rng.chance(0.125);
    const earliest = probationary ? Math.max(adult, today.getTime() - 300 * DAY) : adult;
    const latest = probationary ? today.getTime() - DAY : today.getTime() - 400 * DAY;
    const joined = new Date(Math.floor((earliest + rng.int(0, Math.max(0, Math.floor((latest - earliest) / DAY))) * DAY) / DAY) * DAY);
    const full = probationary || joined.getTime() > latest ? null : new Date(joined.getTime() + 365 * DAY);
    sheet
      .addRow([
        person.name,
        person.gender === 'MALE' ? '男' : '女',
        person.ethnicity,
        person.birthDate,
        person.nationalId,
        person.education,
        person.phone,
        full ? '正式党员' : '预备党员',
        joined,
        full,
        branchCodes[i % branchCodes.length]!,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  renameSync(partial, file);
  return file;
}
