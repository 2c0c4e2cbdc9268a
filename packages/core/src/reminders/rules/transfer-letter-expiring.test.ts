import { describe, expect, it } from 'vitest';
import { transferLetterExpiringRule, type ExpiringLetterRow } from './transfer-letter-expiring.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const letter: ExpiringLetterRow = {
  id: 'l1',
  number: '民政〔2026〕3号',
  memberName: '赵六',
  issuerName: '办公室支部',
  destinationName: '科协第一支部',
  validUntil: d('2026-05-10'),
  issuer: { id: 'b1', path: '/rootA/b1/' },
  destination: { id: 'b9', path: '/rootB/b9/' },
};
const run = (now: string, rootPath: string) =>
  transferLetterExpiringRule.evaluate([letter], {
    root: { id: rootPath.split('/')[1]!, path: rootPath },
    now: d(now),
    thresholds: transferLetterExpiringRule.defaults,
  });

describe('core.transferLetterExpiring', () => {
  it('is silent more than 3 days before the letter lapses, and once it has lapsed', () => {
    expect(run('2026-05-06', '/rootA/')).toEqual([]);
    expect(run('2026-05-11', '/rootA/')).toEqual([]);
  });
  it('tells the sender from its own department’s run, and the receiver from its own, each once', () => {
    const sender = run('2026-05-07', '/rootA/');
    expect(sender).toEqual([expect.objectContaining({ threshold: '3d@2026-05-10', to: [{ organizationId: 'b1', role: 'SECRETARY' }] })]);
    const receiver = run('2026-05-10', '/rootB/');
    expect(receiver).toEqual([expect.objectContaining({ threshold: '3d@2026-05-10', to: [{ organizationId: 'b9', role: 'SECRETARY' }] })]);
    expect(receiver[0]!.body).toContain('请及时办理接收');
  });
});
