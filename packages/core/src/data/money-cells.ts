// Cells that hold money and months, as the ledgers of a 党费 collector write them. Pure, so the many
// ways a month is written are unit-tested; the RowReader turns their failures into problems.

import { addMonths, monthStart } from '../schema/member-rules.ts';
import { toDate } from './columns.ts';
import type { Cell } from './rows.ts';

/**
 * The decimal text of an amount cell without its decoration (¥, 元, thousands separators), or null.
 * A number cell's shortest decimal form is what was typed: Excel keeps 5432.10 as 5432.1, and a value
 * that is not a short decimal (3333.3333…, 1e-7) stays visibly so and is refused by the caller.
 */
export function toMoneyText(cell: Cell): string | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : null;
  if (typeof cell !== 'string') return null;
  return cell
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '')
    .replace(/[,，\s]/g, '');
}

const MONTH_TEXT = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$/;

/** A cell as the first day of a month, or null. A bare year (2026, 2026年) is its January when `year` is true. */
export function toMonth(cell: Cell, year: boolean): Date | null {
  if (typeof cell === 'number' && Number.isInteger(cell)) {
    if (cell >= 1900 && cell <= 2100) return year ? new Date(Date.UTC(cell, 0, 1)) : null;
    // 202601 typed as a number.
    if (cell >= 190_001 && cell <= 210_012) return toMonth(String(cell), year);
  }
  // A number with decimals (2026.01 typed into a number cell reads 2026.01 but 2026.10 reads 2026.1): refused.
  if (typeof cell === 'number' && !Number.isInteger(cell)) return null;
  if (typeof cell === 'string') {
    const text = cell.trim();
    const bare = /^(\d{4})年?(?:度)?$/.exec(text);
    if (bare) return year ? new Date(Date.UTC(Number(bare[1]), 0, 1)) : null;
    const match = MONTH_TEXT.exec(text);
    if (match) {
      const m = Number(match[2] ?? match[3]);
      const y = Number(match[1]);
      return m >= 1 && m <= 12 && y >= 1900 && y <= 2100 ? new Date(Date.UTC(y, m - 1, 1)) : null;
    }
  }
  const date = toDate(cell);
  return date ? monthStart(date) : null;
}

const RANGE = /\s*(?:至|到|~|～|—|–|--)\s*/;

/** Months of a cell (one, a list, or ranges), oldest first; a message in Chinese when it cannot be read. */
export function toMonths(cell: Cell): Date[] | string {
  if (typeof cell !== 'string') {
    const month = toMonth(cell, false);
    return month ? [month] : '不是有效月份，应写作 2026-01，或 2026-01至2026-03';
  }
  const months = new Map<number, Date>();
  for (const part of cell
    .split(/[、,，;；\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const ends = part.split(RANGE);
    if (ends.length > 2) return `“${part}”不是有效的月份区间`;
    const from = toMonth(ends[0]!, false);
    const to = ends.length === 2 ? toMonth(ends[1]!, false) : from;
    if (!from || !to) return `“${part}”不是有效月份，应写作 2026-01，或 2026-01至2026-03`;
    if (to.getTime() < from.getTime()) return `“${part}”的结束月份早于开始月份`;
    for (let m = from; m.getTime() <= to.getTime(); m = addMonths(m, 1)) {
      if (months.has(m.getTime())) return `月份 ${m.toISOString().slice(0, 7)} 重复`;
      months.set(m.getTime(), m);
      if (months.size > 120) return '月份过多';
    }
  }
  if (months.size === 0) return '必填，不能为空';
  return [...months.values()].sort((a, b) => a.getTime() - b.getTime());
}
