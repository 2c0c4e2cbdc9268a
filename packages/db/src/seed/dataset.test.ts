import { describe, expect, it } from 'vitest';
import { birthDateFromNationalId, isValidNationalId } from '../national-id.ts';
import { addYears, monthStart } from './dates.ts';
import { buildDemoDataset, buildScaleDataset } from './dataset.ts';
import { windowMonths } from './life.ts';
import type { Dataset, OrganizationRow } from './types.ts';

const TODAY = new Date(Date.UTC(2025, 5, 15));
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const demo = buildDemoDataset({ today: TODAY });

function expectValidTree(organizations: readonly OrganizationRow[]): void {
  const byId = new Map(organizations.map((o) => [o.id, o]));
  expect(byId.size).toBe(organizations.length);
  const roots = organizations.filter((o) => o.parentId === null);
  expect(roots).toHaveLength(1);
  expect(roots[0]!.path).toBe(`/${roots[0]!.id}/`);
  expect(roots[0]!.depth).toBe(0);
  for (const org of organizations) {
    expect(org.id).toMatch(UUID_V4);
    if (org.parentId === null) continue;
    const parent = byId.get(org.parentId);
    expect(parent, `parent of ${org.code}`).toBeDefined();
    expect(org.path).toBe(`${parent!.path}${org.id}/`);
    expect(org.depth).toBe(parent!.depth + 1);
  }
  expect(new Set(organizations.map((o) => o.code)).size).toBe(organizations.length);
}

function expectForeignKeys(data: Dataset): void {
  const orgIds = new Set(data.organizations.map((o) => o.id));
  const memberIds = new Set(data.members.map((m) => m.id));
  const meetingIds = new Set(data.meetings.map((m) => m.id));
  for (const m of data.members) expect(orgIds.has(m.organizationId)).toBe(true);
  for (const c of data.cadres) expect(orgIds.has(c.organizationId) && memberIds.has(c.memberId)).toBe(true);
  for (const t of data.organizationTerms) expect(orgIds.has(t.organizationId)).toBe(true);
  for (const m of data.meetings) expect(orgIds.has(m.organizationId)).toBe(true);
  for (const a of data.meetingAttendance) expect(meetingIds.has(a.meetingId) && memberIds.has(a.memberId)).toBe(true);
  for (const rows of [data.trainings, data.assessments, data.rotations, data.duesPayments]) {
    for (const row of rows) expect(memberIds.has(row.memberId)).toBe(true);
  }
}

function unique<T>(items: readonly T[], key: (item: T) => string): boolean {
  return new Set(items.map(key)).size === items.length;
}

