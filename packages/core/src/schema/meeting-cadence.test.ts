import { describe, expect, it } from 'vitest';
import {
  computeShortfalls,
  containedUnits,
  requiredMeetings,
  tallyCadence,
  unitOfMonth,
  type CadenceBranch,
  type MeetingCount,
} from './meeting-cadence.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('containedUnits', () => {
  it('counts every month and quarter of a calendar year', () => {
    expect(containedUnits('MONTHLY', d('2024-01-01'), d('2024-12-31'))).toHaveLength(12);
    expect(containedUnits('QUARTERLY', d('2024-01-01'), d('2024-12-31'))).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
  });

  it('leaves out months the period only touches', () => {
    expect(containedUnits('MONTHLY', d('2024-01-15'), d('2024-04-10'))).toEqual(['2024-02', '2024-03']);
    expect(containedUnits('MONTHLY', d('2024-03-01'), d('2024-03-30'))).toEqual([]);
    expect(containedUnits('MONTHLY', d('2024-03-01'), d('2024-03-31'))).toEqual(['2024-03']);
  });

  it('handles February in leap and common years', () => {
    expect(containedUnits('MONTHLY', d('2024-02-01'), d('2024-02-29'))).toEqual(['2024-02']);
    expect(containedUnits('MONTHLY', d('2024-02-01'), d('2024-02-28'))).toEqual([]);
    expect(containedUnits('MONTHLY', d('2023-02-01'), d('2023-02-28'))).toEqual(['2023-02']);
  });

  it('requires a quarter only when the whole quarter lies inside', () => {
    expect(containedUnits('QUARTERLY', d('2024-02-01'), d('2024-09-30'))).toEqual(['2024-Q2', '2024-Q3']);
    expect(containedUnits('QUARTERLY', d('2024-01-01'), d('2024-03-30'))).toEqual([]);
  });

  it('crosses year boundaries', () => {
    expect(containedUnits('MONTHLY', d('2023-11-01'), d('2024-02-29'))).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(containedUnits('QUARTERLY', d('2023-10-01'), d('2024-06-30'))).toEqual(['2023-Q4', '2024-Q1', '2024-Q2']);
  });

  it('is empty for a single day or an inverted period', () => {
    expect(requiredMeetings('MONTHLY', d('2024-05-05'), d('2024-05-05'))).toBe(0);
    expect(requiredMeetings('MONTHLY', d('2024-06-01'), d('2024-05-01'))).toBe(0);
  });
});

describe('unitOfMonth', () => {
  it('maps months to quarters', () => {
    expect(unitOfMonth('QUARTERLY', '2024-03')).toBe('2024-Q1');
    expect(unitOfMonth('QUARTERLY', '2024-04')).toBe('2024-Q2');
    expect(unitOfMonth('QUARTERLY', '2024-12')).toBe('2024-Q4');
    expect(unitOfMonth('MONTHLY', '2024-12')).toBe('2024-12');
  });
});

