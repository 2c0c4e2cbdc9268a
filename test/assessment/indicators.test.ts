import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const monthStart = (n: number) => new Date(Date.UTC(today().getUTCFullYear(), today().getUTCMonth() - n, 1));
const monthEnd = (n: number) => new Date(Date.UTC(today().getUTCFullYear(), today().getUTCMonth() - n + 1, 0));
/** The last eleven whole months: every month required, none still running. */
const PERIOD = { from: iso(monthStart(11)), to: iso(monthEnd(1)) };
const MONTHS = 11;

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}
function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

const INDICATORS = `{ indicators { id name description unit direction appliesTo owner } }`;
const VALUES = `query ($id: ID!, $under: ID, $kinds: [OrganizationKind!], $from: Date!, $to: Date!, $first: Int, $after: String) {
  indicatorValues(indicatorId: $id, under: $under, kinds: $kinds, from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { value organization { id code kind } } }
  }
}`;
const EVIDENCE = `query ($id: ID!, $org: ID!, $from: Date!, $to: Date!) {
  indicatorEvidence(indicatorId: $id, organizationId: $org, from: $from, to: $to) { nodeId type label date counts }
}`;
const NODE = `query ($id: ID!) { node(id: $id) { id __typename } }`;

const CORE_IDS = [
  'core.meetings.generalMeeting',
  'core.meetings.committeeMeeting',
  'core.meetings.groupMeeting',
  'core.meetings.partyLecture',
  'core.meetings.themeDay',
  'core.meetings.organizationalLife',
  'core.terms.onTime',
  'core.cadres.secretaryInPost',
  'core.cadres.secretaryTrained',
  'core.training.cadreHours',
  'core.assessments.recorded',
];

