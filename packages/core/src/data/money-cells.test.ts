import { describe, expect, it } from 'vitest';
import { parseFen } from '../dues/standard.ts';
import { toMoneyText, toMonth, toMonths } from './money-cells.ts';
import { parsePeople } from './meeting-import.ts';

const month = (s: string) => new Date(`${s}-01T00:00:00Z`);
const fen = (cell: string | number) => {
  const text = toMoneyText(cell);
  return text === null ? null : parseFen(text);
};

describe('money cells', () => {
  it('reads amounts as exact fen from text and number cells, without float arithmetic', () => {
    expect(fen('6543.21')).toBe(654_321);
    expect(fen('5,000.00元')).toBe(500_000);
    expect(fen('¥0.2')).toBe(20);
    expect(fen(4800.5)).toBe(480_050);
    // 0.1 + 0.2 as a float cell is not an amount of fen.
    expect(fen(0.1 + 0.2)).toBeNull();
    expect(fen(1234.567)).toBeNull();
    expect(fen('-5')).toBeNull();
    expect(fen(1e21)).toBeNull();
  });
});

describe('month cells', () => {
  it('reads the ways a month is written', () => {
    for (const text of ['2026-01', '2026/1', '2026.01', '2026年1月', '202601'])
      expect(toMonth(text, false), text).toEqual(month('2026-01'));
    expect(toMonth(202_601, false)).toEqual(month('2026-01'));
    expect(toMonth(new Date(Date.UTC(2026, 0, 15)), false)).toEqual(month('2026-01'));
    expect(toMonth('2026', false)).toBeNull();
    expect(toMonth('2026', true)).toEqual(month('2026-01'));
    expect(toMonth(2026, true)).toEqual(month('2026-01'));
    // A number cell 2026.1 may have been typed 2026.10: refused rather than guessed.
    expect(toMonth(2026.1, false)).toBeNull();
    expect(toMonth('2026-13', false)).toBeNull();
  });

  it('reads lists and ranges, oldest first, and says what is wrong', () => {
    expect(toMonths('2026-01至2026-03')).toEqual([month('2026-01'), month('2026-02'), month('2026-03')]);
    expect(toMonths('2026-03、2026-01')).toEqual([month('2026-01'), month('2026-03')]);
    expect(toMonths('2025-12~2026-01, 2026-03')).toEqual([month('2025-12'), month('2026-01'), month('2026-03')]);
    expect(toMonths('2026-03至2026-01')).toMatch(/结束月份早于开始月份/);
    expect(toMonths('2026-01、2026-01')).toMatch(/重复/);
    expect(toMonths('一月')).toMatch(/不是有效月份/);
  });
});

describe('people of a meeting register', () => {
  const id = '11010119850307003X';
  it('reads names, IDs, both, and reasons of absence', () => {
    expect(parsePeople(`张三、李四\n王五（${id.toLowerCase()}）`, false)).toEqual([
      { text: '张三', id: null, name: '张三', reason: null },
      { text: '李四', id: null, name: '李四', reason: null },
      { text: `王五（${id.toLowerCase()}）`, id, name: '王五', reason: null },
    ]);
    expect(parsePeople('赵六：出差，钱七（病假）', true)).toEqual([
      { text: '赵六：出差', id: null, name: '赵六', reason: '出差' },
      { text: '钱七（病假）', id: null, name: '钱七', reason: '病假' },
    ]);
  });

  it('refuses an absence without a reason and a reason for someone present', () => {
    expect(parsePeople('赵六', true)).toMatch(/须写明原因/);
    expect(parsePeople('赵六：出差', false)).toMatch(/出席人员不写原因/);
    expect(parsePeople('110101198503070010', false)).toMatch(/身份证号无效/);
  });
});