describe('buildDemoDataset', () => {
  it('builds a valid tree with unique codes', () => {
    expectValidTree(demo.organizations);
    expect(demo.organizations.filter((o) => o.kind === 'WORKING_COMMITTEE')).toHaveLength(1);
  });

  it('has the five agencies, each with a 机关党委', () => {
    const committees = demo.organizations.filter((o) => o.kind === 'COMMITTEE');
    expect(committees.map((c) => c.agency).sort()).toEqual(['市人社局', '市发改委', '市委宣传部', '市民政局', '市科协'].sort());
    for (const kind of ['GENERAL_BRANCH', 'TEMPORARY_BRANCH', 'GROUP'] as const) {
      expect(
        demo.organizations.some((o) => o.kind === kind),
        kind,
      ).toBe(true);
    }
  });

  it('respects foreign keys and composite unique keys', () => {
    expectForeignKeys(demo);
    expect(unique(demo.duesPayments, (d) => `${d.memberId}|${d.month.toISOString()}`)).toBe(true);
    expect(unique(demo.assessments, (a) => `${a.memberId}|${a.year}`)).toBe(true);
    expect(unique(demo.meetingAttendance, (a) => `${a.meetingId}|${a.memberId}`)).toBe(true);
    for (const rows of [demo.members, demo.cadres, demo.trainings, demo.meetings, demo.duesPayments, demo.organizationTerms]) {
      for (const row of rows) expect(row.id).toMatch(UUID_V4);
    }
  });

  it('has 300–500 members with valid, unique national IDs matching birth date and sex', () => {
    expect(demo.members.length).toBeGreaterThanOrEqual(300);
    expect(demo.members.length).toBeLessThanOrEqual(500);
    expect(unique(demo.members, (m) => m.nationalId)).toBe(true);
    for (const m of demo.members) {
      expect(isValidNationalId(m.nationalId), m.nationalId).toBe(true);
      expect(birthDateFromNationalId(m.nationalId)).toEqual(m.birthDate);
      expect(Number(m.nationalId[16]) % 2).toBe(m.gender === 'MALE' ? 1 : 0);
      expect(m.phone).toMatch(/^1[358]\d{9}$/);
      expect(m.name).toMatch(/^\p{Script=Han}{2,4}$/u);
    }
  });

  it('has probationary members who joined within the last year and full members one year after joining', () => {
    const probationary = demo.members.filter((m) => m.status === 'PROBATIONARY');
    expect(probationary.length).toBeGreaterThan(0);
    for (const m of probationary) {
      expect(m.fullMemberAt).toBeNull();
      expect(m.joinedAt.getTime()).toBeGreaterThan(addYears(TODAY, -1).getTime());
    }
    for (const m of demo.members.filter((m) => m.status === 'FULL')) {
      expect(m.fullMemberAt).toEqual(addYears(m.joinedAt, 1));
      expect(m.fullMemberAt!.getTime()).toBeLessThanOrEqual(TODAY.getTime());
    }
  });

  it('has overdue terms, but most terms are current', () => {
    const withTerm = demo.organizations.filter((o) => o.termEnd !== null);
    const overdue = withTerm.filter((o) => o.termEnd!.getTime() < TODAY.getTime());
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(withTerm.length / 2);
  });

  it('gives secretaries to most organizations but leaves some vacant', () => {
    const withSecretary = new Set(demo.cadres.filter((c) => c.post === 'SECRETARY' && c.endDate === null).map((c) => c.organizationId));
    const eligible = demo.organizations.filter((o) => o.kind !== 'GROUP');
    const vacant = eligible.filter((o) => !withSecretary.has(o.id));
    expect(vacant.length).toBeGreaterThan(0);
    expect(vacant.length).toBeLessThan(eligible.length / 4);
    const secretaries = demo.cadres.filter((c) => c.post === 'SECRETARY' && c.endDate === null);
    expect(secretaries.some((c) => c.fullTime)).toBe(true);
    expect(secretaries.filter((c) => !c.fullTime).length).toBeGreaterThan(secretaries.length / 2);
  });

  it('has secretaries without training in the last three years, and rotations', () => {
    const recent = new Set(demo.trainings.filter((t) => t.date.getTime() >= addYears(TODAY, -3).getTime()).map((t) => t.memberId));
    const secretaries = demo.cadres.filter((c) => c.post === 'SECRETARY' && c.endDate === null);
    expect(secretaries.some((c) => !recent.has(c.memberId))).toBe(true);
    expect(demo.rotations.length).toBeGreaterThan(0);
    expect(demo.assessments.every((a) => a.year === 2023 || a.year === 2024)).toBe(true);
  });

  it('has members in dues arrears, with well-formed dues rows', () => {
    const months = windowMonths(TODAY);
    const paid = new Set(demo.duesPayments.map((d) => `${d.memberId}|${d.month.getTime()}`));
    const inArrears = demo.members.filter((m) =>
      months.some((month) => month.getTime() >= monthStart(m.joinedAt).getTime() && !paid.has(`${m.id}|${month.getTime()}`)),
    );
    expect(inArrears.length).toBeGreaterThan(0);
    expect(inArrears.length).toBeLessThan(demo.members.length / 4);
    for (const d of demo.duesPayments) {
      expect(d.month.getUTCDate()).toBe(1);
      expect(d.amount).toMatch(/^\d+\.\d{2}$/);
      expect(d.paidAt.getTime()).toBeLessThanOrEqual(TODAY.getTime());
    }
  });

  it('has branches that keep the monthly theme day and branches that fall short', () => {
    const branches = demo.organizations.filter((o) => o.kind === 'BRANCH');
    const themeDays = (id: string) => demo.meetings.filter((m) => m.organizationId === id && m.kind === 'THEME_DAY').length;
    expect(branches.some((b) => themeDays(b.id) >= 12)).toBe(true);
    expect(branches.some((b) => themeDays(b.id) < 12)).toBe(true);
    expect(demo.meetings.every((m) => m.date.getTime() <= TODAY.getTime())).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(buildDemoDataset({ today: TODAY })).toEqual(demo);
    const other = buildDemoDataset({ seed: 7, today: TODAY });
    expect(other).not.toEqual(demo);
    expect(other.members.map((m) => m.nationalId)).not.toEqual(demo.members.map((m) => m.nationalId));
  });
});

