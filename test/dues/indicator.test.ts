import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { CORE_INDICATORS } from '../../packages/core/src/assessment/core-indicators.ts';

// core.dues.onTime over the demo data: the value agrees with a count from the stored rows (the demo pays
// exactly the standard of every base), many organizations cost a fixed number of statements, and the
// evidence lists the shortfalls first.

describe('core.dues.onTime', () => {
  let server: TestServer;
  let statements = 0;
  const indicator = CORE_INDICATORS.find((i) => i.id === 'core.dues.onTime')!;
  const now = new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  // The last twelve full months: every month of it is due.
  const period = {
    from: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 12, 1)),
    to: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0)),
  };

  beforeAll(async () => {
    server = await startTestServer({ onQuery: () => statements++ });
  });
  afterAll(() => server?.close());

  it('is declared by core with its agreed id', () => {
    expect(indicator).toMatchObject({ owner: 'core', unit: 'PERCENT', direction: 'HIGHER_IS_BETTER' });
  });

  it('computes the on-time share for many organizations in a fixed number of statements', async () => {
    const db = server.db.client;
    const organizations = await db.organization.findMany({
      where: { kind: { in: ['COMMITTEE', 'BRANCH'] } },
      select: { id: true, path: true, kind: true },
    });
    expect(organizations.length).toBeGreaterThan(10);
    statements = 0;
    await indicator.value({ db, organizations: organizations.slice(0, 1), period, today });
    const forOne = statements;
    statements = 0;
    const values = await indicator.value({ db, organizations, period, today });
    expect(statements).toBe(forOne);
    expect(statements).toBeLessThanOrEqual(8);

    // From the rows: a due member-month is on time when a payment for it was made by its month's end.
    const members = await db.member.findMany({ include: { organization: true, dues: true } });
    for (const org of organizations.slice(0, 8)) {
      let due = 0;
      let onTime = 0;
      for (const m of members.filter((x) => x.organization.path.startsWith(org.path))) {
        for (let t = new Date(period.from); t <= period.to; t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1))) {
          if (t.getTime() < Date.UTC(m.joinedAt.getUTCFullYear(), m.joinedAt.getUTCMonth(), 1)) continue;
          due++;
          const end = Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1);
          if (m.dues.some((d) => d.month.getTime() === t.getTime() && d.paidAt.getTime() < end)) onTime++;
        }
      }
      const expected = due === 0 ? null : Math.round((onTime * 10_000) / due) / 100;
      expect(values.get(org.id), org.path).toBe(expected);
    }
    // Late payers and the arrears the demo stages make it fall short somewhere.
    expect([...values.values()].some((v) => v !== null && v < 100)).toBe(true);
  });

  it('lists the member-months behind the value, shortfalls first', async () => {
    const db = server.db.client;
    const org = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-KX-KPB' }, select: { id: true, path: true, kind: true } });
    const rows = await indicator.evidence({ db, organization: org, period, today });
    const value = (await indicator.value({ db, organizations: [org], period, today })).get(org.id)!;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.counts).toBe(false);
    expect(rows.every((r) => r.type === 'Member')).toBe(true);
    if (rows.length < 500) expect(Math.round((rows.filter((r) => r.counts).length * 10_000) / rows.length) / 100).toBe(value);
  });
});