describe('indicators (考核指标)', () => {
  let server: TestServer;
  let statements = 0;
  let admin: string;
  let mzjAdmin: string;
  let kxAdmin: string;
  const org: Record<string, { id: string; gid: string; path: string; kind: string }> = {};

  /** Every value of an indicator over a subtree, by organization code (all pages). */
  const valuesOf = async (id: string, token: string, under?: string, period = PERIOD): Promise<Map<string, number | null>> => {
    const values = new Map<string, number | null>();
    let after: string | null = null;
    for (;;) {
      const data: any = expectOk(await server.gql(VALUES, { id, under, ...period, first: 100, after }, token));
      for (const e of data.indicatorValues.edges) values.set(e.node.organization.code, e.node.value);
      if (!data.indicatorValues.pageInfo.hasNextPage) break;
      after = data.indicatorValues.pageInfo.endCursor;
    }
    return values;
  };
  const evidenceOf = async (id: string, code: string, token = admin, period = PERIOD) =>
    expectOk(await server.gql(EVIDENCE, { id, org: org[code]!.gid, ...period }, token)).indicatorEvidence as {
      nodeId: string;
      type: string;
      label: string;
      date: string | null;
      counts: boolean;
    }[];

  /** Every evidence row opens with node(id:) as an object of its type. */
  const expectOpenable = async (rows: { nodeId: string; type: string }[]) => {
    for (const row of rows)
      expect(expectOk(await server.gql(NODE, { id: row.nodeId }, admin)).node, row.nodeId).toMatchObject({ __typename: row.type });
  };

  beforeAll(async () => {
    server = await startTestServer({ onQuery: () => void (statements += 1) });
    admin = await server.token('SZJGGW', ['ADMIN', 'SECRETARY'], 'root-admin');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN', 'SECRETARY'], 'mzj-admin');
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    for (const o of await server.db.client.organization.findMany())
      org[o.code] = { id: o.id, gid: gid('Organization', o.id), path: o.path, kind: o.kind };
  });
  afterAll(() => server?.close());

  it('offers core’s indicators and every enabled plugin’s, described and owned', async () => {
    const { indicators } = expectOk(await server.gql(INDICATORS, {}, mzjAdmin));
    const ids = indicators.map((i: { id: string }) => i.id);
    for (const id of CORE_IDS) expect(ids).toContain(id);
    for (const plugin of ['party-brand', 'dual-cultivation', 'community-report', 'discipline'])
      expect(
        ids.some((id: string) => id.startsWith(`${plugin}.`)),
        plugin,
      ).toBe(true);
    for (const i of indicators) {
      expect(i.owner).toBe(i.id.startsWith('core.') ? 'core' : i.id.split('.')[0]);
      expect(i.appliesTo.length).toBeGreaterThan(0);
      expect(i.name).toMatch(/\p{Script=Han}/u);
      expect(i.description).toMatch(/ — /);
    }
    expect(indicators.find((i: { id: string }) => i.id === 'core.meetings.themeDay')).toMatchObject({
      unit: 'PERCENT',
      direction: 'HIGHER_IS_BETTER',
      appliesTo: ['BRANCH', 'TEMPORARY_BRANCH'],
    });
    expectError(await server.gql(INDICATORS, {}), 'UNAUTHENTICATED');
  });

  describe('三会一课 against the cadence', () => {
    it('theme days: held months ÷ eleven months for every branch, as counted from the meetings table', async () => {
      const values = await valuesOf('core.meetings.themeDay', admin);
      const db = server.db.client;
      const branches = await db.organization.findMany({ where: { kind: 'BRANCH' } });
      expect(branches.length).toBeGreaterThan(5);
      const meetings = await db.meeting.findMany({
        where: { kind: 'THEME_DAY', date: { gte: new Date(PERIOD.from), lte: new Date(PERIOD.to) } },
        select: { organizationId: true, date: true },
      });
      for (const b of branches) {
        const months = new Set(meetings.filter((m) => m.organizationId === b.id).map((m) => iso(m.date).slice(0, 7)));
        expect(values.get(b.code), b.code).toBe(Math.round((months.size / MONTHS) * 1000) / 10);
      }
      // Only the kinds it applies to are listed by default; a committee asked for explicitly is not applicable.
      expect([...values.keys()].every((code) => ['BRANCH', 'TEMPORARY_BRANCH'].includes(org[code]!.kind))).toBe(true);
      const committees = expectOk(
        await server.gql(VALUES, { id: 'core.meetings.themeDay', kinds: ['COMMITTEE'], ...PERIOD, first: 5 }, admin),
      ).indicatorValues;
      expect(committees.totalCount).toBeGreaterThan(0);
      expect(committees.edges.every((e: any) => e.node.value === null)).toBe(true);
    });

    it('agrees with meetingShortfalls: 100 exactly where no shortfall is reported', async () => {
      const shortfalls = expectOk(
        await server.gql(
          `query ($from: Date!, $to: Date!) { meetingShortfalls(from: $from, to: $to) { organization { code } kind required held } }`,
          PERIOD,
          admin,
        ),
      ).meetingShortfalls as { organization: { code: string }; kind: string; required: number; held: number }[];
      for (const [id, kind] of [
        ['core.meetings.generalMeeting', 'GENERAL_MEETING'],
        ['core.meetings.partyLecture', 'PARTY_LECTURE'],
        ['core.meetings.groupMeeting', 'GROUP_MEETING'],
      ] as const) {
        const values = await valuesOf(id, admin);
        const short = shortfalls.filter((s) => s.kind === kind);
        for (const s of short) expect(values.get(s.organization.code)).toBe(Math.round((s.held / s.required) * 1000) / 10);
        const shortCodes = new Set(short.map((s) => s.organization.code));
        for (const [code, value] of values) if (!shortCodes.has(code) && value !== null) expect(value, `${id} ${code}`).toBe(100);
      }
    });

    it('moves when a branch records a theme day in a month it missed, and shows the meeting as evidence', async () => {
      const db = server.db.client;
      const values = await valuesOf('core.meetings.themeDay', admin);
      const code = [...values].find(([c, v]) => org[c]!.kind === 'BRANCH' && v !== null && v < 100)?.[0];
      expect(code, 'a branch that missed a theme day').toBeDefined();
      const branch = org[code!]!;
      const held = await db.meeting.findMany({
        where: { organizationId: branch.id, kind: 'THEME_DAY', date: { gte: new Date(PERIOD.from), lte: new Date(PERIOD.to) } },
      });
      const heldMonths = new Set(held.map((m) => iso(m.date).slice(0, 7)));
      let missed = '';
      for (let n = 1; n <= MONTHS; n++) if (!heldMonths.has(iso(monthStart(n)).slice(0, 7))) missed = iso(monthStart(n)).slice(0, 7);
      const member = await db.member.findFirstOrThrow({ where: { organizationId: branch.id }, orderBy: { name: 'asc' } });
      const recorded = expectOk(
        await server.gql(
          `mutation ($input: RecordMeetingInput!) { recordMeeting(input: $input) { id } }`,
          {
            input: {
              organizationId: branch.gid,
              kind: 'THEME_DAY',
              date: `${missed}-15`,
              topic: '主题党日补记',
              attendance: [{ memberId: gid('Member', member.id), present: true }],
            },
          },
          admin,
        ),
      ).recordMeeting;
      const after = (await valuesOf('core.meetings.themeDay', admin, branch.gid)).get(code!);
      expect(after).toBe(Math.round(((heldMonths.size + 1) / MONTHS) * 1000) / 10);

      const evidence = await evidenceOf('core.meetings.themeDay', code!);
      expect(evidence.map((e) => e.nodeId).sort()).toEqual([...held.map((m) => gid('Meeting', m.id)), recorded.id].sort());
      expect(evidence.every((e) => e.type === 'Meeting' && e.counts)).toBe(true);
      expect(evidence.find((e) => e.nodeId === recorded.id)).toMatchObject({
        date: `${missed}-15`,
        label: expect.stringContaining('主题党日'),
      });
      // A UI opens a row by its id.
      expect(expectOk(await server.gql(NODE, { id: recorded.id }, admin)).node).toEqual({ id: recorded.id, __typename: 'Meeting' });
    });
  });

  describe('cadres, training, assessments, terms', () => {
    it('secretary in post and trained within three years, as read from the posts and trainings', async () => {
      const db = server.db.client;
      const inPost = await valuesOf('core.cadres.secretaryInPost', admin);
      const trained = await valuesOf('core.cadres.secretaryTrained', admin);
      const end = new Date(PERIOD.to);
      const threeYears = new Date(Date.UTC(end.getUTCFullYear() - 3, end.getUTCMonth(), end.getUTCDate()));
      const secretaries = await db.cadre.findMany({
        where: { post: 'SECRETARY', startDate: { lte: end }, OR: [{ endDate: null }, { endDate: { gte: end } }] },
        include: { member: { include: { trainings: true } } },
      });
      let vacant = 0;
      for (const [code, value] of inPost) {
        if (org[code]!.kind === 'GROUP') continue;
        const own = secretaries.filter((s) => s.organizationId === org[code]!.id);
        expect(value, code).toBe(own.length > 0 ? 1 : 0);
        if (own.length === 0) vacant += 1;
        const isTrained = own.some((s) => s.member.trainings.some((t) => t.date >= threeYears && t.date <= end));
        expect(trained.get(code), code).toBe(own.length === 0 ? null : isTrained ? 1 : 0);
      }
      expect(inPost.size).toBeGreaterThan(vacant);
    });

    it('cadre training hours per cadre: matches the records and grows with a recorded training', async () => {
      const db = server.db.client;
      const code = 'SZJGGW-MZJ';
      const period = { from: iso(monthStart(11)), to: iso(today()) };
      const expected = async () => {
        const cadres = await db.cadre.findMany({
          where: {
            organizationId: org[code]!.id,
            startDate: { lte: new Date(period.to) },
            OR: [{ endDate: null }, { endDate: { gte: new Date(period.from) } }],
          },
        });
        const members = [...new Set(cadres.map((c) => c.memberId))];
        const trainings = await db.training.findMany({
          where: { memberId: { in: members }, date: { gte: new Date(period.from), lte: new Date(period.to) } },
        });
        const hours = trainings.reduce((sum, t) => sum + Number(t.hours), 0);
        return { members, value: Math.round((hours / members.length) * 10) / 10 };
      };
      const before = await expected();
      expect(before.members.length).toBeGreaterThan(0);
      expect((await valuesOf('core.training.cadreHours', admin, org[code]!.gid, period)).get(code)).toBe(before.value);

      const recorded = expectOk(
        await server.gql(
          `mutation ($input: RecordTrainingInput!) { recordTraining(input: $input) { id } }`,
          { input: { memberId: gid('Member', before.members[0]!), course: '党务干部轮训班', hours: '16.0', date: iso(today()) } },
          admin,
        ),
      ).recordTraining;
      const after = await expected();
      expect(after.value).toBeGreaterThan(before.value);
      expect((await valuesOf('core.training.cadreHours', admin, org[code]!.gid, period)).get(code)).toBe(after.value);
      const evidence = await evidenceOf('core.training.cadreHours', code, admin, period);
      expect(evidence.find((e) => e.nodeId === recorded.id)).toMatchObject({ type: 'Training', counts: true });
      expect(expectOk(await server.gql(NODE, { id: recorded.id }, admin)).node.__typename).toBe('Training');
    });

    it('assessments recorded: share of cadres with an assessment of the period’s year', async () => {
      const db = server.db.client;
      const year = today().getUTCFullYear() - 1;
      const period = { from: `${year}-01-01`, to: `${year}-12-31` };
      const values = await valuesOf('core.assessments.recorded', admin, undefined, period);
      const cadres = await db.cadre.findMany({
        where: { startDate: { lte: new Date(period.to) }, OR: [{ endDate: null }, { endDate: { gte: new Date(period.from) } }] },
        include: { member: { include: { assessments: { where: { year } } } } },
      });
      let someAssessed = false;
      for (const [code, value] of values) {
        const own = cadres.filter((c) => c.organizationId === org[code]!.id);
        const members = new Map(own.map((c) => [c.memberId, c.member.assessments.length > 0]));
        const done = [...members.values()].filter(Boolean).length;
        expect(value, code).toBe(members.size === 0 ? null : Math.round((done / members.size) * 1000) / 10);
        if (done > 0) someAssessed = true;
      }
      expect(someAssessed).toBe(true);
      const code = [...values].find(([, v]) => v !== null && v > 0)![0];
      const evidence = await evidenceOf('core.assessments.recorded', code, admin, period);
      expect(evidence.some((e) => e.type === 'Assessment' && e.counts)).toBe(true);
      const assessment = evidence.find((e) => e.type === 'Assessment')!;
      expect(expectOk(await server.gql(NODE, { id: assessment.nodeId }, admin)).node.__typename).toBe('Assessment');
    });

    it('term on time: 0 for an organization whose current term has ended, with the organization as evidence', async () => {
      const db = server.db.client;
      const values = await valuesOf('core.terms.onTime', admin);
      const end = new Date(PERIOD.to);
      const overdue = await db.organization.findMany({
        where: { kind: { in: ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH'] }, termEnd: { lt: end } },
      });
      expect(overdue.length).toBeGreaterThan(0);
      for (const o of overdue) expect(values.get(o.code), o.code).toBe(0);
      const onTime = [...values].filter(([, v]) => v === 1);
      expect(onTime.length).toBeGreaterThan(0);
      const evidence = await evidenceOf('core.terms.onTime', overdue[0]!.code);
      expect(evidence.at(-1)).toMatchObject({ type: 'Organization', nodeId: gid('Organization', overdue[0]!.id), counts: false });
      for (const e of evidence) expect(expectOk(await server.gql(NODE, { id: e.nodeId }, admin)).node).not.toBeNull();
    });
  });

  describe('plugins’ indicators (records written straight into each plugin’s tables, values read through the API)', () => {
    const BRANCH = 'SZJGGW-MZJ-BGS';
    const COMMITTEE = 'SZJGGW-MZJ';
    const EMPTY = 'SZJGGW-KX-KPB';
    const daysAgo = (n: number) => new Date(today().getTime() - n * 86_400_000);
    /** From eleven months back to today: the days measured end today. */
    const P = () => ({ from: iso(monthStart(11)), to: iso(today()) });
    const valueAt = async (id: string, code: string) => (await valuesOf(id, admin, org[code]!.gid, P())).get(code);
    const members = async (code: string, take: number) =>
      server.db.client.member.findMany({ where: { organizationId: org[code]!.id }, orderBy: { name: 'asc' }, take });

    it('party-brand: brand state reached and latest evaluation score', async () => {
      const db = server.db.client;
      const brand = await db.partyBrand.create({
        data: { organizationId: org[BRANCH]!.id, name: '为民强政', business: '党建+民政', state: 'APPROVED' },
      });
      await db.partyBrandTransition.createMany({
        data: [
          { brandId: brand.id, from: null, to: 'DRAFT', at: daysAgo(60) },
          { brandId: brand.id, from: 'DRAFT', to: 'SUBMITTED', at: daysAgo(50) },
          { brandId: brand.id, from: 'SUBMITTED', to: 'APPROVED', at: daysAgo(40) },
        ],
      });
      await db.partyBrandEvaluation.create({
        data: { brandId: brand.id, year: today().getUTCFullYear(), integration: 80, innovation: 90, effect: 70, publicity: 61 },
      });
      expect(await valueAt('party-brand.brands.stateReached', BRANCH)).toBe(2);
      expect(await valueAt('party-brand.brands.stateReached', EMPTY)).toBe(0);
      // A period ending before the submission sees a draft only.
      const early = await valuesOf('party-brand.brands.stateReached', admin, org[BRANCH]!.gid, { from: P().from, to: iso(daysAgo(55)) });
      expect(early.get(BRANCH)).toBe(0);
      expect(await valueAt('party-brand.evaluations.latestScore', BRANCH)).toBe(75.25);
      expect(await valueAt('party-brand.evaluations.latestScore', EMPTY)).toBeNull();
      const evidence = await evidenceOf('party-brand.brands.stateReached', BRANCH, admin, P());
      expect(evidence).toEqual([expect.objectContaining({ nodeId: gid('Brand', brand.id), counts: true, label: '为民强政（已认定）' })]);
      const scores = await evidenceOf('party-brand.evaluations.latestScore', BRANCH, admin, P());
      expect(scores).toEqual([
        expect.objectContaining({ nodeId: gid('Brand', brand.id), counts: true, label: expect.stringContaining('75.25分') }),
      ]);
      await expectOpenable([...evidence, ...scores]);
    });

    it('dual-cultivation: talents advanced, pairings visited, households helped', async () => {
      const db = server.db.client;
      const [m1, m2] = await members(BRANCH, 2);
      const orgId = org[BRANCH]!.id;
      const talent = await db.talent.create({
        data: { name: '王致富', gender: 'MALE', trade: '种植', village: '东村', organizationId: orgId },
      });
      await db.talentStageRecord.createMany({
        data: [
          { talentId: talent.id, stage: 'APPLICANT', date: daysAgo(100), organizationId: orgId },
          { talentId: talent.id, stage: 'ACTIVIST', date: daysAgo(20), organizationId: orgId },
        ],
      });
      const household = await db.difficultHousehold.create({
        data: { name: '李家', village: '西村', size: 4, difficulty: 'ILLNESS', organizationId: orgId },
      });
      const visited = await db.helpPairing.create({
        data: { memberId: m1!.id, organizationId: orgId, householdId: household.id, goals: '帮助就业', startedAt: daysAgo(90) },
      });
      await db.helpPairingVisit.create({ data: { pairingId: visited.id, date: daysAgo(10), content: '走访' } });
      const unvisited = await db.helpPairing.create({
        data: { memberId: m2!.id, organizationId: orgId, talentId: talent.id, goals: '技术帮带', startedAt: daysAgo(80) },
      });
      expect(await valueAt('dual-cultivation.talents.advanced', BRANCH)).toBe(1);
      expect(await valueAt('dual-cultivation.households.helped', BRANCH)).toBe(1);
      expect(await valueAt('dual-cultivation.pairings.visited', BRANCH)).toBe(50);
      expect(await valueAt('dual-cultivation.pairings.visited', EMPTY)).toBeNull();
      const evidence = await evidenceOf('dual-cultivation.pairings.visited', BRANCH, admin, P());
      expect(evidence.map((e) => [e.nodeId, e.counts])).toEqual([
        [gid('HelpPairing', visited.id), true],
        [gid('HelpPairing', unvisited.id), false],
      ]);
      const talents = await evidenceOf('dual-cultivation.talents.advanced', BRANCH, admin, P());
      expect(talents.map((e) => e.type)).toEqual(['Talent', 'Talent']);
      const households = await evidenceOf('dual-cultivation.households.helped', BRANCH, admin, P());
      expect(households.map((e) => e.nodeId)).toEqual([gid('DifficultHousehold', household.id)]);
      await expectOpenable([...evidence, ...talents, ...households]);
    });

    it('community-report: verified hours per registered member and demands completed, over the subtree', async () => {
      const db = server.db.client;
      const [m1, m2] = await members(BRANCH, 2);
      const orgId = org[BRANCH]!.id;
      const community = await db.community.create({ data: { rootOrganizationId: org.SZJGGW!.id, name: '幸福社区（指标测试）' } });
      for (const [i, m] of [m1!, m2!].entries())
        await db.communityRegistration.create({
          data: {
            communityId: community.id,
            organizationId: orgId,
            memberId: m.id,
            date: daysAgo(200),
            certificateNo: `IND-${i}`,
            activeKey: `member:${m.id}`,
          },
        });
      const service = (memberId: string, hours: string, status: 'VERIFIED' | 'SUBMITTED') => ({
        memberId,
        organizationId: orgId,
        communityId: community.id,
        kind: 'CONVENIENCE' as const,
        date: daysAgo(30),
        hours,
        description: '便民服务',
        status,
      });
      await db.communityServiceRecord.createMany({
        data: [service(m1!.id, '3.5', 'VERIFIED'), service(m2!.id, '1.0', 'VERIFIED'), service(m2!.id, '5.0', 'SUBMITTED')],
      });
      const demand = await db.communityDemand.create({
        data: { communityId: community.id, kind: 'MICRO_WISH', title: '微心愿：书包', capacity: 2 },
      });
      const claim = await db.communityDemandClaim.create({
        data: {
          demandId: demand.id,
          memberId: m1!.id,
          organizationId: orgId,
          status: 'CONFIRMED',
          completedAt: daysAgo(5),
          confirmedAt: daysAgo(4),
        },
      });
      await db.communityDemandClaim.create({ data: { demandId: demand.id, memberId: m2!.id, organizationId: orgId, status: 'CLAIMED' } });
      // (3.5 + 1.0) ÷ 2 registered members = 2.25 → 2.3; the committee above counts its subtree.
      expect(await valueAt('community-report.service.hoursPerMember', BRANCH)).toBe(2.3);
      expect(await valueAt('community-report.service.hoursPerMember', COMMITTEE)).toBe(2.3);
      expect(await valueAt('community-report.service.hoursPerMember', EMPTY)).toBeNull();
      expect(await valueAt('community-report.demands.completed', BRANCH)).toBe(1);
      expect(await valueAt('community-report.demands.completed', COMMITTEE)).toBe(1);
      const evidence = await evidenceOf('community-report.demands.completed', COMMITTEE, admin, P());
      expect(evidence.map((e) => e.nodeId)).toEqual([gid('CommunityDemandClaim', claim.id)]);
      const served = await evidenceOf('community-report.service.hoursPerMember', BRANCH, admin, P());
      expect(served.map((e) => e.type)).toEqual(['CommunityServiceRecord', 'CommunityServiceRecord']);
      await expectOpenable([...evidence, ...served]);
    });

    it('discipline: rectifications closed by their deadline, clues disposed of (no clue listed as evidence)', async () => {
      const db = server.db.client;
      const orgId = org[BRANCH]!.id;
      const inspection = await db.disciplineInspection.create({
        data: {
          inspectedOrganizationId: orgId,
          inspectingOrganizationId: org[COMMITTEE]!.id,
          date: daysAgo(120),
          scope: '作风建设',
          inspectors: ['张三'],
          createdBy: 'test',
        },
      });
      const problem = await db.disciplineInspectionProblem.create({
        data: { inspectionId: inspection.id, category: 'CONDUCT', description: '会议记录不全' },
      });
      const item = (measure: string, deadline: Date, status: 'OPEN' | 'ACCEPTED', acceptedAt: Date | null) => ({
        problemId: problem.id,
        measure,
        deadline,
        status,
        acceptedAt,
      });
      const onTime = await db.disciplineRectification.create({ data: item('补全记录', daysAgo(60), 'ACCEPTED', daysAgo(61)) });
      await db.disciplineRectification.createMany({
        data: [
          item('建立台账', daysAgo(50), 'OPEN', null),
          item('专题学习', daysAgo(40), 'ACCEPTED', daysAgo(30)),
          // Not yet due: not counted either way.
          item('长效机制', daysAgo(-30), 'OPEN', null),
        ],
      });
      expect(await valueAt('discipline.rectifications.onTime', BRANCH)).toBe(33.3);
      expect(await valueAt('discipline.rectifications.onTime', EMPTY)).toBeNull();
      const evidence = await evidenceOf('discipline.rectifications.onTime', BRANCH, admin, P());
      expect(evidence.map((e) => e.counts)).toEqual([true, false, false]);
      expect(evidence[0]!.nodeId).toBe(gid('Rectification', onTime.id));
      await expectOpenable(evidence);

      const clue = (status: 'RECEIVED' | 'DISPOSED', decidedAt: Date | null) => ({
        receivingOrganizationId: orgId,
        channel: 'PUBLIC' as const,
        content: '反映问题',
        receivedAt: daysAgo(45),
        status,
        disposition: status === 'DISPOSED' ? ('TALK_REMINDER' as const) : null,
        decidedAt,
        registeredBy: 'test',
      });
      await db.disciplineClue.createMany({ data: [clue('DISPOSED', daysAgo(20)), clue('RECEIVED', null)] });
      expect(await valueAt('discipline.clues.disposed', BRANCH)).toBe(50);
      expect(await evidenceOf('discipline.clues.disposed', BRANCH, admin, P())).toEqual([]);
    });
  });

  describe('bounds and access', () => {
    // After the plugin tests: every plugin's tables hold rows in both subtrees.
    it('computes the whole working committee in as many statements as one small subtree, for every indicator', async () => {
      const kinds = ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH', 'GROUP'];
      // Core's and every plugin's indicators.
      const { indicators } = expectOk(await server.gql(INDICATORS, {}, admin));
      expect(indicators.length).toBeGreaterThan(CORE_IDS.length + 8);
      for (const { id } of indicators as { id: string }[]) {
        statements = 0;
        const all = expectOk(await server.gql(VALUES, { id, kinds, under: org.SZJGGW!.gid, ...PERIOD, first: 1 }, admin));
        const whole = statements;
        statements = 0;
        const small = expectOk(await server.gql(VALUES, { id, kinds, under: org['SZJGGW-MZJ']!.gid, ...PERIOD, first: 1 }, admin));
        expect(all.indicatorValues.totalCount).toBeGreaterThan(3 * small.indicatorValues.totalCount);
        expect(whole, id).toBe(statements);
      }
    });

    it('refuses a bad period and an unknown indicator, naming the argument', async () => {
      expectError(
        await server.gql(VALUES, { id: 'core.meetings.themeDay', from: PERIOD.to, to: PERIOD.from }, admin),
        'BAD_USER_INPUT',
        'to',
      );
      expectError(
        await server.gql(VALUES, { id: 'core.meetings.themeDay', from: '1800-01-01', to: PERIOD.to }, admin),
        'BAD_USER_INPUT',
        'from',
      );
      expectError(
        await server.gql(VALUES, { id: 'core.meetings.themeDay', from: '2000-01-01', to: '2020-01-01' }, admin),
        'BAD_USER_INPUT',
        'to',
      );
      const unknown = await server.gql(VALUES, { id: 'core.meetings.nothing', ...PERIOD }, admin);
      expectError(unknown, 'NOT_FOUND');
      expect(unknown.errors![0]!.message).toContain('core.meetings.nothing');
      expectError(await server.gql(EVIDENCE, { id: 'nope', org: org.SZJGGW!.gid, ...PERIOD }, admin), 'NOT_FOUND');
    });

    it('answers for an organization of a sibling subtree or another department as for a missing one', async () => {
      const mzj = org['SZJGGW-MZJ']!.gid;
      expectError(await server.gql(VALUES, { id: 'core.meetings.themeDay', under: mzj, ...PERIOD }, kxAdmin), 'NOT_FOUND');
      expectError(await server.gql(EVIDENCE, { id: 'core.meetings.themeDay', org: mzj, ...PERIOD }, kxAdmin), 'NOT_FOUND');
      // Another department (a second top-level working committee) sees only its own tree.
      const id = crypto.randomUUID();
      await server.db.client.organization.create({
        data: { id, kind: 'WORKING_COMMITTEE', name: '另一机关工委', code: 'OTHER-WC', path: `/${id}/`, depth: 0 },
      });
      const other = await server.token('OTHER-WC', ['ADMIN', 'AUDITOR'], 'other-admin');
      expectError(await server.gql(EVIDENCE, { id: 'core.cadres.secretaryInPost', org: org.SZJGGW!.gid, ...PERIOD }, other), 'NOT_FOUND');
      expectError(await server.gql(VALUES, { id: 'core.cadres.secretaryInPost', under: mzj, ...PERIOD }, other), 'NOT_FOUND');
      expect([...(await valuesOf('core.cadres.secretaryInPost', other))]).toEqual([['OTHER-WC', 0]]);
      const own = await valuesOf('core.meetings.themeDay', kxAdmin);
      expect([...own.keys()].every((code) => code.startsWith('SZJGGW-KX'))).toBe(true);
      expect(own.size).toBeGreaterThan(0);
    });

    it('stops offering a disabled plugin’s indicators (NOT_FOUND) and offers them again once re-enabled', async () => {
      const SET = 'mutation ($p: String!, $e: Boolean!) { setPluginEnabled(pluginId: $p, enabled: $e) { enabled } }';
      const id = 'discipline.rectifications.onTime';
      expectOk(await server.gql(VALUES, { id, ...PERIOD, first: 1 }, mzjAdmin));
      expectOk(await server.gql(SET, { p: 'discipline', e: false }, admin));
      try {
        const { indicators } = expectOk(await server.gql(INDICATORS, {}, mzjAdmin));
        expect(indicators.some((i: { owner: string }) => i.owner === 'discipline')).toBe(false);
        expect(indicators.some((i: { owner: string }) => i.owner === 'party-brand')).toBe(true);
        const refused = await server.gql(VALUES, { id, ...PERIOD, first: 1 }, mzjAdmin);
        expectError(refused, 'NOT_FOUND');
        expect(refused.errors![0]!.message).toContain(id);
        expectError(await server.gql(EVIDENCE, { id, org: org['SZJGGW-MZJ']!.gid, ...PERIOD }, mzjAdmin), 'NOT_FOUND');
      } finally {
        expectOk(await server.gql(SET, { p: 'discipline', e: true }, admin));
      }
      expectOk(await server.gql(VALUES, { id, ...PERIOD, first: 1 }, mzjAdmin));
    });
  });
});
