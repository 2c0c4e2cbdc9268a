// Shared by the data tests: spreadsheets built in memory, multipart uploads, readable national IDs.
import ExcelJS from 'exceljs';
import { nationalIdChecksum } from '@dangjian/db';
export { get, upload } from '@dangjian/testing';

export type CellInput = string | number | Date | null | { formula: string; result: string };

/** An .xlsx with one data sheet (headers in the first row) and, like the template, a second sheet. */
export async function xlsx(headers: readonly string[], rows: readonly (readonly CellInput[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow([...headers]);
  for (const row of rows) sheet.addRow(row.map((c) => c as ExcelJS.CellValue));
  workbook.addWorksheet('填写说明').addRow(['说明']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Reads every row of an .xlsx's first sheet (values as exceljs gives them). */
export async function readXlsx(body: ArrayBuffer | Buffer, sheetIndex = 0): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[sheetIndex]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

let serial = 0;
/** A valid national ID for a birth date and sex; area 310101 never occurs in the demo data. */
export function nationalId(birth: string, gender: 'MALE' | 'FEMALE' = 'MALE'): string {
  serial += 1;
  // The sequence's last digit is odd for a man, even for a woman: unique for 500 IDs per birth date.
  const sequence = String(((serial % 500) * 2 + (gender === 'MALE' ? 1 : 0)) % 1000).padStart(3, '0');
  const first17 = `310101${birth.replaceAll('-', '')}${sequence}`;
  return first17 + nationalIdChecksum(first17);
}

/** The same ID with a wrong check character. */
export function badChecksum(id: string): string {
  const last = id.at(-1)!;
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}
