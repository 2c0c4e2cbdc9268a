import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, startTestServer, type TestServer } from '@dangjian/testing';
import { assessmentFixturePlugin } from '../fixtures/assessment-plugin.ts';
import { CARD, CARDS, CREATE, expectError, expectOk, gid, PUBLISH, schemeInput, SET_MANUAL, thisYear } from './helpers.ts';

const cents = (text: string) => Math.round(Number(text) * 100);
/** The audit chain's advisory lock (packages/core/src/audit/append.ts). */
const AUDIT_CHAIN_LOCK = 0x6461_6e67;

describe('scorecards', () => {
  let server: TestServer;
  let statements = 0;
  let admin: string;
  let mzjAdmin: string;
  let bgsSecretary: string;
  let otherDepartment: string;
  let scheme: any;
  const org: Record<string, { id: string; gid: string; path: string; kind: string }> = {};
  const setEnabled = (enabled: boolean) =>
    server.gql(
      'mutation ($e: Boolean!) { setPluginEnabled(pluginId: "assessment-fixture", enabled: $e) { id enabled } }',
      { e: enabled },
      admin,
    );
  const card = async (code: string, token = admin, schemeId = scheme.id) =>
    expectOk(await server.gql(CARD, { o: org[code]!.gid, s: schemeId }, token)).scorecard;
  const setManual = (code: string, item: number, value: string, reason = '年度业务考核结果', token = admin) =>
    server.gql(
      SET_MANUAL,
      {
        input: {
          schemeId: scheme.id,
          itemId: scheme.items[item].id,
          organizationId: org[code]!.gid,
          value,
          reason,
          evidence: '考核组评议记录',
        },
      },
      token,
    );
  const covered = () =>
    Object.entries(org).filter(([, o]) => ['BRANCH', 'TEMPORARY_BRANCH'].includes(o.kind) && o.path.startsWith(org.SZJGGW!.path));

  beforeAll(async () => {
    server = await startTestServer({ plugins: [assessmentFixturePlugin], onQuery: () => void (statements += 1) });
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    bgsSecretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    const rootId = crypto.randomUUID();
    await server.db.client.organization.create({
      data: { id: rootId, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${rootId}/`, depth: 0 },
    });
    otherDepartment = await server.token('XZJGGW', ['ADMIN'], 'county-admin');
    for (const o of await server.db.client.organization.findMany())
      org[o.code] = { id: o.id, gid: gid('Organization', o.id), path: o.path, kind: o.kind };
    expectOk(await setEnabled(true));
    scheme = expectOk(await server.gql(CREATE, { input: schemeInput('得分表测试') }, admin)).createAssessmentScheme;
  });
  afterAll(() => server?.close());

  it('ranks the demo scheme out of the box: real, differing totals; unknown or disabled indicators not applicable', async () => {
    const { assessmentSchemes } = expectOk(
      await server.gql(`query { assessmentSchemes { id name year state items { indicatorId } } }`, {}, admin),
    );
    const demo = assessmentSchemes.find((s: any) => s.name === `${thisYear()}年度基层党组织党建工作考核`);
    expect(demo).toMatchObject({ year: thisYear(), state: 'DRAFT' });
    expect(demo.items.length).toBeGreaterThanOrEqual(12);
    const ranking = expectOk(await server.gql(CARDS, { s: demo.id, first: 100 }, admin)).scorecards;
    expect(ranking.totalCount).toBe(covered().length);
    const totals = new Set(ranking.edges.map((e: any) => e.node.total));
    expect(totals.size).toBeGreaterThan(3);
    for (const { node } of ranking.edges) {
      for (const item of node.items) if (item.notApplicable) expect(item.notApplicableReason).toBeTruthy();
      expect(node.items.find((i: any) => i.source === 'MANUAL').notApplicable).toBe(false);
    }
  });

  it('computes a live card from current data, item by item', async () => {
    const bgs = await card('SZJGGW-MZJ-BGS');
    const db = server.db.client;
    const from = new Date(Date.UTC(thisYear(), 0, 1));
    const to = new Date(Date.UTC(thisYear(), 11, 31));
    const meetings = await db.meeting.count({ where: { organizationId: org['SZJGGW-MZJ-BGS']!.id, date: { gte: from, lte: to } } });
    const members = await db.member.count({ where: { organizationId: org['SZJGGW-MZJ-BGS']!.id } });
    const probationary = await db.member.count({ where: { organizationId: org['SZJGGW-MZJ-BGS']!.id, status: 'PROBATIONARY' } });
    expect(bgs.published).toBe(false);
    expect(bgs.hash).toBeNull();
    const [held, size, deduction, business, tasks, veto] = bgs.items;
    expect(held).toMatchObject({ value: `${meetings}.00`, notApplicable: false, rule: { kind: 'PROPORTIONAL' } });
    expect(cents(held.points)).toBe(Math.round((3000 * Math.min(meetings, 40)) / 40));
    expect(held.evidence).toEqual({
      indicatorId: 'assessment-fixture.meetings.held',
      organization: { code: 'SZJGGW-MZJ-BGS' },
      from: `${thisYear()}-01-01`,
      to: `${thisYear()}-12-31`,
    });
    expect(size).toMatchObject({ value: `${members}.00`, points: members >= 10 ? '20.00' : members >= 5 ? '10.00' : '0.00' });
    expect(cents(deduction.points)).toBe(Math.max(200, 1000 - probationary * 250));
    // Nothing scored by hand yet and no task: not applicable, with the reason — never zero.
    expect(business).toMatchObject({ points: null, value: null, notApplicable: true, evidence: null });
    expect(business.notApplicableReason).toMatch(/not scored/);
    expect(tasks).toMatchObject({ points: null, notApplicable: true });
    expect(veto).toMatchObject({ points: null, notApplicable: true, vetoed: false });
    expect(bgs.vetoed).toBe(false);
    expect(cents(bgs.total)).toBe(cents(held.points) + cents(size.points) + cents(deduction.points));
    expect(bgs.maxPoints).toBe('60.00');
    expect(bgs.coveredCount).toBe(covered().length);
    expect(bgs.siblingCount).toBe(
      Object.values(org).filter(
        (o) =>
          o.path.startsWith(org['SZJGGW-MZJ']!.path) &&
          o.path !== org['SZJGGW-MZJ']!.path &&
          o.kind === 'BRANCH' &&
          o.path.split('/').length === org['SZJGGW-MZJ']!.path.split('/').length + 1,
      ).length,
    );
  });

  it('scores manual items with a reason, audited, changeable until publication', async () => {
    expectError(await setManual('SZJGGW-MZJ-BGS', 3, '20', ' '), 'BAD_USER_INPUT', 'input.reason');
    expectError(await setManual('SZJGGW-MZJ-BGS', 3, '20.001'), 'BAD_USER_INPUT', 'input.value');
    expectError(await setManual('SZJGGW-MZJ-BGS', 0, '20'), 'ILLEGAL_STATE');
    expectError(await setManual('SZJGGW-MZJ', 3, '20'), 'BAD_USER_INPUT', 'input.organizationId');
    expectError(await setManual('SZJGGW-MZJ-BGS', 3, '20', '理由', mzjAdmin), 'FORBIDDEN');
    expectError(await setManual('SZJGGW-MZJ-BGS', 3, '20', '理由', otherDepartment), 'NOT_FOUND');
    const audits = await server.db.client.auditRecord.count({ where: { operation: 'assessment.setManualScore' } });
    const { setAssessmentManualScore: score } = expectOk(await setManual('SZJGGW-MZJ-BGS', 3, '20'));
    expect(score).toMatchObject({
      value: '20.00',
      reason: '年度业务考核结果',
      evidence: '考核组评议记录',
      organization: { code: 'SZJGGW-MZJ-BGS' },
    });
    expect((await card('SZJGGW-MZJ-BGS')).items[3]).toMatchObject({ value: '20.00', points: '20.00', manualReason: '年度业务考核结果' });
    expectOk(await setManual('SZJGGW-MZJ-BGS', 3, '22.5', '复核后调整'));
    expect((await card('SZJGGW-MZJ-BGS')).items[3]).toMatchObject({ points: '22.50', manualReason: '复核后调整' });
    expect(await server.db.client.auditRecord.count({ where: { operation: 'assessment.setManualScore' } })).toBe(audits + 2);
    expect(await server.db.client.assessmentManualScore.count({ where: { itemId: scheme.items[3].id } })).toBe(1);
  });

  it('caps a vetoed card’s total and marks it', async () => {
    expectOk(await setManual('SZJGGW-KX-KPB', 3, '25'));
    const before = await card('SZJGGW-KX-KPB');
    expect(cents(before.total)).toBeGreaterThan(6000);
    expectOk(await setManual('SZJGGW-KX-KPB', 5, '0', '发生严重违纪'));
    const after = await card('SZJGGW-KX-KPB');
    expect(after.vetoed).toBe(true);
    expect(after.items[5]).toMatchObject({ vetoed: true, points: '0.00' });
    expect(after.total).toBe('60.00');
    expectOk(await setManual('SZJGGW-KX-KPB', 5, '1', '经核实不属实'));
    expect((await card('SZJGGW-KX-KPB')).vetoed).toBe(false);
  });

  it('ranks every covered organization, pages, and filters by subtree and kind', async () => {
    const all = expectOk(await server.gql(CARDS, { s: scheme.id, first: 100 }, admin)).scorecards;
    expect(all.totalCount).toBe(covered().length);
    const totals = all.edges.map((e: any) => cents(e.node.total));
    expect(totals).toEqual([...totals].sort((a: number, b: number) => b - a));
    expect(all.edges[0].node.rank).toBe(1);
    for (const { node } of all.edges) expect(node.rank).toBe(totals.indexOf(cents(node.total)) + 1);
    const first = expectOk(await server.gql(CARDS, { s: scheme.id, first: 5 }, admin)).scorecards;
    const next = expectOk(await server.gql(CARDS, { s: scheme.id, first: 5, after: first.pageInfo.endCursor }, admin)).scorecards;
    expect([...first.edges, ...next.edges].map((e: any) => e.node.organization.code)).toEqual(
      all.edges.slice(0, 10).map((e: any) => e.node.organization.code),
    );
    const temporary = expectOk(await server.gql(CARDS, { s: scheme.id, kinds: ['TEMPORARY_BRANCH'] }, admin)).scorecards;
    expect(temporary.edges.map((e: any) => e.node.organization.code)).toEqual(
      covered()
        .filter(([, o]) => o.kind === 'TEMPORARY_BRANCH')
        .map(([code]) => code),
    );
    const mzj = expectOk(await server.gql(CARDS, { s: scheme.id, under: org['SZJGGW-MZJ']!.gid }, admin)).scorecards;
    expect(mzj.totalCount).toBe(covered().filter(([, o]) => o.path.startsWith(org['SZJGGW-MZJ']!.path)).length);
  });

  it('computes the ranking in a bounded number of statements, however many organizations', async () => {
    const measure = async () => {
      statements = 0;
      expectOk(await server.gql(CARDS, { s: scheme.id, first: 100 }, admin));
      return statements;
    };
    const before = await measure();
    const parent = org['SZJGGW-FGW']!;
    const rows = Array.from({ length: 25 }, (_, i) => {
      const id = crypto.randomUUID();
      return {
        id,
        kind: 'BRANCH' as const,
        name: `新增支部${i}`,
        code: `SZJGGW-FGW-NEW${i}`,
        parentId: parent.id,
        path: `${parent.path}${id}/`,
        depth: parent.path.split('/').length - 2,
      };
    });
    await server.db.client.organization.createMany({ data: rows });
    const after = await measure();
    const count = expectOk(await server.gql(CARDS, { s: scheme.id, first: 1 }, admin)).scorecards.totalCount;
    expect(count).toBe(covered().length + 25);
    expect(after).toBe(before);
    expect(after).toBeLessThan(20);
    await server.db.client.organization.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  });

  it('scores a disabled plugin’s items as not applicable, never zero, never an error', async () => {
    expectOk(await setEnabled(false));
    try {
      const bgs = await card('SZJGGW-MZJ-BGS');
      for (const item of bgs.items.slice(0, 3)) {
        expect(item).toMatchObject({ notApplicable: true, points: null, value: null, evidence: null });
        expect(item.notApplicableReason).toMatch(/assessment-fixture/);
      }
      expect(bgs.total).toBe('22.50');
      expect(bgs.maxPoints).toBe('25.00');
    } finally {
      expectOk(await setEnabled(true));
    }
  });

  it('scores an indicator nothing provides as not applicable', async () => {
    const input = schemeInput('未知指标得分');
    input.items[0]!.indicatorId = 'nobody.provides.this';
    const other = expectOk(await server.gql(CREATE, { input }, admin)).createAssessmentScheme;
    const bgs = await card('SZJGGW-MZJ-BGS', admin, other.id);
    expect(bgs.items[0]).toMatchObject({ notApplicable: true, points: null });
    expect(bgs.items[0].notApplicableReason).toMatch(/nobody\.provides\.this/);
    expect(bgs.items[1].notApplicable).toBe(false);
  });

  describe('who sees which card', () => {
    it('a branch sees its own card and rank, never another branch’s', async () => {
      const own = await card('SZJGGW-MZJ-BGS', bgsSecretary);
      expect(own.organization.code).toBe('SZJGGW-MZJ-BGS');
      expect(own.rank).toBe((await card('SZJGGW-MZJ-BGS')).rank);
      expect(await card('SZJGGW-MZJ-SHJZ', bgsSecretary)).toBeNull();
      expect(await card('SZJGGW-KX-KPB', bgsSecretary)).toBeNull();
      const list = expectOk(await server.gql(CARDS, { s: scheme.id }, bgsSecretary)).scorecards;
      expect(list.edges.map((e: any) => e.node.organization.code)).toEqual(['SZJGGW-MZJ-BGS']);
    });
    it('a committee sees every card of its tree and none outside', async () => {
      const list = expectOk(await server.gql(CARDS, { s: scheme.id, first: 100 }, mzjAdmin)).scorecards;
      expect(list.totalCount).toBe(covered().filter(([, o]) => o.path.startsWith(org['SZJGGW-MZJ']!.path)).length);
      expect(await card('SZJGGW-KX-KPB', mzjAdmin)).toBeNull();
      expectError(await server.gql(CARDS, { s: scheme.id, under: org['SZJGGW-KX']!.gid }, mzjAdmin), 'NOT_FOUND');
    });
    it('a sibling department sees nothing', async () => {
      expect(await card('SZJGGW-MZJ-BGS', otherDepartment)).toBeNull();
      expect(expectOk(await server.gql(CARDS, { s: scheme.id }, otherDepartment)).scorecards.totalCount).toBe(0);
    });
  });

  describe('publication', () => {
    let live: any[];
    let published: any[];
    it('freezes every card in one transaction, records each hash in the audit trail and tells subscribers', async () => {
      live = expectOk(await server.gql(CARDS, { s: scheme.id, first: 100 }, admin)).scorecards.edges.map((e: any) => e.node);
      expect(live.length).toBe(covered().length);
      const client = server.ws(bgsSecretary);
      const { done } = nextResults(client, 'subscription { scorecardPublished { total published organization { code } } }', {}, 1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expectError(await server.gql(PUBLISH, { id: scheme.id }, mzjAdmin), 'FORBIDDEN');
      expect(expectOk(await server.gql(PUBLISH, { id: scheme.id }, admin)).publishAssessmentScheme.state).toBe('PUBLISHED');
      const activities = await server.db.client.activity.findMany({
        where: { kind: 'assessment.scorecardPublished', subjectId: rawId(scheme.id) },
        select: { organizationId: true, path: true },
      });
      expect(activities.map((a) => a.organizationId).sort()).toEqual(
        covered()
          .map(([, o]) => o.id)
          .sort(),
      );
      expect(activities.every((a) => a.path === Object.values(org).find((o) => o.id === a.organizationId)!.path)).toBe(true);
      const [schemeAudit] = await server.db.client.auditRecord.findMany({
        where: { operation: 'assessment.publishScheme', target: `AssessmentScheme:${rawId(scheme.id)}` },
      });
      expect(schemeAudit!.result).toMatch(new RegExp(`^sha256=[0-9a-f]{64} scorecards=${covered().length}$`));
      published = expectOk(await server.gql(CARDS, { s: scheme.id, first: 100 }, admin)).scorecards.edges.map((e: any) => e.node);
      expect(published.map((c) => [c.organization.code, c.total, c.rank, c.vetoed])).toEqual(
        live.map((c) => [c.organization.code, c.total, c.rank, c.vetoed]),
      );
      expect(published.every((c) => c.published && /^[0-9a-f]{64}$/.test(c.hash))).toBe(true);
      expect(await server.db.client.assessmentScorecard.count({ where: { schemeId: rawId(scheme.id) } })).toBe(covered().length);
      // The planner is told at once (no autovacuum on the embedded database): its row estimate is the table's.
      const [stats] = await server.db.client.$queryRaw<{ estimate: number; actual: number }[]>`
        SELECT (SELECT reltuples FROM pg_class WHERE oid = '"AssessmentScorecard"'::regclass)::int AS estimate,
               (SELECT count(*) FROM "AssessmentScorecard")::int AS actual`;
      expect(stats!.estimate).toBe(stats!.actual);
      const audits = await server.db.client.auditRecord.findMany({
        where: { operation: 'assessment.publishScorecard', target: { startsWith: `AssessmentScorecard:${rawId(scheme.id)}:` } },
      });
      expect(audits).toHaveLength(covered().length);
      for (const c of published) expect(audits.some((a) => a.result.includes(`sha256=${c.hash}`))).toBe(true);
      const [event] = await done;
      expect(event!.data.scorecardPublished).toMatchObject({ published: true, organization: { code: 'SZJGGW-MZJ-BGS' } });
    });

    it('reads the published ranking a page at a time, as the live one ranked: pages, kinds, subtrees, who sees what', async () => {
      const full = (token: string, vars: Record<string, unknown> = {}) =>
        server.gql(CARDS, { s: scheme.id, first: 100, ...vars }, token).then((r) => expectOk(r).scorecards);
      const key = (c: any) => [c.organization.code, c.total, c.rank, c.siblingRank, c.siblingCount, c.coveredCount];
      // Pages in SQL join up to the whole ranking, with the same ranks and counts the live cards had.
      const pages: any[] = [];
      let after: string | null = null;
      let lastCursor: string | null = null;
      do {
        const page: any = expectOk(await server.gql(CARDS, { s: scheme.id, first: 4, after }, admin)).scorecards;
        expect(page.totalCount).toBe(covered().length);
        pages.push(...page.edges.map((e: any) => e.node));
        lastCursor = page.pageInfo.endCursor;
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(pages.map(key)).toEqual(live.map(key));
      // Past the last card: no cards, and still the count (the page's statement carries none then).
      const beyond = lastCursor;
      const past: any = expectOk(await server.gql(CARDS, { s: scheme.id, first: 4, after: beyond }, admin)).scorecards;
      expect(past.edges).toEqual([]);
      expect(past.totalCount).toBe(covered().length);
      // Under a committee, of a kind: the live ranking's cards of that subtree or kind, in the same order.
      const mzjPath = org['SZJGGW-MZJ']!.path;
      const mzjCodes = new Set(
        covered()
          .filter(([, o]) => o.path.startsWith(mzjPath))
          .map(([code]) => code),
      );
      const mzj = await full(admin, { under: org['SZJGGW-MZJ']!.gid });
      expect(mzj.totalCount).toBe(mzjCodes.size);
      expect(mzj.edges.map((e: any) => key(e.node))).toEqual(live.filter((c) => mzjCodes.has(c.organization.code)).map(key));
      const temporary = await full(admin, { kinds: ['TEMPORARY_BRANCH'] });
      expect(temporary.edges.map((e: any) => e.node.organization.code)).toEqual(
        live.filter((c) => org[c.organization.code]!.kind === 'TEMPORARY_BRANCH').map((c) => c.organization.code),
      );
      // A branch: its own card and rank only; a committee: its tree only; another department: nothing.
      const own = await full(bgsSecretary);
      expect(own.totalCount).toBe(1);
      expect(own.edges.map((e: any) => key(e.node))).toEqual(live.filter((c) => c.organization.code === 'SZJGGW-MZJ-BGS').map(key));
      expect(await card('SZJGGW-MZJ-SHJZ', bgsSecretary)).toBeNull();
      expectError(await server.gql(CARDS, { s: scheme.id, under: org['SZJGGW-MZJ']!.gid }, bgsSecretary), 'NOT_FOUND');
      expect((await full(mzjAdmin)).edges.map((e: any) => key(e.node))).toEqual(mzj.edges.map((e: any) => key(e.node)));
      expect(await card('SZJGGW-KX-KPB', mzjAdmin)).toBeNull();
      expectError(await server.gql(CARDS, { s: scheme.id, under: org['SZJGGW-KX']!.gid }, mzjAdmin), 'NOT_FOUND');
      expect((await full(otherDepartment)).totalCount).toBe(0);
      expect(await card('SZJGGW-MZJ-BGS', otherDepartment)).toBeNull();
      // A page costs a fixed number of statements, however many cards the scheme froze.
      statements = 0;
      await full(admin, { first: 2 });
      const small = statements;
      statements = 0;
      await full(admin, { first: 100 });
      expect(statements).toBe(small);
      // The first card of a kind or of a subtree is the first of its whole list.
      for (const vars of [{ kinds: ['TEMPORARY_BRANCH'] }, { under: org['SZJGGW-MZJ']!.gid }, { under: org['SZJGGW-KX']!.gid }]) {
        const one = await full(admin, { first: 1, ...vars });
        const all = await full(admin, vars);
        expect(one.totalCount).toBe(all.totalCount);
        expect(one.edges.map((e: any) => key(e.node))).toEqual(all.edges.slice(0, 1).map((e: any) => key(e.node)));
      }
    });

    it('does not change a published card when the data under it changes', async () => {
      const bgs = org['SZJGGW-MZJ-BGS']!;
      await server.db.client.meeting.createMany({
        data: Array.from({ length: 5 }, (_, i) => ({
          organizationId: bgs.id,
          kind: 'THEME_DAY' as const,
          date: new Date(Date.UTC(thisYear(), 0, 2 + i)),
          topic: `补开${i}`,
        })),
      });
      // Nor can anyone rewrite a stored card: the table refuses updates and deletes.
      await expect(
        server.db.client.assessmentScorecard.updateMany({ where: { schemeId: rawId(scheme.id) }, data: { total: '100.00' } }),
      ).rejects.toThrow(/immutable/);
      await expect(server.db.client.assessmentScorecard.deleteMany({ where: { schemeId: rawId(scheme.id) } })).rejects.toThrow(/immutable/);
      const after = await card('SZJGGW-MZJ-BGS');
      const before = published.find((c) => c.organization.code === 'SZJGGW-MZJ-BGS');
      expect(after).toEqual(before);
    });

    it('files a published card where its organization now is: a move carries it to the new subtree, unchanged', async () => {
      const MOVE = 'mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { id } }';
      const kpb = org['SZJGGW-KX-KPB']!;
      const codes = async (token: string, vars: Record<string, unknown> = {}) => {
        const list = expectOk(await server.gql(CARDS, { s: scheme.id, first: 100, ...vars }, token)).scorecards;
        return { total: list.totalCount, codes: list.edges.map((e: any) => e.node.organization.code) };
      };
      const before = await card('SZJGGW-KX-KPB');
      const mzjBefore = await codes(mzjAdmin);
      expect(mzjBefore.codes).not.toContain('SZJGGW-KX-KPB');
      expectOk(await server.gql(MOVE, { id: kpb.gid, to: org['SZJGGW-MZJ']!.gid }, admin));
      try {
        // The committee it joined sees its card, ranked where publication placed it; the one it left does not.
        const mzjAfter = await codes(mzjAdmin);
        expect(mzjAfter.total).toBe(mzjBefore.total + 1);
        expect(mzjAfter.codes).toEqual(
          published.map((c) => c.organization.code).filter((c) => [...mzjBefore.codes, 'SZJGGW-KX-KPB'].includes(c)),
        );
        expect((await codes(admin, { under: org['SZJGGW-KX']!.gid })).codes).not.toContain('SZJGGW-KX-KPB');
        // Its content is what was published: rank, totals, hash (the department-wide ranking is unchanged).
        expect(await card('SZJGGW-KX-KPB', mzjAdmin)).toEqual(before);
        expect((await codes(admin)).codes).toEqual(published.map((c) => c.organization.code));
        // Only the filing moved: any other change of a card is still refused.
        await expect(
          server.db.client.assessmentScorecard.updateMany({
            where: { schemeId: rawId(scheme.id), organizationId: kpb.id },
            data: { path: kpb.path, rank: 1 },
          }),
        ).rejects.toThrow(/immutable/);
      } finally {
        expectOk(await server.gql(MOVE, { id: kpb.gid, to: org['SZJGGW-KX']!.gid }, admin));
      }
      expect((await codes(mzjAdmin)).codes).toEqual(mzjBefore.codes);
      expect((await codes(admin, { under: org['SZJGGW-KX']!.gid })).codes).toContain('SZJGGW-KX-KPB');
    });

    it('shows a cadre’s yearly assessment the card of the organization served in', async () => {
      const db = server.db.client;
      const year = thisYear();
      const overlaps = {
        startDate: { lte: new Date(Date.UTC(year, 11, 31)) },
        OR: [{ endDate: null }, { endDate: { gte: new Date(Date.UTC(year, 0, 1)) } }],
      };
      // A cadre whose latest post overlapping the year is at BGS.
      const candidates = await db.cadre.findMany({ where: { organizationId: org['SZJGGW-MZJ-BGS']!.id, ...overlaps } });
      let memberId: string | null = null;
      for (const c of candidates) {
        const latest = await db.cadre.findFirstOrThrow({ where: { memberId: c.memberId, ...overlaps }, orderBy: { startDate: 'desc' } });
        if (latest.organizationId === org['SZJGGW-MZJ-BGS']!.id) memberId = c.memberId;
      }
      expect(memberId).not.toBeNull();
      const assessment =
        (await db.assessment.findFirst({ where: { memberId: memberId!, year } })) ??
        (await db.assessment.create({ data: { memberId: memberId!, year, grade: 'COMPETENT' } }));
      const query = `query ($id: ID!) { node(id: $id) { ... on Assessment { year scorecard { published total organization { code } } } } }`;
      const { node } = expectOk(await server.gql(query, { id: gid('Assessment', assessment.id) }, admin));
      const frozen = published.find((c) => c.organization.code === 'SZJGGW-MZJ-BGS');
      expect(node.scorecard).toEqual({ published: true, total: frozen.total, organization: { code: 'SZJGGW-MZJ-BGS' } });
      // Many assessments at once: the statements do not grow with their number.
      const others = await db.cadre.findMany({
        where: { ...overlaps, endDate: null, organization: { kind: 'BRANCH' } },
        take: 6,
        distinct: ['memberId'],
      });
      const ids: string[] = [];
      for (const c of others)
        ids.push(
          gid(
            'Assessment',
            (
              (await db.assessment.findFirst({ where: { memberId: c.memberId, year } })) ??
              (await db.assessment.create({ data: { memberId: c.memberId, year, grade: 'COMPETENT' } }))
            ).id,
          ),
        );
      const many = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Assessment { scorecard { total } } } }`;
      const bare = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Assessment { year } } }`;
      // What the scorecard field adds, over loading the same assessments without it.
      const added = async (count: number) => {
        statements = 0;
        expectOk(await server.gql(bare, { ids: ids.slice(0, count) }, admin));
        const without = statements;
        statements = 0;
        const result = expectOk(await server.gql(many, { ids: ids.slice(0, count) }, admin));
        return { added: statements - without, result };
      };
      const two = await added(2);
      const all = await added(ids.length);
      expect(all.added).toBe(two.added);
      const result = all.result;
      expect(result.nodes.filter((n: any) => n.scorecard).length).toBeGreaterThan(2);
      // Another department sees neither the assessment nor its card.
      expect(expectOk(await server.gql(query, { id: gid('Assessment', assessment.id) }, otherDepartment)).node).toBeNull();
    });

    it('files every card where its organization ends up when a move races the publication', async () => {
      const MOVE = 'mutation ($id: ID!, $to: ID!) { moveOrganization(id: $id, newParentId: $to) { id } }';
      const kpb = org['SZJGGW-KX-KPB']!;
      const other = expectOk(await server.gql(CREATE, { input: schemeInput('发布时调整隶属') }, admin)).createAssessmentScheme;
      // On PostgreSQL the race is made certain: another session holds the audit chain's lock, so the publication
      // stops after reading its organizations' paths and writing its cards (it appends to the chain next); the
      // move is sent then. (The embedded database runs one transaction at a time: there is no race to make.)
      const url = server.db.url;
      const side = url ? new pg.Client({ connectionString: url }) : null;
      const waiting = async (n: number) => {
        for (let i = 0; i < 200; i++) {
          const { rows } = await side!.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
          if (rows[0].n >= n) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`fewer than ${n} sessions ever waited for an advisory lock`);
      };
      await side?.connect();
      try {
        await side?.query('SELECT pg_advisory_lock($1::bigint)', [AUDIT_CHAIN_LOCK]);
        const publishing = server.gql(PUBLISH, { id: other.id }, admin);
        if (side) await waiting(1);
        const moving = server.gql(MOVE, { id: kpb.gid, to: org['SZJGGW-MZJ']!.gid }, admin);
        // The move waits too: for the publication (the department's tree lock), or for the chain.
        if (side) await waiting(2);
        await side?.query('SELECT pg_advisory_unlock($1::bigint)', [AUDIT_CHAIN_LOCK]);
        expectOk(await publishing);
        expectOk(await moving);
      } finally {
        await side?.end();
      }
      try {
        const now = await server.db.client.organization.findUniqueOrThrow({ where: { id: kpb.id }, select: { path: true } });
        const stored = await server.db.client.assessmentScorecard.findUniqueOrThrow({
          where: { schemeId_organizationId: { schemeId: rawId(other.id), organizationId: kpb.id } },
          select: { path: true },
        });
        expect(now.path.startsWith(org['SZJGGW-MZJ']!.path)).toBe(true);
        expect(stored.path).toBe(now.path);
      } finally {
        expectOk(await server.gql(MOVE, { id: kpb.gid, to: org['SZJGGW-KX']!.gid }, admin));
      }
    });

    // Last: it adds branches that stay (published cards keep their organizations).
    it('publishes in a fixed number of statements, however many cards: cards, audit records and activities in bulk', async () => {
      const parent = org['SZJGGW-FGW']!;
      const publishWith = async (added: number, name: string) => {
        const rows = Array.from({ length: added }, (_, i) => {
          const id = crypto.randomUUID();
          return {
            id,
            kind: 'BRANCH' as const,
            name: `${name}支部${i}`,
            code: `SZJGGW-FGW-${name}${i}`,
            parentId: parent.id,
            path: `${parent.path}${id}/`,
            depth: parent.path.split('/').length - 2,
          };
        });
        await server.db.client.organization.createMany({ data: rows });
        const other = expectOk(await server.gql(CREATE, { input: schemeInput(`发布语句${name}`) }, admin)).createAssessmentScheme;
        statements = 0;
        expectOk(await server.gql(PUBLISH, { id: other.id }, admin));
        const count = statements;
        const cards = await server.db.client.assessmentScorecard.count({ where: { schemeId: rawId(other.id) } });
        const activities = await server.db.client.activity.count({
          where: { kind: 'assessment.scorecardPublished', subjectId: rawId(other.id) },
        });
        const audits = await server.db.client.auditRecord.count({
          where: { operation: 'assessment.publishScorecard', target: { startsWith: `AssessmentScorecard:${rawId(other.id)}:` } },
        });
        expect([activities, audits]).toEqual([cards, cards]);
        return { count, cards };
      };
      const fewer = await publishWith(5, 'A');
      const more = await publishWith(40, 'B');
      expect(more.cards).toBe(fewer.cards + 40);
      expect(more.count).toBe(fewer.count);
    });
  });
});

function rawId(globalId: string) {
  return Buffer.from(globalId, 'base64').toString().split(':')[1]!;
}
