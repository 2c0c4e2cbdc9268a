// Small .xlsx files built in memory (templates, error reports — bounded by the rows they list) through
// exceljs's streaming writer, which keeps only the current row in its own structures.

import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ColumnSpec } from './columns.ts';
import type { Cell } from './rows.ts';

/** Writes sheets of rows into an .xlsx and answers its bytes. */
export async function writeWorkbook(
  sheets: readonly { name: string; header: readonly string[]; rows: Iterable<readonly Cell[]> }[],
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.header.map((h) => ({ header: h, width: Math.max(12, [...h].length * 2 + 4) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const row of sheet.rows) ws.addRow([...row]).commit();
    ws.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

/** The template of one import kind: an empty data sheet with the headers, and a sheet explaining each column. */
export function buildTemplate(sheetName: string, columns: readonly ColumnSpec[], instructions: readonly string[] = []): Promise<Buffer> {
  return writeWorkbook([
    { name: sheetName, header: columns.map((c) => c.header), rows: [] },
    {
      name: '填写说明',
      header: ['列名', '是否必填', '填写说明', '示例'],
      rows: [
        ...columns.map((c) => [c.header, c.required ? '必填' : '选填', c.note, c.example]),
        [],
        ['说明', '', '第一张工作表为数据表：第一行是表头（按列名识别，列的顺序可以调整，多余的列被忽略），从第二行起每行一条记录。', ''],
        ...instructions.map((line) => ['', '', line, '']),
        ['', '', '日期可写作 2019-07-01、2019/7/1、2019年7月1日，或使用 Excel 日期格式；公式按其计算结果读取。', ''],
        ['', '', '也可导入 CSV 文件（UTF-8 或 Excel 默认的 GB18030 编码），表头相同。不接受含宏的文件（.xlsm）和旧版 .xls。', ''],
      ],
    },
  ]);
}
