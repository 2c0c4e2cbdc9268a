import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, orgId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { dualCultivationPlugin } from '../src/index.ts';

const PAIRING_FIELDS = `id status goals startedAt closedAt result incomeChange jobsCreated visitCount lastVisitedAt
  member { name } talent { name } household { name village } visits { date content }`;
const CREATE = `mutation ($input: CreateHelpPairingInput!) { createHelpPairing(input: $input) { ${PAIRING_FIELDS} } }`;
const VISIT = 'mutation ($input: RecordPairingVisitInput!) { recordPairingVisit(input: $input) { date content pairing { visitCount } } }';
const CLOSE = `mutation ($id: ID!, $input: CloseHelpPairingInput!) { closeHelpPairing(id: $id, input: $input) { ${PAIRING_FIELDS} } }`;
const FIGURES = `query ($year: Int!, $under: ID) { dualCultivationFigures(year: $year, under: $under) {
  year
  total { talentsCultivated membersDeveloped householdsHelped pairingsClosed jobsCreated pairingIncomeRaised memberIncomeRaised trainings projects }
  byOrganization { organization { code } talentsCultivated membersDeveloped householdsHelped pairingsClosed jobsCreated pairingIncomeRaised memberIncomeRaised trainings projects }
} }`;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('dual-cultivation: pairings with visits, member growth and yearly figures', () => {
  let server: TestServer;
  let admin: string; // ADMIN of 市民政局机关党委
  let siblingAdmin: string; // ADMIN of 市科协机关党委
  let shjz: string;
  let memberId: string;
  let memberName: string;
  let statements = 0;
  const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    server = await startTestServer({ plugins: [dualCultivationPlugin], onQuery: () => statements++ });
    admin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    siblingAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    shjz = await orgId(server.db, 'SZJGGW-MZJ-SHJZ');
    const member = await server.db.client.member.findFirstOrThrow({
      where: { joinedAt: { lt: new Date('2015-01-01') }, organization: { code: 'SZJGGW-MZJ-SHJZ' } },
      orderBy: { id: 'asc' },
    });
    memberId = globalId('Member', member.id);
    memberName = member.name;
  });
  afterAll(() => server?.close());

  it('pairs a member with a household, records visits and closes the pairing once', async () => {
    const household = await server.gql(
      'mutation ($input: RegisterDifficultHouseholdInput!) { registerDifficultHousehold(input: $input) { id name size difficulty } }',
      { input: { organizationId: shjz, name: '张大山', village: '东山村', size: 4, difficulty: 'ILLNESS' } },
      admin,
    );
    expect(household.errors).toBeUndefined();
    const householdId = household.data.registerDifficultHousehold.id;

    expect(code(await server.gql(CREATE, { input: { memberId, goals: '脱贫', startedAt: '2023-01-05' } }, admin))).toBe('BAD_USER_INPUT');
    const created = await server.gql(CREATE, { input: { memberId, householdId, goals: '发展养殖增收', startedAt: '2023-01-05' } }, admin);
    expect(created.errors).toBeUndefined();
    const pairing = created.data.createHelpPairing;
    expect(pairing).toMatchObject({
      status: 'OPEN',
      member: { name: memberName },
      household: { name: '张大山', village: '东山村' },
      talent: null,
      visitCount: 0,
      lastVisitedAt: null,
    });
    // One open pairing per member and partner.
    const again = await server.gql(CREATE, { input: { memberId, householdId, goals: '再结对', startedAt: '2023-02-01' } }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.householdId' });

    const visit = (date: string, content: string) => server.gql(VISIT, { input: { pairingId: pairing.id, date, content } }, admin);
    expect((await visit('2023-01-04', '走访')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
    expect((await visit('2023-02-01', '送养殖技术资料')).data.recordPairingVisit).toEqual({
      date: '2023-02-01',
      content: '送养殖技术资料',
      pairing: { visitCount: 1 },
    });
    expect((await visit('2023-09-10', '联系销路')).errors).toBeUndefined();
    expect(code(await visit('2023-09-10', '联系销路'))).toBe('CONFLICT');

    const close = (input: Record<string, unknown>) => server.gql(CLOSE, { id: pairing.id, input }, admin);
    expect((await close({ closedAt: '2023-09-01', result: '已脱贫' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.closedAt',
    });
    expect((await close({ closedAt: '2023-12-20', result: '已脱贫', incomeChange: '1.234' })).errors?.[0]?.extensions).toMatchObject({
      field: 'input.incomeChange',
    });
    const closed = await close({ closedAt: '2023-12-20', result: '养殖见效，已脱贫', incomeChange: '3000.5', jobsCreated: 2 });
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeHelpPairing).toMatchObject({
      status: 'CLOSED',
      closedAt: '2023-12-20',
      incomeChange: '3000.50',
      jobsCreated: 2,
      visitCount: 2,
      lastVisitedAt: '2023-09-10',
      visits: [{ date: '2023-09-10' }, { date: '2023-02-01' }],
    });
    expect((await close({ closedAt: '2023-12-21', result: '再次' })).errors?.[0]?.extensions).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'CLOSED',
    });
    expect((await visit('2023-12-22', '回访')).errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'CLOSED' });

    const feed = await server.gql(
      '{ activities(kinds: ["dual-cultivation.pairingCreated", "dual-cultivation.pairingClosed"]) { edges { node { kind } } } }',
      {},
      admin,
    );
    expect(feed.data.activities.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual([
      'dual-cultivation.pairingClosed',
      'dual-cultivation.pairingCreated',
    ]);
  });

  it('lists open pairings without a visit in the last 90 days', async () => {
    const talent = async (name: string) =>
      (
        await server.gql(
          'mutation ($input: RegisterTalentInput!) { registerTalent(input: $input) { id } }',
          { input: { organizationId: shjz, name, gender: 'MALE', trade: '电商', village: '西河村' } },
          admin,
        )
      ).data.registerTalent.id;
    const pair = async (talentId: string, startedAt: string) =>
      (await server.gql(CREATE, { input: { memberId, talentId, goals: '带动电商销售', startedAt } }, admin)).data.createHelpPairing.id;
    const neglected = await pair(await talent('冷落'), daysAgo(200));
    const visited = await pair(await talent('常走动'), daysAgo(200));
    await pair(await talent('新结对'), daysAgo(10));
    const lapsed = await pair(await talent('曾走访'), daysAgo(300));
    await server.gql(VISIT, { input: { pairingId: visited, date: daysAgo(5), content: '走访' } }, admin);
    await server.gql(VISIT, { input: { pairingId: lapsed, date: daysAgo(120), content: '走访' } }, admin);

    const stale = await server.gql(
      '{ helpPairingsWithoutRecentVisit { totalCount edges { node { id talent { name } lastVisitedAt } } } }',
      {},
      admin,
    );
    expect(stale.errors).toBeUndefined();
    expect(stale.data.helpPairingsWithoutRecentVisit.edges.map((e: { node: { talent: { name: string } } }) => e.node.talent.name)).toEqual([
      '曾走访',
      '冷落',
    ]);
    expect(stale.data.helpPairingsWithoutRecentVisit.totalCount).toBe(2);
    expect(stale.data.helpPairingsWithoutRecentVisit.edges[0].node.id).toBe(lapsed);
    const wider = await server.gql('{ helpPairingsWithoutRecentVisit(days: 150) { totalCount } }', {}, admin);
    expect(wider.data.helpPairingsWithoutRecentVisit.totalCount).toBe(1); // 曾走访 was visited 120 days ago; 新结对 is too young to be late
    const narrow = await server.gql('{ helpPairingsWithoutRecentVisit(days: 3) { totalCount } }', {}, admin);
    expect(narrow.data.helpPairingsWithoutRecentVisit.totalCount).toBe(4);
    expect(code(await server.gql('{ helpPairingsWithoutRecentVisit(days: 0) { totalCount } }', {}, admin))).toBe('BAD_USER_INPUT');
    expect(neglected).toBeTruthy();

    // A sibling subtree sees none of it, by any path.
    const sibling = await server.gql(
      'query ($id: ID!) { helpPairing(id: $id) { id } node(id: $id) { id } helpPairings { totalCount } helpPairingsWithoutRecentVisit { totalCount } difficultHouseholds { totalCount } }',
      { id: neglected },
      siblingAdmin,
    );
    expect(sibling.data).toEqual({
      helpPairing: null,
      node: null,
      helpPairings: { totalCount: 0 },
      helpPairingsWithoutRecentVisit: { totalCount: 0 },
      difficultHouseholds: { totalCount: 0 },
    });
    expect(code(await server.gql(VISIT, { input: { pairingId: neglected, date: daysAgo(1), content: '越权' } }, siblingAdmin))).toBe(
      'NOT_FOUND',
    );
  });

  it('reads a page of pairings with every nested field in a number of statements that does not grow with rows', async () => {
    const page = `{ helpPairings(first: 50) { totalCount edges { node {
      member { name } organization { code } talent { name stage nationalId stages { stage cultivator { name } } organization { code } }
      household { name organization { code } } visitCount lastVisitedAt visits { date pairing { status } } } } } }`;
    const count = async () => {
      statements = 0;
      const result = await server.gql(page, {}, admin);
      expect(result.errors).toBeUndefined();
      return { rows: result.data.helpPairings.totalCount as number, statements };
    };
    const before = await count();
    const talentId = (
      await server.gql(
        'mutation ($input: RegisterTalentInput!) { registerTalent(input: $input) { id } }',
        { input: { organizationId: shjz, name: '多一位', gender: 'FEMALE', trade: '手工', village: '南湖村' } },
        admin,
      )
    ).data.registerTalent.id;
    const extra = (await server.gql(CREATE, { input: { memberId, talentId, goals: '手工编织', startedAt: daysAgo(30) } }, admin)).data
      .createHelpPairing.id;
    await server.gql(VISIT, { input: { pairingId: extra, date: daysAgo(2), content: '走访' } }, admin);
    const after = await count();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.statements).toBe(before.statements);
  });

  it('records member growth with amounts where they belong', async () => {
    const record = (input: Record<string, unknown>) =>
      server.gql(
        'mutation ($input: RecordMemberGrowthInput!) { recordMemberGrowth(input: $input) { kind amount date member { name } } }',
        { input: { memberId, ...input } },
        admin,
      );
    expect((await record({ kind: 'INCOME', description: '养殖增收', date: '2023-08-01' })).errors?.[0]?.extensions).toMatchObject({
      field: 'input.amount',
    });
    expect(
      (await record({ kind: 'TRAINING', description: '电商培训', amount: '100', date: '2023-03-01' })).errors?.[0]?.extensions,
    ).toMatchObject({ field: 'input.amount' });
    expect((await record({ kind: 'INCOME', description: '养殖增收', amount: '5000', date: '2023-08-01' })).data.recordMemberGrowth).toEqual(
      {
        kind: 'INCOME',
        amount: '5000.00',
        date: '2023-08-01',
        member: { name: memberName },
      },
    );
    expect((await record({ kind: 'TRAINING', description: '电商培训', date: '2023-03-01' })).errors).toBeUndefined();
    expect((await record({ kind: 'PROJECT', description: '开办网店', amount: '20000', date: '2024-04-01' })).errors).toBeUndefined();
    const list = await server.gql(
      'query ($m: ID!) { memberGrowthRecords(filter: { memberId: $m, from: "2023-01-01", to: "2023-12-31" }) { totalCount } }',
      { m: memberId },
      admin,
    );
    expect(list.data.memberGrowthRecords.totalCount).toBe(2);
    expect((await server.gql('{ memberGrowthRecords { totalCount } }', {}, siblingAdmin)).data.memberGrowthRecords.totalCount).toBe(0);
  });

  it('adds up the yearly figures per organization and for the subtree in SQL', async () => {
    // 2023 so far (through the API): one household pairing open and closed, one INCOME and one TRAINING record.
    const y2023 = await server.gql(FIGURES, { year: 2023 }, admin);
    expect(y2023.errors).toBeUndefined();
    const expected2023 = {
      talentsCultivated: 0,
      membersDeveloped: 0,
      householdsHelped: 1,
      pairingsClosed: 1,
      jobsCreated: 2,
      pairingIncomeRaised: '3000.50',
      memberIncomeRaised: '5000.00',
      trainings: 1,
      projects: 0,
    };
    expect(y2023.data.dualCultivationFigures.total).toEqual(expected2023);
    expect(y2023.data.dualCultivationFigures.byOrganization).toEqual([{ organization: { code: 'SZJGGW-MZJ-SHJZ' }, ...expected2023 }]);

    // 2021, inserted directly: two branches of 市民政局 and one of 市科协 (outside the viewer's subtree).
    const org = (c: string) => server.db.client.organization.findUniqueOrThrow({ where: { code: c } });
    const [a, b, kx] = await Promise.all([org('SZJGGW-MZJ-SHJZ'), org('SZJGGW-MZJ-BGS'), org('SZJGGW-KX-XHB')]);
    const members = await server.db.client.member.findMany({
      where: { organizationId: { in: [a.id, b.id, kx.id] } },
      orderBy: { id: 'asc' },
    });
    const memberIn = (o: { id: string }) => members.find((m) => m.organizationId === o.id)!;
    const db = server.db.client;
    const talent = (name: string, o: { id: string }) =>
      db.talent.create({ data: { name, gender: 'MALE', trade: '种植', village: '村', organizationId: o.id } });
    const [t1, t2, t3, t4] = await Promise.all([talent('甲', a), talent('乙', a), talent('丙', b), talent('丁', kx)]);
    const stage = (
      t: { id: string },
      o: { id: string },
      s: 'APPLICANT' | 'ACTIVIST' | 'DEVELOPMENT_TARGET' | 'PROBATIONARY',
      date: string,
    ) => db.talentStageRecord.create({ data: { talentId: t.id, organizationId: o.id, stage: s, date: new Date(date) } });
    await stage(t1, a, 'DEVELOPMENT_TARGET', '2021-02-01');
    await stage(t1, a, 'PROBATIONARY', '2021-06-01'); // the same talent twice: counted once
    await stage(t2, a, 'APPLICANT', '2021-12-31');
    await stage(t2, a, 'ACTIVIST', '2022-01-01'); // next year
    await stage(t3, b, 'PROBATIONARY', '2021-03-03');
    await stage(t4, kx, 'PROBATIONARY', '2021-03-03'); // outside the subtree
    const house = (o: { id: string }) =>
      db.difficultHousehold.create({ data: { name: '户', village: '村', size: 3, difficulty: 'OTHER', organizationId: o.id } });
    const [h1, h2, h3] = await Promise.all([house(a), house(b), house(kx)]);
    const pairing = (o: { id: string }, h: { id: string }, startedAt: string, closed?: { at: string; income: string; jobs: number }) =>
      db.helpPairing.create({
        data: {
          memberId: memberIn(o).id,
          organizationId: o.id,
          householdId: h.id,
          goals: '帮扶',
          startedAt: new Date(startedAt),
          ...(closed
            ? {
                status: 'CLOSED' as const,
                closedAt: new Date(closed.at),
                result: '成效',
                incomeChange: closed.income,
                jobsCreated: closed.jobs,
              }
            : {}),
        },
      });
    await pairing(a, h1, '2020-05-01', { at: '2021-04-01', income: '1000.25', jobs: 1 });
    await pairing(a, h1, '2021-05-01', { at: '2021-11-01', income: '-200', jobs: 0 }); // same household again: helped once
    await pairing(b, h2, '2019-01-01'); // still open: helped in 2021
    await pairing(b, h2, '2019-01-01', { at: '2020-12-31', income: '999', jobs: 9 }); // closed before 2021
    await pairing(kx, h3, '2021-01-01', { at: '2021-02-01', income: '777', jobs: 7 });
    await db.memberGrowthRecord.createMany({
      data: [
        {
          memberId: memberIn(a).id,
          organizationId: a.id,
          kind: 'INCOME',
          description: '增收',
          amount: '1500.10',
          date: new Date('2021-07-01'),
        },
        {
          memberId: memberIn(b).id,
          organizationId: b.id,
          kind: 'INCOME',
          description: '增收',
          amount: '99.90',
          date: new Date('2021-01-01'),
        },
        {
          memberId: memberIn(b).id,
          organizationId: b.id,
          kind: 'PROJECT',
          description: '项目',
          amount: '10',
          date: new Date('2021-08-08'),
        },
        {
          memberId: memberIn(kx).id,
          organizationId: kx.id,
          kind: 'INCOME',
          description: '增收',
          amount: '5000',
          date: new Date('2021-07-01'),
        },
      ],
    });

    const report = (await server.gql(FIGURES, { year: 2021 }, admin)).data.dualCultivationFigures;
    const rowA = {
      talentsCultivated: 2,
      membersDeveloped: 1,
      householdsHelped: 1,
      pairingsClosed: 2,
      jobsCreated: 1,
      pairingIncomeRaised: '800.25',
      memberIncomeRaised: '1500.10',
      trainings: 0,
      projects: 0,
    };
    const rowB = {
      talentsCultivated: 1,
      membersDeveloped: 1,
      householdsHelped: 1,
      pairingsClosed: 0,
      jobsCreated: 0,
      pairingIncomeRaised: '0.00',
      memberIncomeRaised: '99.90',
      trainings: 0,
      projects: 1,
    };
    expect(report.total).toEqual({
      talentsCultivated: 3,
      membersDeveloped: 2,
      householdsHelped: 2,
      pairingsClosed: 2,
      jobsCreated: 1,
      pairingIncomeRaised: '800.25',
      memberIncomeRaised: '1600.00',
      trainings: 0,
      projects: 1,
    });
    const byCode = Object.fromEntries(
      report.byOrganization.map(({ organization, ...figures }: { organization: { code: string } }) => [organization.code, figures]),
    );
    expect(byCode).toEqual({ 'SZJGGW-MZJ-SHJZ': rowA, 'SZJGGW-MZJ-BGS': rowB });

    // Narrowed to one branch; the sibling committee sees only its own; `under` outside the subtree is NOT_FOUND.
    const branchOnly = await server.gql(FIGURES, { year: 2021, under: await orgId(server.db, 'SZJGGW-MZJ-BGS') }, admin);
    expect(branchOnly.data.dualCultivationFigures.total).toEqual(rowB);
    const sibling = await server.gql(FIGURES, { year: 2021 }, siblingAdmin);
    expect(sibling.data.dualCultivationFigures.total).toMatchObject({
      talentsCultivated: 1,
      membersDeveloped: 1,
      householdsHelped: 1,
      pairingIncomeRaised: '777.00',
      memberIncomeRaised: '5000.00',
    });
    expect(code(await server.gql(FIGURES, { year: 2021, under: shjz }, siblingAdmin))).toBe('NOT_FOUND');
    expect((await server.gql(FIGURES, { year: 2999 }, admin)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'year',
    });
  });
});
