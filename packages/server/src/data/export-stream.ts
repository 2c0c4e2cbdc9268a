import type { ServerResponse } from 'node:http';
import ExcelJS from 'exceljs';
import type { ExportPages } from '@dangjian/core';
import { downloadHeaders, XLSX_TYPE } from './download.ts';

/**
 * Streams an export into the response as .xlsx: exceljs's streaming writer commits each row as it goes,
 * and the pages come from the database one at a time — memory stays flat however many rows there are.
 * Answers the number of rows written.
 */
export async function streamXlsx(res: ServerResponse, fileName: string, sheetName: string, exported: ExportPages): Promise<number> {
  res.writeHead(200, downloadHeaders(fileName, XLSX_TYPE));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Dates are calendar dates: shown as such, not as Excel serial numbers.
  sheet.columns = exported.headers.map((h, i) => ({
    header: h,
    width: Math.max(12, [...h].length * 2 + 4),
    style: { numFmt: exported.formats?.[i] ?? 'yyyy-mm-dd' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let rows = 0;
  for await (const page of exported.pages) {
    for (const row of page) sheet.addRow(row).commit();
    rows += page.length;
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}
