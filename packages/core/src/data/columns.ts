// Column specifications of import templates and the conversion of cells into typed values, with the
// problems the importer reads: row number, the column's Chinese header, a message in Chinese.

import { isPlausibleDate } from '../kit/validate/dates.ts';
import { utcToday } from '../kit/dates.ts';
import type { Cell } from './rows.ts';
import { toMoneyText, toMonth, toMonths } from './money-cells.ts';
import { MAX_FEN } from '../dues/input.ts';
import { parseFen } from '../dues/standard.ts';

/** One column of a template. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  /** The header the template shows and the file is matched by (e.g. 身份证号). */
  header: string;
  /** Other headers accepted for it (the national system's exports, English names). */
  aliases?: readonly string[];
  required: boolean;
  /** How to fill it, for the template's instructions sheet. */
  note: string;
  /** A value for the template's example row. */
  example: string;
}

/** A rejected cell or row. */
export interface ImportProblem {
  /** The row number as the spreadsheet shows it. */
  row: number;
  /** The column's header as the template names it; null for a problem of the whole row. */
  column: string | null;
  message: string;
}

const normalize = (header: string) => header.replace(/[\s*＊:：()（）]/g, '').toLowerCase();

/**
 * Finds each column of `specs` among `headers` by name (not position). Returns the index of each key,
 * or the problems of the header row: a required column missing, or a column given twice.
 */
export function matchHeaders<K extends string>(
  headers: readonly string[],
  specs: readonly ColumnSpec<K>[],
): { index: Map<K, number>; problems: ImportProblem[] } {
  const index = new Map<K, number>();
  const problems: ImportProblem[] = [];
  const names = headers.map(normalize);
  for (const spec of specs) {
    const wanted = [spec.header, ...(spec.aliases ?? [])].map(normalize);
    const found = names.flatMap((n, i) => (wanted.includes(n) ? [i] : []));
    if (found.length > 1) problems.push({ row: 0, column: spec.header, message: `表头中“${spec.header}”列出现了 ${found.length} 次` });
    else if (found.length === 1) index.set(spec.key, found[0]!);
    else if (spec.required) problems.push({ row: 0, column: spec.header, message: `缺少必填列“${spec.header}”` });
  }
  return { index, problems };
}

/** Reads the cells of one row by key; each conversion records a problem and answers undefined when it fails. */
export class RowReader<K extends string> {
  readonly problems: ImportProblem[] = [];
  constructor(
    readonly row: number,
    private readonly cells: readonly Cell[],
    private readonly index: ReadonlyMap<K, number>,
    private readonly specs: ReadonlyMap<K, ColumnSpec<K>>,
  ) {}

  /** The column's header, for messages. */
  header(key: K): string {
    return this.specs.get(key)!.header;
  }

  problem(key: K | null, message: string): void {
    this.problems.push({ row: this.row, column: key === null ? null : this.header(key), message });
  }

  private cell(key: K): Cell {
    const i = this.index.get(key);
    return i === undefined ? null : (this.cells[i] ?? null);
  }