describe('computeShortfalls', () => {
  const branch = (over: Partial<CadenceBranch> = {}): CadenceBranch => ({
    id: 'b',
    activeFrom: null,
    activeTo: null,
    groupIds: [],
    hasCommittee: true,
    ...over,
  });
  const everyMonth = (org: string, kind: string, months: string[]): MeetingCount[] =>
    months.map((month) => ({ organizationId: org, kind, month, count: 1 }));
  const q1 = ['2024-01', '2024-02', '2024-03'];

  it('reports nothing for a branch that kept the cadence', () => {
    const counts = [
      ...everyMonth('b', 'COMMITTEE_MEETING', q1),
      ...everyMonth('b', 'THEME_DAY', q1),
      ...everyMonth('b', 'GENERAL_MEETING', ['2024-02']),
      ...everyMonth('b', 'PARTY_LECTURE', ['2024-03']),
    ];
    expect(computeShortfalls(d('2024-01-01'), d('2024-03-31'), [branch()], counts)).toEqual([]);
  });

  it('counts months covered, not meetings: several in one month do not make up for a missed one', () => {
    const counts = [
      { organizationId: 'b', kind: 'THEME_DAY', month: '2024-01', count: 3 },
      ...everyMonth('b', 'COMMITTEE_MEETING', q1),
      ...everyMonth('b', 'GENERAL_MEETING', ['2024-01']),
      ...everyMonth('b', 'PARTY_LECTURE', ['2024-01']),
    ];
    expect(computeShortfalls(d('2024-01-01'), d('2024-03-31'), [branch()], counts)).toEqual([
      { organizationId: 'b', kind: 'THEME_DAY', cadence: 'MONTHLY', required: 3, held: 1, meetingCount: 3 },
    ]);
  });

  it('lists every kind short, in cadence order, for a branch that held nothing', () => {
    const rows = computeShortfalls(d('2024-01-01'), d('2024-06-30'), [branch()], []);
    expect(rows.map((r) => [r.kind, r.required, r.held])).toEqual([
      ['GENERAL_MEETING', 2, 0],
      ['COMMITTEE_MEETING', 6, 0],
      ['PARTY_LECTURE', 2, 0],
      ['THEME_DAY', 6, 0],
    ]);
  });

  it('requires group meetings from each group, only where there are groups', () => {
    const withGroups = branch({ groupIds: ['g1', 'g2'] });
    const counts = [...everyMonth('g1', 'GROUP_MEETING', q1), ...everyMonth('g2', 'GROUP_MEETING', ['2024-01'])];
    const rows = computeShortfalls(d('2024-01-01'), d('2024-03-31'), [withGroups], counts).filter((r) => r.kind === 'GROUP_MEETING');
    expect(rows).toEqual([{ organizationId: 'b', kind: 'GROUP_MEETING', cadence: 'MONTHLY', required: 6, held: 4, meetingCount: 4 }]);
    expect(computeShortfalls(d('2024-01-01'), d('2024-03-31'), [branch()], []).some((r) => r.kind === 'GROUP_MEETING')).toBe(false);
  });

  it('does not require committee meetings of a branch without a committee', () => {
    const rows = computeShortfalls(d('2024-01-01'), d('2024-03-31'), [branch({ hasCommittee: false })], []);
    expect(rows.some((r) => r.kind === 'COMMITTEE_MEETING')).toBe(false);
  });

  it('ignores meetings in months the period only touches', () => {
    const counts = everyMonth('b', 'THEME_DAY', ['2024-01', '2024-02', '2024-03', '2024-04']);
    const theme = computeShortfalls(d('2024-01-10'), d('2024-04-20'), [branch()], counts).find((r) => r.kind === 'THEME_DAY');
    expect(theme).toBeUndefined();
    const missing = computeShortfalls(d('2024-01-10'), d('2024-04-20'), [branch()], everyMonth('b', 'THEME_DAY', ['2024-01', '2024-04']));
    expect(missing.find((r) => r.kind === 'THEME_DAY')).toMatchObject({ required: 2, held: 0, meetingCount: 0 });
  });

  it('measures a temporary branch only over its term', () => {
    const temporary = branch({ activeFrom: d('2024-03-15'), activeTo: d('2026-03-14') });
    const rows = computeShortfalls(
      d('2024-01-01'),
      d('2024-06-30'),
      [temporary],
      everyMonth('b', 'THEME_DAY', ['2024-04', '2024-05', '2024-06']),
    );
    expect(rows.find((r) => r.kind === 'THEME_DAY')).toBeUndefined();
    expect(rows.find((r) => r.kind === 'COMMITTEE_MEETING')).toMatchObject({ required: 3, held: 0 });
    expect(rows.find((r) => r.kind === 'GENERAL_MEETING')).toMatchObject({ required: 1, held: 0 });
    const ended = branch({ activeFrom: d('2023-01-01'), activeTo: d('2023-12-31') });
    expect(computeShortfalls(d('2024-01-01'), d('2024-06-30'), [ended], [])).toEqual([]);
  });
});

describe('tallyCadence', () => {
  const branch: CadenceBranch = { id: 'b', activeFrom: null, activeTo: null, groupIds: [], hasCommittee: false };
  const counts: MeetingCount[] = [
    { organizationId: 'b', kind: 'THEME_DAY', month: '2025-01', count: 2 },
    { organizationId: 'b', kind: 'THEME_DAY', month: '2025-02', count: 1 },
    { organizationId: 'b', kind: 'THEME_DAY', month: '2025-03', count: 1 },
  ];

  it('reports kinds held in full as well as those short, and only the kinds asked for', () => {
    const tallies = tallyCadence(d('2025-01-01'), d('2025-03-31'), [branch], counts);
    expect(tallies.map((t) => [t.kind, t.required, t.held, t.meetingCount])).toEqual([
      ['GENERAL_MEETING', 1, 0, 0],
      ['PARTY_LECTURE', 1, 0, 0],
      ['THEME_DAY', 3, 3, 4],
    ]);
    expect(tallyCadence(d('2025-01-01'), d('2025-03-31'), [branch], counts, ['THEME_DAY'])).toHaveLength(1);
    // Shortfalls are the tallies held short.
    expect(computeShortfalls(d('2025-01-01'), d('2025-03-31'), [branch], counts).map((s) => s.kind)).toEqual([
      'GENERAL_MEETING',
      'PARTY_LECTURE',
    ]);
  });

  it('leaves out what nothing is owed of: no committee, no groups, no whole month', () => {
    expect(tallyCadence(d('2025-01-05'), d('2025-01-30'), [branch], counts)).toEqual([]);
    expect(tallyCadence(d('2025-01-01'), d('2025-03-31'), [branch], counts, ['COMMITTEE_MEETING', 'GROUP_MEETING'])).toEqual([]);
  });
});
