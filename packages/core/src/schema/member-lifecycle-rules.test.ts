import { describe, expect, it } from 'vitest';
import { applyLifecycle, type LifecycleFacts } from './member-lifecycle-rules.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const facts = (extra: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  standing: 'ACTIVE',
  status: 'FULL',
  standingSince: null,
  joinedAt: d('2010-07-01'),
  mobileSince: null,
  lostContactSince: null,
  retainedSince: null,
  ...extra,
});
const none = { details: null, hostId: null, lastPaidMonth: null };

function refusal(fn: () => unknown): { code?: unknown; field?: unknown; message: string } | undefined {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: { code?: unknown; field?: unknown } };
    return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
  }
  return undefined;
}

describe('applyLifecycle', () => {
  it('suspends only an active membership and restores only a suspended one', () => {
    expect(applyLifecycle(facts(), 'SUSPENDED', d('2024-01-01'), none)).toEqual({ standing: 'SUSPENDED', standingSince: d('2024-01-01') });
    expect(refusal(() => applyLifecycle(facts(), 'RESTORED', d('2024-01-01'), none))?.code).toBe('ILLEGAL_STATE');
    expect(applyLifecycle(facts({ standing: 'SUSPENDED' }), 'RESTORED', d('2024-02-01'), none).standing).toBe('ACTIVE');
  });

  it('makes leaving and death final', () => {
    for (const kind of ['REMOVED', 'EXPELLED', 'WITHDREW'] as const)
      expect(applyLifecycle(facts(), kind, d('2024-01-01'), none).standing).toBe('LEFT');
    expect(applyLifecycle(facts(), 'DIED', d('2024-01-01'), none).standing).toBe('DECEASED');
    expect(
      refusal(() => applyLifecycle(facts({ standing: 'LEFT', standingSince: d('2024-01-01') }), 'RESTORED', d('2024-02-01'), none))
        ?.message,
    ).toContain('2024-01-01');
  });

  it('refuses dates before joining or before the last change', () => {
    expect(refusal(() => applyLifecycle(facts(), 'SUSPENDED', d('2009-01-01'), none))?.field).toBe('input.date');
    expect(
      refusal(() => applyLifecycle(facts({ standing: 'SUSPENDED', standingSince: d('2024-03-01') }), 'RESTORED', d('2024-02-01'), none))
        ?.field,
    ).toBe('input.date');
  });

  it('allows 自行脱党 only six months after the last paid month', () => {
    const paid = { ...none, lastPaidMonth: d('2024-01-01') };
    expect(refusal(() => applyLifecycle(facts(), 'LAPSED', d('2024-07-31'), paid))?.message).toContain('2024-08-01');
    expect(applyLifecycle(facts(), 'LAPSED', d('2024-08-01'), paid).standing).toBe('LEFT');
  });

  it('records 流动, 失联 and 保留党籍 once each, with what they need', () => {
    expect(refusal(() => applyLifecycle(facts(), 'WENT_MOBILE', d('2024-01-01'), none))?.field).toBe('input.details');
    expect(applyLifecycle(facts(), 'WENT_MOBILE', d('2024-01-01'), { ...none, details: '深圳' })).toEqual({
      mobileSince: d('2024-01-01'),
      mobileDestination: '深圳',
      mobileHostId: null,
    });
    expect(
      refusal(() => applyLifecycle(facts({ mobileSince: d('2024-01-01') }), 'WENT_MOBILE', d('2024-02-01'), { ...none, details: 'x' }))
        ?.code,
    ).toBe('ILLEGAL_STATE');
    expect(refusal(() => applyLifecycle(facts(), 'CONTACT_RESTORED', d('2024-01-01'), none))?.code).toBe('ILLEGAL_STATE');
    expect(applyLifecycle(facts(), 'RETAINED', d('2024-01-01'), none)).toEqual({ retainedSince: d('2024-01-01') });
    expect(refusal(() => applyLifecycle(facts(), 'PROBATION_CANCELLED', d('2024-01-01'), none))?.code).toBe('ILLEGAL_STATE');
  });
});