  /** Text of at most `max` characters (line breaks only when `multiline`); null when empty (a problem when required). */
  text(key: K, max: number, options: { multiline?: boolean } = {}): string | null | undefined {
    const cell = this.cell(key);
    if (cell === null) return this.missing(key);
    const text = (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
    if (text === '') return this.missing(key);
    // Control characters and angle brackets have no place in a name or a code (they are how markup is smuggled in).
    if ((options.multiline ? /[^\P{Cc}\n\r\t]|[<>]/u : /[\p{Cc}<>]/u).test(text)) {
      this.problem(key, '含有不允许的字符（控制字符或尖括号）');
      return undefined;
    }
    if ([...text].length > max) {
      this.problem(key, `不能超过 ${max} 个字`);
      return undefined;
    }
    return text;
  }

  /** One of the choices, by its Chinese or English name; null when empty. */
  choice<V extends string>(key: K, choices: Readonly<Record<string, V>>): V | null | undefined {
    const text = this.text(key, 20);
    if (text == null) return text;
    const value = choices[text] ?? choices[text.toUpperCase()];
    if (value === undefined) {
      const names = [...new Set(Object.keys(choices).filter((k) => !/^[A-Z_]+$/.test(k)))];
      this.problem(key, `“${text}”不是有效值，应为${names.join('、')}之一`);
      return undefined;
    }
    return value;
  }

  /** A calendar date: an Excel date cell, a date serial, or text such as 2019-07-01, 2019/7/1, 2019.7.1, 2019年7月1日, 20190701. */
  date(key: K, options: { notFuture?: boolean } = {}): Date | null | undefined {
    const cell = this.cell(key);
    if (cell === null) return this.missing(key);
    const date = toDate(cell);
    if (!date) {
      this.problem(key, `“${String(cell instanceof Date ? cell.toISOString() : cell)}”不是有效日期，应写作 2019-07-01`);
      return undefined;
    }
    if (!isPlausibleDate(date)) {
      this.problem(key, '日期应在 1900-01-01 至 2100-12-31 之间');
      return undefined;
    }
    if (options.notFuture && date.getTime() > utcToday().getTime()) {
      this.problem(key, '不能晚于今天');
      return undefined;
    }
    return date;
  }

  /**
   * An amount in yuan (a number cell, or text such as 5432.10, 5,432.10 元) as integer fen: the decimal
   * text is parsed, never multiplied as a float; more than two decimals is a problem.
   */
  money(key: K, options: { allowZero?: boolean } = {}): number | null | undefined {
    const cell = this.cell(key);
    if (cell === null) return this.missing(key);
    const text = toMoneyText(cell);
    const fen = text === null ? null : parseFen(text);
    if (fen === null) {
      this.problem(
        key,
        text && /^\d+\.\d{3,}$/.test(text) ? '金额最多两位小数（精确到分）' : `“${String(cell)}”不是有效金额，应写作 5432.10`,
      );
      return undefined;
    }
    if (fen > MAX_FEN) this.problem(key, '金额过大');
    else if (fen === 0 && !options.allowZero) this.problem(key, '金额应大于零');
    else return fen;
    return undefined;
  }

  /** A month (its first day): 2026-01, 2026年1月, 202601, an Excel date; a bare year 2026 (its January) when `year` is allowed. */
  month(key: K, options: { year?: boolean } = {}): Date | null | undefined {
    const cell = this.cell(key);
    if (cell === null) return this.missing(key);
    const month = toMonth(cell, options.year ?? false);
    if (!month) this.problem(key, `“${String(cell instanceof Date ? cell.toISOString().slice(0, 10) : cell)}”不是有效月份，应写作 2026-01`);
    return month ?? undefined;
  }

  /** Months: one, a list (2026-01、2026-02) or a range (2026-01至2026-03), oldest first, each once, at most `max`. */
  months(key: K, max: number): Date[] | null | undefined {
    const cell = this.cell(key);
    if (cell === null) return this.missing(key);
    const months = toMonths(cell);
    if (typeof months === 'string') {
      this.problem(key, months);
      return undefined;
    }
    if (months.length > max) {
      this.problem(key, `一次最多 ${max} 个月`);
      return undefined;
    }
    return months;
  }

  private missing(key: K): null | undefined {
    if (!this.specs.get(key)!.required) return null;
    this.problem(key, '必填，不能为空');
    return undefined;
  }
}

const DAY_MS = 86_400_000;
// Day 0 of Excel's 1900 date system, as a Unix time: serial 25569 is 1970-01-01.
const EXCEL_EPOCH_SERIAL = 25_569;

/** A cell as a UTC calendar date, or null when it is not one. */
export function toDate(cell: Cell): Date | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return new Date(Date.UTC(cell.getUTCFullYear(), cell.getUTCMonth(), cell.getUTCDate()));
  }
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 1 || cell > 80_000) return null;
    return new Date((cell - EXCEL_EPOCH_SERIAL) * DAY_MS);
  }
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  const match = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2] ?? match[4]);
  const day = Number(match[3] ?? match[5]);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}
