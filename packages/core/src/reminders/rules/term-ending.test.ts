import { describe, expect, it } from 'vitest';
import { termEndingRule, type TermRow } from './term-ending.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const row: TermRow = { id: 'b1', path: '/root/c1/b1/', name: '第一支部', parentId: 'c1', termEnd: d('2027-06-30') };
const run = (now: string, thresholds = termEndingRule.defaults) =>
  termEndingRule.evaluate([row], { root, now: new Date(`${now}T08:00:00Z`), thresholds });

describe('core.termEnding', () => {
  it('says nothing before six months are left', () => {
    expect(run('2026-12-29')).toEqual([]);
  });
  it('reminds at six, three and one month, each once (a distinct threshold), then overdue', () => {
    expect(run('2026-12-30').map((r) => r.threshold)).toEqual(['6m@2027-06-30']);
    expect(run('2027-02-01').map((r) => r.threshold)).toEqual(['6m@2027-06-30']);
    expect(run('2027-03-30').map((r) => r.threshold)).toEqual(['3m@2027-06-30']);
    expect(run('2027-05-30').map((r) => r.threshold)).toEqual(['1m@2027-06-30']);
    expect(run('2027-06-30').map((r) => r.threshold)).toEqual(['1m@2027-06-30']);
    expect(run('2027-07-01').map((r) => r.threshold)).toEqual(['overdue@2027-06-30']);
  });
  it('goes to the secretary and the parent’s admins', () => {
    expect(run('2027-07-01')[0]!.to).toEqual([
      { organizationId: 'b1', role: 'SECRETARY' },
      { organizationId: 'c1', role: 'ADMIN' },
    ]);
  });
  it('uses a department’s thresholds', () => {
    expect(run('2026-12-30', [2])).toEqual([]);
    expect(run('2027-04-30', [2]).map((r) => r.threshold)).toEqual(['2m@2027-06-30']);
  });
});
