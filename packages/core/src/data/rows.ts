// Reads a spooled table row by row: the first worksheet of an .xlsx through exceljs's streaming reader,
// or a CSV file through @fast-csv/parse. Neither holds the whole file in memory.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse as parseCsv } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import { InputError } from '../errors/errors.ts';
import type { ImportLimits } from './limits.ts';
import type { SpooledTable } from './spool.ts';

/** A cell as read: text, a number, a date (an Excel date cell), a boolean, or nothing. */
export type Cell = string | number | Date | boolean | null;

/** One data row: its number as the spreadsheet shows it (the header is row 1 when it is the first), cells by column. */
export interface TableRow {
  row: number;
  cells: readonly Cell[];
}

/** The header row and a stream of the data rows below it. */
export interface Table {
  headers: readonly string[];
  rows: AsyncGenerator<TableRow>;
}

/** The value of an exceljs cell: a formula counts as its cached result, rich text as its text. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellValue(v.result);
    if (Array.isArray(v.richText)) return cellValue((v.richText as { text: string }[]).map((r) => r.text).join(''));
    if ('text' in v) return cellValue(v.text);
    if ('error' in v) return null;
  }
  return String(value);
}

const blank = (cells: readonly Cell[]) => cells.every((c) => c === null);

/**
 * Decodes a stream of UTF-8 bytes into text without breaking a character split between two chunks.
 * exceljs's streaming reader decodes each inflated chunk on its own, so a Chinese character (three bytes)
 * that straddles a chunk boundary became U+FFFD: in a 20k-row roster, a few names and values came out
 * garbled (rejected, or imported wrong). Handing it text instead of bytes keeps them whole.
 */
export async function* utf8Text(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The private parts of exceljs's WorkbookReader that read a worksheet and the shared strings. */
interface ReaderParts {
  _parseWorksheet(iterator: AsyncIterable<Uint8Array | string>, sheetNo: string): unknown;
  _parseSharedStrings(entry: Readable): unknown;
}

/** Reads of an .xlsx that fail before its first row, before it is called malformed (see xlsxRows). */
const XLSX_READS = 3;

/**
 * The rows of an .xlsx. exceljs's streaming reader now and then loses a part of a valid file before the
 * worksheet (a race in its stream iteration, exceljs issue #3064: `this.model` undefined in
 * `_parseWorksheet`) — ~0.4 % of reads of a small workbook here, so a valid upload was refused as malformed
 * a few times in a test run. Nothing has been read by then, so the spooled file is simply read again; a
 * malformed file fails every time.
 */
async function* xlsxRows(table: SpooledTable): AsyncGenerator<readonly [number, Cell[]]> {
  for (let read = 1; ; read++) {
    let started = false;
    try {
      for await (const row of xlsxRead(table)) {
        started = true;
        yield row;
      }
      return;
    } catch (error) {
      if (started || read >= XLSX_READS) throw error;
    }
  }
}

async function* xlsxRead(table: SpooledTable): AsyncGenerator<readonly [number, Cell[]]> {
  const file = createReadStream(table.path);
  try {
    yield* xlsxSheetRows(file);
  } finally {
    file.destroy();
  }
}

async function* xlsxSheetRows(file: Readable): AsyncGenerator<readonly [number, Cell[]]> {
  // Styles are needed to tell a date cell from a number; hyperlinks and further sheets are not read.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  // The text of worksheets and shared strings reaches exceljs's XML parser already decoded (see utf8Text).
  const parts = reader as unknown as ReaderParts;
  const original = Object.getPrototypeOf(reader) as ReaderParts;
  parts._parseWorksheet = (iterator, sheetNo) => original._parseWorksheet.call(reader, utf8Text(iterator), sheetNo);
  // exceljs listens to the shared strings entry as a stream ('data' events), the worksheet as an iterable.
  parts._parseSharedStrings = (entry) => original._parseSharedStrings.call(reader, Readable.from(utf8Text(entry)));
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      // exceljs rows are 1-based: values[0] is always empty.
      yield [row.number, values.slice(1).map(cellValue)] as const;
    }
    // Only the first worksheet holds data; a template's instructions sheet comes after it.
    return;
  }
}

async function* csvRows(table: SpooledTable): AsyncGenerator<readonly [number, Cell[]]> {
  const decoder = new TextDecoder(table.encoding);
  const text = Readable.from(
    (async function* () {
      for await (const chunk of createReadStream(table.path)) yield decoder.decode(chunk as Buffer, { stream: true });
      yield decoder.decode();
    })(),
  );
  const parser = text.pipe(parseCsv({ headers: false, ignoreEmpty: false, trim: false }));
  let n = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    n++;
    yield [n, record.map((c) => (n === 1 ? c.replace(/^\uFEFF/, '') : c)).map(cellValue)] as const;
  }
}

/**
 * Opens a spooled table: finds the header row (the first row that is not empty) and streams the rows
 * under it, skipping empty ones. More than `limits.maxRows` data rows, or a file that cannot be parsed,
 * is refused with an InputError on `file`.
 */
export async function openTable(table: SpooledTable, limits: ImportLimits): Promise<Table> {
  const source = table.format === 'xlsx' ? xlsxRows(table) : csvRows(table);
  const next = async () => {
    try {
      return await source.next();
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError('file', `文件已损坏或格式不正确，无法读取（${table.format === 'xlsx' ? '.xlsx' : 'CSV'}）`);
    }
  };
  let first = await next();
  while (!first.done && blank(first.value[1])) first = await next();
  if (first.done) throw new InputError('file', '文件中没有表头行');
  const headers = first.value[1].map((c) => (c === null ? '' : String(c).trim()));
  async function* rows(): AsyncGenerator<TableRow> {
    let count = 0;
    for (let item = await next(); !item.done; item = await next()) {
      const [row, cells] = item.value;
      if (blank(cells)) continue;
      if (++count > limits.maxRows) throw new InputError('file', `数据行超过上限 ${limits.maxRows} 行，请拆分文件后分批导入`);
      yield { row, cells };
    }
  }
  return { headers, rows: rows() };
}
