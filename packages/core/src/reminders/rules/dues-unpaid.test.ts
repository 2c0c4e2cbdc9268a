import { describe, expect, it } from 'vitest';
import type { UnpaidDues } from '../dues-seam.ts';
import { duesUnpaidRule } from './dues-unpaid.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const member = (lastPaid: string | null, joined = '2020-03-15'): UnpaidDues => ({
  memberId: 'm1',
  name: '张三',
  organization: { id: 'b1', path: '/root/b1/' },
  joinedAt: d(joined),
  unpaid: [],
  lastPaidMonth: lastPaid ? d(`${lastPaid}-01`) : null,
});
const run = (row: UnpaidDues, now: string) => duesUnpaidRule.evaluate([row], { root, now: d(now), thresholds: duesUnpaidRule.defaults });

describe('core.duesUnpaid', () => {
  it('is silent with two months unpaid, reminds at three, again only at six', () => {
    expect(run(member('2026-08'), '2026-10-31')).toEqual([]);
    expect(run(member('2026-08'), '2026-11-01').map((r) => r.threshold)).toEqual(['3m@2026-09']);
    expect(run(member('2026-08'), '2027-01-31').map((r) => r.threshold)).toEqual(['3m@2026-09']);
    const six = run(member('2026-08'), '2027-02-01');
    expect(six.map((r) => r.threshold)).toEqual(['6m@2026-09']);
    expect(six[0]!.body).toContain('自行脱党');
    expect(six[0]!.body).toContain('不会自动处理');
    expect(six[0]!.to).toEqual([{ organizationId: 'b1', role: 'SECRETARY' }]);
    expect(run(member('2026-08'), '2027-09-01').map((r) => r.threshold)).toEqual(['6m@2026-09']);
  });
  it('counts from joining for a member who never paid', () => {
    expect(run(member(null, '2026-10-20'), '2026-11-30')).toEqual([]);
    expect(run(member(null, '2026-10-20'), '2026-12-01').map((r) => r.threshold)).toEqual(['3m@2026-10']);
  });
  it('starts a new run after a payment', () => {
    expect(run(member('2027-01'), '2027-04-01').map((r) => r.threshold)).toEqual(['3m@2027-02']);
  });
});
