import { describe, expect, it } from 'vitest';
import { formatHundredths, toHundredths } from './points.ts';
import { cardTotal, ranks, ruleProblems, scoreItem, type Rule } from './rules.ts';

const MAX = 2000; // 20.00 points

describe('scoring rules', () => {
  describe('PROPORTIONAL', () => {
    const rule: Rule = { kind: 'PROPORTIONAL', target: 9500 }; // 95 %
    it('scores in proportion to the target, rounded to the hundredth', () => {
      expect(scoreItem(rule, MAX, 4750).points).toBe(1000);
      expect(scoreItem(rule, MAX, 3333).points).toBe(702); // 20 × 33.33 / 95 = 7.0168…
    });
    it('gives full points at and above the target, nothing at zero or below', () => {
      expect(scoreItem(rule, MAX, 9500).points).toBe(MAX);
      expect(scoreItem(rule, MAX, 10000).points).toBe(MAX);
      expect(scoreItem(rule, MAX, 0).points).toBe(0);
      expect(scoreItem(rule, MAX, -100).points).toBe(0);
    });
  });

  describe('STEPPED', () => {
    const rule: Rule = {
      kind: 'STEPPED',
      steps: [
        { atLeast: 6000, points: 500 },
        { atLeast: 8000, points: 1200 },
        { atLeast: 10000, points: 2000 },
      ],
    };
    it('takes the highest step reached, boundaries included', () => {
      expect(scoreItem(rule, MAX, 5999).points).toBe(0);
      expect(scoreItem(rule, MAX, 6000).points).toBe(500);
      expect(scoreItem(rule, MAX, 7999).points).toBe(500);
      expect(scoreItem(rule, MAX, 8000).points).toBe(1200);
      expect(scoreItem(rule, MAX, 10000).points).toBe(2000);
      expect(scoreItem(rule, MAX, 25000).points).toBe(2000);
    });
  });

  describe('DEDUCTION', () => {
    const rule: Rule = { kind: 'DEDUCTION', perOccurrence: 250, floor: 500 }; // 2.50 per occurrence, floor 5.00
    it('deducts per occurrence down to the floor', () => {
      expect(scoreItem(rule, MAX, 0).points).toBe(MAX);
      expect(scoreItem(rule, MAX, 100).points).toBe(1750); // one occurrence
      expect(scoreItem(rule, MAX, 600).points).toBe(500); // six: 20 − 15 = 5, exactly the floor
      expect(scoreItem(rule, MAX, 700).points).toBe(500); // seven: would be 2.50, held at the floor
    });
  });

  describe('VETO', () => {
    const rule: Rule = { kind: 'VETO', threshold: 100, cap: 6000 };
    it('passes at the threshold and vetoes below it', () => {
      expect(scoreItem(rule, 0, 100)).toEqual({ points: 0, vetoed: false });
      expect(scoreItem(rule, 500, 100)).toEqual({ points: 500, vetoed: false });
      expect(scoreItem(rule, 500, 99)).toEqual({ points: 0, vetoed: true });
    });
    it('caps the total at the lowest cap of the failed vetoes, and only then', () => {
      const item = (points: number, vetoed: boolean, r: Rule = rule) => ({ score: { points, vetoed }, rule: r });
      expect(cardTotal([item(5000, false), item(4000, false)])).toEqual({ total: 9000, vetoed: false });
      expect(cardTotal([item(5000, false), item(4000, false), item(0, true)])).toEqual({ total: 6000, vetoed: true });
      expect(cardTotal([item(3000, false), item(0, true)])).toEqual({ total: 3000, vetoed: true });
      expect(cardTotal([item(9000, false), item(0, true), item(0, true, { kind: 'VETO', threshold: 1, cap: 4000 })])).toEqual({
        total: 4000,
        vetoed: true,
      });
    });
  });

  it('scores a missing value as not applicable under every rule: no points, no veto', () => {
    const rules: Rule[] = [
      { kind: 'PROPORTIONAL', target: 100 },
      { kind: 'STEPPED', steps: [{ atLeast: 0, points: 100 }] },
      { kind: 'DEDUCTION', perOccurrence: 100, floor: 0 },
      { kind: 'VETO', threshold: 100, cap: 0 },
    ];
    for (const rule of rules) expect(scoreItem(rule, MAX, null)).toEqual({ points: null, vetoed: false });
    expect(
      cardTotal([
        { score: { points: null, vetoed: false }, rule: rules[0]! },
        { score: { points: 700, vetoed: false }, rule: rules[0]! },
      ]),
    ).toEqual({
      total: 700,
      vetoed: false,
    });
  });

  it('names the parameters a rule lacks or gets wrong', () => {
    expect(ruleProblems({ kind: 'PROPORTIONAL', target: 0 }, MAX, 10000)).toEqual([['rule.target', 'must be greater than 0']]);
    expect(ruleProblems({ kind: 'STEPPED', steps: [] }, MAX, 10000)[0]![0]).toBe('rule.steps');
    expect(ruleProblems({ kind: 'STEPPED', steps: [{ atLeast: 5, points: 2001 }] }, MAX, 10000)[0]![0]).toBe('rule.steps[0].points');
    expect(ruleProblems({ kind: 'DEDUCTION', perOccurrence: 0, floor: 0 }, MAX, 10000)[0]![0]).toBe('rule.perOccurrence');
    expect(ruleProblems({ kind: 'DEDUCTION', perOccurrence: 1, floor: 2001 }, MAX, 10000)[0]![0]).toBe('rule.floor');
    expect(ruleProblems({ kind: 'VETO', threshold: 1, cap: 10001 }, MAX, 10000)[0]![0]).toBe('rule.cap');
    expect(ruleProblems({ kind: 'VETO', threshold: 1, cap: 10000 }, 0, 10000)).toEqual([]);
  });

  it('ranks with ties sharing a rank', () => {
    expect(ranks([9000, 9500, 9000, 7000])).toEqual([2, 1, 2, 4]);
  });

  it('keeps points exact as hundredths', () => {
    expect(toHundredths('12.5')).toBe(1250);
    expect(toHundredths('0.07')).toBe(7);
    expect(toHundredths('33.335')).toBe(3334);
    expect(formatHundredths(1250)).toBe('12.50');
    expect(formatHundredths(7)).toBe('0.07');
    // 0.1 + 0.2 in floating point is 0.30000000000000004; as hundredths it is 30.
    expect(formatHundredths(toHundredths('0.1') + toHundredths('0.2'))).toBe('0.30');
  });
});
