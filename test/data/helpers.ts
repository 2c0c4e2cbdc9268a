// Shared by the data tests: spreadsheets built in memory, multipart uploads, readable national IDs.
import ExcelJS from 'exceljs';
import { nationalIdChecksum } from '@dangjian/db';
import type { GqlResult, TestServer } from '@dangjian/testing';

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

/** POSTs an operation with one file variable as a GraphQL multipart request. */
export async function upload<T = any>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  file: { name: string; body: Buffer | string; type?: string },
  token?: string,
  options: { csrf?: boolean } = {},
): Promise<GqlResult<T> & { status: number }> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set(
    '0',
    new Blob([typeof file.body === 'string' ? file.body : new Uint8Array(file.body)], { type: file.type ?? 'application/octet-stream' }),
    file.name,
  );
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.csrf !== false) headers['x-graphql-yoga-csrf'] = '1';
  const res = await fetch(server.url, { method: 'POST', body: form, headers });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as GqlResult<T>) };
  } catch {
    return { status: res.status, errors: [{ message: text }] };
  }
}

/** GETs a path of the server (beside /graphql) with an optional token. */
export function get(server: TestServer, path: string, token?: string): Promise<Response> {
  return fetch(new URL(path, server.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
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
