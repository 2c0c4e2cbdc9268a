import { describe, expect, it } from 'vitest';
import { type ReceiptRow, transferReceiptOverdueRule } from './transfer-receipt-overdue.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const root = { id: 'root', path: '/root/' };
const row: ReceiptRow = {
  id: 'l1',
  number: '组转〔2026〕3号',
  memberName: '王五',
  destinationName: '某街道党工委',
  receiptDueOn: d('2026-11-10'),
  issuer: { id: 'b1', path: '/root/b1/' },
};
const run = (now: string) =>
  transferReceiptOverdueRule.evaluate([row], { root, now: d(now), thresholds: transferReceiptOverdueRule.defaults });

describe('core.transferReceiptOverdue', () => {
  it('is silent on the due day', () => {
    expect(run('2026-11-10')).toEqual([]);
  });
  it('reminds the day after, and again a month late, each once', () => {
    expect(run('2026-11-11').map((r) => r.threshold)).toEqual(['1d@2026-11-10']);
    expect(run('2026-12-09').map((r) => r.threshold)).toEqual(['1d@2026-11-10']);
    expect(run('2026-12-10').map((r) => r.threshold)).toEqual(['30d@2026-11-10']);
    expect(run('2026-11-11')[0]!.to).toEqual([{ organizationId: 'b1', role: 'SECRETARY' }]);
  });
});