describe('buildScaleDataset', () => {
  it('produces exactly the requested counts with a valid tree', () => {
    const data = buildScaleDataset({ organizations: 2000, members: 20000, today: TODAY });
    expect(data.organizations).toHaveLength(2000);
    expect(data.members).toHaveLength(20000);
    expectValidTree(data.organizations);
    expectForeignKeys(data);
    expect(unique(data.members, (m) => m.nationalId)).toBe(true);
    expect(data.cadres.length).toBeGreaterThan(0);
    const kinds = new Set(data.organizations.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['BRANCH', 'COMMITTEE', 'GENERAL_BRANCH', 'GROUP', 'TEMPORARY_BRANCH', 'WORKING_COMMITTEE']);
    // Members hold their membership in branches, never in groups.
    const groups = new Set(data.organizations.filter((o) => o.kind === 'GROUP').map((o) => o.id));
    expect(data.members.some((m) => groups.has(m.organizationId))).toBe(false);
  });

  it('handles degenerate sizes', () => {
    const single = buildScaleDataset({ organizations: 1, members: 3, today: TODAY });
    expect(single.organizations).toHaveLength(1);
    expect(single.members).toHaveLength(3);
    for (const n of [2, 3, 5, 17]) {
      const data = buildScaleDataset({ organizations: n, members: 0, today: TODAY });
      expect(data.organizations).toHaveLength(n);
      expectValidTree(data.organizations);
    }
    expect(() => buildScaleDataset({ organizations: 0, members: 1 })).toThrow(RangeError);
  });

  it('is deterministic for a seed', () => {
    const a = buildScaleDataset({ organizations: 300, members: 1000, seed: 5, today: TODAY });
    expect(buildScaleDataset({ organizations: 300, members: 1000, seed: 5, today: TODAY })).toEqual(a);
    expect(buildScaleDataset({ organizations: 300, members: 1000, seed: 6, today: TODAY })).not.toEqual(a);
  });
});

describe('demo 发展党员 records', () => {
  const stageOf = (step: number) => (step <= 2 ? 1 : step <= 6 ? 2 : step <= 11 ? 3 : step <= 18 ? 4 : 5);

  it('have people at every stage, and every probationary member came through step 15 on the day of joining', () => {
    const active = demo.developmentRecords.filter((r) => r.state === 'ACTIVE');
    expect(new Set(active.map((r) => stageOf(r.step)))).toEqual(new Set([1, 2, 3, 4, 5]));
    for (let step = 1; step <= 14; step++)
      expect(
        active.some((r) => r.step === step),
        `step ${step}`,
      ).toBe(true);
    expect(demo.developmentRecords.some((r) => r.state === 'ENDED')).toBe(true);
    expect(demo.developmentRecords.some((r) => r.state === 'COMPLETED')).toBe(true);
    const byMember = new Map(demo.developmentRecords.filter((r) => r.memberId).map((r) => [r.memberId!, r]));
    for (const member of demo.members.filter((m) => m.status === 'PROBATIONARY')) {
      const record = byMember.get(member.id);
      expect(record, member.name).toBeDefined();
      const fifteen = demo.developmentEntries.find((e) => e.recordId === record!.id && e.step === 15)!;
      expect(fifteen.date).toEqual(member.joinedAt);
      expect(record!.nationalId).toBe(member.nationalId);
    }
  });

  it('have one entry per step up to the record’s step, in date order, none in the future', () => {
    const entries = new Map<string, typeof demo.developmentEntries>();
    for (const e of demo.developmentEntries) entries.set(e.recordId, [...(entries.get(e.recordId) ?? []), e]);
    const applicants = new Set(demo.developmentRecords.filter((r) => !r.memberId).map((r) => r.nationalId));
    for (const m of demo.members) expect(applicants.has(m.nationalId)).toBe(false);
    for (const record of demo.developmentRecords) {
      const steps = entries.get(record.id)!.filter((e) => e.kind === 'STEP');
      expect(steps.map((e) => e.step)).toEqual(Array.from({ length: record.step }, (_, i) => i + 1));
      for (let i = 1; i < steps.length; i++) expect(steps[i]!.date.getTime()).toBeGreaterThanOrEqual(steps[i - 1]!.date.getTime());
      expect(steps.at(-1)!.date.getTime()).toBeLessThanOrEqual(TODAY.getTime());
      expect(isValidNationalId(record.nationalId)).toBe(true);
    }
    const memberIds = new Set(demo.members.map((m) => m.id));
    const entryIds = new Set(demo.developmentEntries.map((e) => e.id));
    for (const p of demo.developmentPeople) expect(memberIds.has(p.memberId) && entryIds.has(p.entryId)).toBe(true);
  });
});
