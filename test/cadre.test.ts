import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const daysAgo = (n: number) => new Date(today().getTime() - n * 86_400_000);
const yearsAgo = (n: number) => {
  const t = today();
  const lastDay = new Date(Date.UTC(t.getUTCFullYear() - n, t.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(t.getUTCFullYear() - n, t.getUTCMonth(), Math.min(t.getUTCDate(), lastDay)));
};

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
}

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const CADRE_FIELDS = `id post fullTime startDate endDate current yearsInPost lastTrainedOn
  member { id name } organization { id code }
  trainings { id course hours date provider }
  assessments { id year grade notes }
  rotations { id kind fromPost toPost date note }`;
const CADRES = `query ($filter: CadreFilter, $first: Int, $after: String) {
  cadres(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${CADRE_FIELDS} } } }
}`;
const CADRE = `query ($id: ID!) { cadre(id: $id) { ${CADRE_FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
const WITHOUT = `query ($under: ID, $kinds: [OrganizationKind!], $first: Int) {
  organizationsWithoutSecretary(under: $under, kinds: $kinds, first: $first) { totalCount edges { node { id code kind secretary { id } } } }
}`;
const APPOINT = `mutation ($input: AppointCadreInput!) { appointCadre(input: $input) { ${CADRE_FIELDS} } }`;
const END = `mutation ($id: ID!, $endDate: Date!) { endCadrePost(id: $id, endDate: $endDate) { id endDate current } }`;
const TRAINING = `mutation ($input: RecordTrainingInput!) { recordTraining(input: $input) { id course hours date provider member { id } } }`;
const ASSESSMENT = `mutation ($input: RecordAssessmentInput!) { recordAssessment(input: $input) { id year grade notes member { id } } }`;
const ROTATION = `mutation ($input: RecordRotationInput!) { recordRotation(input: $input) { id kind fromPost toPost date note member { id } } }`;

describe('cadres', () => {
  let server: TestServer;
  let statements = 0;
  let admin: string;
  let kxAdmin: string;
  let kxSecretary: string;
  let kxBgsSecretary: string;
  let kxReader: string;
  const org: Record<string, { id: string; gid: string; path: string }> = {};

  const counts = async () => {
    const db = server.db.client;
    return {
      cadres: await db.cadre.count(),
      trainings: await db.training.count(),
      assessments: await db.assessment.count(),
      rotations: await db.rotation.count(),
      activities: await db.activity.count(),
    };
  };

  /** A full member of an organization with no current post anywhere, joined over two years ago. */
  const freeMember = async (code: string, skip = 0) => {
    const member = await server.db.client.member.findFirstOrThrow({
      where: { organizationId: org[code]!.id, status: 'FULL', joinedAt: { lt: yearsAgo(2) }, cadrePosts: { none: {} } },
      orderBy: { name: 'asc' },
      skip,
    });
    return { ...member, gid: gid('Member', member.id) };
  };

  beforeAll(async () => {
    server = await startTestServer({ onQuery: () => void (statements += 1) });
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    kxSecretary = await server.token('SZJGGW-KX', ['SECRETARY'], 'kx-secretary');
    kxBgsSecretary = await server.token('SZJGGW-KX-BGS', ['SECRETARY'], 'kx-bgs-secretary');
    kxReader = await server.token('SZJGGW-KX', ['MEMBER'], 'kx-reader');
    for (const o of await server.db.client.organization.findMany())
      org[o.code] = { id: o.id, gid: gid('Organization', o.id), path: o.path };
  });
  afterAll(() => server?.close());

  describe('queries', () => {
    it('lists the part-time secretaries, exactly those of the database', async () => {
      const data = expectOk(await server.gql(CADRES, { filter: { post: 'SECRETARY', fullTime: false }, first: 100 }, admin));
      const expected = await server.db.client.cadre.findMany({
        where: { post: 'SECRETARY', fullTime: false, endDate: null },
        select: { id: true },
      });
      expect(data.cadres.totalCount).toBe(expected.length);
      expect(data.cadres.edges.map((e: any) => rawId(e.node.id)).sort()).toEqual(expected.map((c) => c.id).sort());
      for (const { node } of data.cadres.edges)
        expect(node).toMatchObject({ post: 'SECRETARY', fullTime: false, endDate: null, current: true });
    });

    it('lists secretaries without training in three years, including the staged ones', async () => {
      const data = expectOk(await server.gql(CADRES, { filter: { post: 'SECRETARY', untrainedSinceYears: 3 }, first: 100 }, admin));
      const cutoff = yearsAgo(3).getTime();
      const secretaries = await server.db.client.cadre.findMany({
        where: { post: 'SECRETARY', endDate: null },
        include: { member: { include: { trainings: true } } },
      });
      const expected = secretaries.filter((c) => c.member.trainings.every((t) => t.date.getTime() < cutoff)).map((c) => c.id);
      expect(data.cadres.totalCount).toBe(expected.length);
      expect(data.cadres.edges.map((e: any) => rawId(e.node.id)).sort()).toEqual(expected.sort());
      const codes = data.cadres.edges.map((e: any) => e.node.organization.code);
      expect(codes).toEqual(expect.arrayContaining(['SZJGGW-KX-KPB', 'SZJGGW-XCB-WYC']));
      for (const { node } of data.cadres.edges) {
        expect(node.lastTrainedOn === null || node.lastTrainedOn < iso(yearsAgo(3))).toBe(true);
      }
    });

    it('lists organizations without a current secretary', async () => {
      const data = expectOk(await server.gql(WITHOUT, { first: 100 }, admin));
      const codes = data.organizationsWithoutSecretary.edges.map((e: any) => e.node.code);
      expect(codes).toEqual(expect.arrayContaining(['SZJGGW-KX-BGS', 'SZJGGW-RSJ-SBZX-GSBX']));
      const expected = await server.db.client.organization.findMany({
        where: {
          kind: { in: ['COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'] },
          cadres: { none: { post: 'SECRETARY', endDate: null } },
        },
      });
      expect(data.organizationsWithoutSecretary.totalCount).toBe(expected.length);
      expect([...codes].sort()).toEqual(expected.map((o) => o.code).sort());
      for (const { node } of data.organizationsWithoutSecretary.edges) expect(node.secretary).toBeNull();

      const rsj = expectOk(await server.gql(WITHOUT, { under: org['SZJGGW-RSJ']!.gid }, admin));
      expect(rsj.organizationsWithoutSecretary.edges.map((e: any) => e.node.code)).toEqual(['SZJGGW-RSJ-SBZX-GSBX']);
      const groups = expectOk(await server.gql(WITHOUT, { under: org['SZJGGW-MZJ']!.gid, kinds: ['GROUP'] }, admin));
      expect(groups.organizationsWithoutSecretary.edges.map((e: any) => e.node.code).sort()).toEqual([
        'SZJGGW-MZJ-YLFW-G1',
        'SZJGGW-MZJ-YLFW-G2',
      ]);
    });

    it('answers one cadre with the records of its holder', async () => {
      const db = server.db.client;
      // A holder with a rotation and trainings: the committee's full-time deputy came from a business post.
      const cadre = await db.cadre.findFirstOrThrow({
        where: { organizationId: org['SZJGGW-MZJ']!.id, post: 'FULL_TIME_DEPUTY_SECRETARY', endDate: null },
        include: { member: { include: { trainings: true, assessments: true, rotations: true } } },
      });
      const { cadre: node } = expectOk(await server.gql(CADRE, { id: gid('Cadre', cadre.id) }, admin));
      expect(node).toMatchObject({
        post: 'FULL_TIME_DEPUTY_SECRETARY',
        fullTime: true,
        current: true,
        organization: { code: 'SZJGGW-MZJ' },
      });
      expect(node.rotations.map((r: any) => r.kind)).toContain('FROM_BUSINESS');
      expect(node.trainings).toHaveLength(cadre.member.trainings.length);
      expect(node.assessments.map((a: any) => a.year)).toEqual(cadre.member.assessments.map((a) => a.year).sort((a, b) => b - a));
      const dates = node.trainings.map((t: any) => t.date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(node.lastTrainedOn).toBe(dates[0] ?? null);
      const expectedYears = Math.round(((today().getTime() - cadre.startDate.getTime()) / 86_400_000 / 365.25) * 10) / 10;
      expect(node.yearsInPost).toBe(expectedYears);
    });

    it('pages through every current cadre without gaps or repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (;;) {
        const data: any = expectOk(await server.gql(CADRES, { first: 17, after }, admin));
        total = data.cadres.totalCount;
        seen.push(...data.cadres.edges.map((e: any) => e.node.id));
        if (!data.cadres.pageInfo.hasNextPage) break;
        after = data.cadres.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
      expect(total).toBe(await server.db.client.cadre.count({ where: { endDate: null } }));
    });

    it('reads nested records with a fixed number of SQL statements, however many cadres', async () => {
      const run = async (first: number) => {
        statements = 0;
        const data = expectOk(await server.gql(CADRES, { first }, admin));
        expect(data.cadres.edges).toHaveLength(first);
        return statements;
      };
      await run(2);
      expect(await run(60)).toBe(await run(2));
    });

    it('filters by current, full-time and under', async () => {
      const ended = expectOk(await server.gql(CADRES, { filter: { current: false }, first: 100 }, admin));
      expect(ended.cadres.totalCount).toBe(await server.db.client.cadre.count({ where: { endDate: { not: null } } }));
      for (const { node } of ended.cadres.edges) expect(node.current).toBe(false);
      const all = expectOk(await server.gql(CADRES, { filter: { current: null }, first: 1 }, admin));
      expect(all.cadres.totalCount).toBe(await server.db.client.cadre.count());
      const mzj = expectOk(await server.gql(CADRES, { filter: { under: org['SZJGGW-MZJ']!.gid, fullTime: true }, first: 100 }, admin));
      expect(mzj.cadres.totalCount).toBeGreaterThan(0);
      for (const { node } of mzj.cadres.edges) {
        expect(node.organization.code.startsWith('SZJGGW-MZJ')).toBe(true);
        expect(node.fullTime).toBe(true);
      }
    });

    it('refuses a bad untrainedSinceYears and anonymous readers', async () => {
      expectError(await server.gql(CADRES, { filter: { untrainedSinceYears: 0 } }, admin), 'BAD_USER_INPUT', 'filter.untrainedSinceYears');
      expectError(await server.gql(CADRES, {}), 'UNAUTHENTICATED');
    });

    it('shows a sibling organization nothing of another agency', async () => {
      const db = server.db.client;
      const mzjCadre = await db.cadre.findFirstOrThrow({ where: { organizationId: org['SZJGGW-MZJ-SHJZ']!.id } });
      expect(expectOk(await server.gql(CADRE, { id: gid('Cadre', mzjCadre.id) }, kxAdmin)).cadre).toBeNull();
      expect(expectOk(await server.gql(NODE, { id: gid('Cadre', mzjCadre.id) }, kxAdmin)).node).toBeNull();
      expect(expectOk(await server.gql(CADRE, { id: gid('Cadre', '00000000-0000-7000-8000-000000000000') }, kxAdmin)).cadre).toBeNull();
      expectError(await server.gql(CADRES, { filter: { under: org['SZJGGW-MZJ']!.gid } }, kxAdmin), 'NOT_FOUND');
      expectError(await server.gql(WITHOUT, { under: org['SZJGGW-RSJ']!.gid }, kxAdmin), 'NOT_FOUND');
      const own = expectOk(await server.gql(CADRES, { filter: { current: null }, first: 100 }, kxAdmin));
      expect(own.cadres.totalCount).toBe(
        await db.cadre.count({ where: { organization: { path: { startsWith: org['SZJGGW-KX']!.path } } } }),
      );
      for (const { node } of own.cadres.edges) expect(node.organization.code.startsWith('SZJGGW-KX')).toBe(true);
      const vacant = expectOk(await server.gql(WITHOUT, {}, kxAdmin));
      expect(vacant.organizationsWithoutSecretary.edges.map((e: any) => e.node.code)).toEqual(['SZJGGW-KX-BGS']);
    });
  });

  describe('appointing and ending posts', () => {
    let appointed: string;

    it('appoints a secretary where the post is vacant, with an activity', async () => {
      const member = await freeMember('SZJGGW-KX-BGS');
      const before = await counts();
      const data = expectOk(
        await server.gql(
          APPOINT,
          { input: { memberId: member.gid, organizationId: org['SZJGGW-KX-BGS']!.gid, post: 'SECRETARY', startDate: iso(daysAgo(10)) } },
          kxAdmin,
        ),
      );
      appointed = data.appointCadre.id;
      expect(data.appointCadre).toMatchObject({
        post: 'SECRETARY',
        fullTime: false,
        startDate: iso(daysAgo(10)),
        current: true,
        member: { id: member.gid },
      });
      expect(await counts()).toMatchObject({ cadres: before.cadres + 1, activities: before.activities + 1 });
      const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'cadre.appointed' }, orderBy: { id: 'desc' } });
      expect(activity).toMatchObject({
        organizationId: org['SZJGGW-KX-BGS']!.id,
        subjectType: 'Cadre',
        subjectId: rawId(appointed),
        actorId: 'kx-admin',
      });
      const vacant = expectOk(await server.gql(WITHOUT, {}, kxAdmin));
      expect(vacant.organizationsWithoutSecretary.totalCount).toBe(0);
    });

    it('refuses a second current secretary with CONFLICT and writes nothing', async () => {
      const member = await freeMember('SZJGGW-KX-BGS');
      const before = await counts();
      const result = await server.gql(
        APPOINT,
        { input: { memberId: member.gid, organizationId: org['SZJGGW-KX-BGS']!.gid, post: 'SECRETARY', startDate: iso(daysAgo(1)) } },
        kxAdmin,
      );
      expectError(result, 'CONFLICT', 'input.post');
      expect(result.errors![0]!.extensions?.cadreId).toBe(appointed);
      expect(await counts()).toEqual(before);
    });

    it('refuses bad input naming the field, and writes nothing', async () => {
      const before = await counts();
      const branch = org['SZJGGW-KX-BGS']!.gid;
      const other = await freeMember('SZJGGW-KX-XHB');
      const own = await freeMember('SZJGGW-KX-BGS');
      const probationary = await server.db.client.member.findFirstOrThrow({
        where: { organization: { path: { startsWith: org['SZJGGW-KX']!.path } }, status: 'PROBATIONARY' },
      });
      const appoint = (input: Record<string, unknown>) =>
        server.gql(
          APPOINT,
          { input: { memberId: own.gid, organizationId: branch, post: 'ORGANIZATION_MEMBER', startDate: iso(daysAgo(5)), ...input } },
          kxAdmin,
        );
      expectError(await appoint({ memberId: other.gid }), 'BAD_USER_INPUT', 'input.memberId');
      expectError(await appoint({ memberId: gid('Member', probationary.id) }), 'BAD_USER_INPUT', 'input.memberId');
      expectError(await appoint({ startDate: iso(daysAgo(-3)) }), 'BAD_USER_INPUT', 'input.startDate');
      expectError(await appoint({ startDate: iso(new Date(own.joinedAt.getTime() - 86_400_000)) }), 'BAD_USER_INPUT', 'input.startDate');
      expectError(await appoint({ post: 'FULL_TIME_DEPUTY_SECRETARY', fullTime: false }), 'BAD_USER_INPUT', 'input.fullTime');
      expectError(await appoint({ memberId: org['SZJGGW-KX-BGS']!.gid }), 'BAD_USER_INPUT', 'input.memberId');
      expectError(await appoint({ organizationId: own.gid }), 'BAD_USER_INPUT', 'input.organizationId');
      expect(await counts()).toEqual(before);
    });

    it('lets a secretary appoint below their organization, never in it; readers not at all', async () => {
      const member = await freeMember('SZJGGW-KX-BGS');
      const input = {
        memberId: member.gid,
        organizationId: org['SZJGGW-KX-BGS']!.gid,
        post: 'COMMITTEE_MEMBER',
        startDate: iso(daysAgo(2)),
      };
      const before = await counts();
      expectError(await server.gql(APPOINT, { input }, kxBgsSecretary), 'FORBIDDEN');
      expectError(await server.gql(APPOINT, { input }, kxReader), 'FORBIDDEN');
      expect(await counts()).toEqual(before);
      const data = expectOk(await server.gql(APPOINT, { input }, kxSecretary));
      expect(data.appointCadre).toMatchObject({ post: 'COMMITTEE_MEMBER', organization: { code: 'SZJGGW-KX-BGS' } });
      expectError(await server.gql(APPOINT, { input }, kxSecretary), 'CONFLICT', 'input.memberId');
    });

    it('appoints to a temporary branch a member of a sibling branch under the same committee', async () => {
      const member = await freeMember('SZJGGW-FGW-BGS');
      const data = expectOk(
        await server.gql(
          APPOINT,
          {
            input: {
              memberId: member.gid,
              organizationId: org['SZJGGW-FGW-ZDXM']!.gid,
              post: 'DISCIPLINE_MEMBER',
              startDate: iso(daysAgo(3)),
            },
          },
          admin,
        ),
      );
      expect(data.appointCadre).toMatchObject({ post: 'DISCIPLINE_MEMBER', organization: { code: 'SZJGGW-FGW-ZDXM' } });
    });

    it('answers NOT_FOUND for an organization or member of a sibling agency', async () => {
      const before = await counts();
      const mzjMember = await freeMember('SZJGGW-MZJ-SHJZ');
      const kxMember = await freeMember('SZJGGW-KX-XHB');
      expectError(
        await server.gql(
          APPOINT,
          {
            input: {
              memberId: kxMember.gid,
              organizationId: org['SZJGGW-MZJ-SHJZ']!.gid,
              post: 'COMMITTEE_MEMBER',
              startDate: iso(daysAgo(1)),
            },
          },
          kxAdmin,
        ),
        'NOT_FOUND',
      );
      expectError(
        await server.gql(
          APPOINT,
          {
            input: {
              memberId: mzjMember.gid,
              organizationId: org['SZJGGW-KX-XHB']!.gid,
              post: 'COMMITTEE_MEMBER',
              startDate: iso(daysAgo(1)),
            },
          },
          kxAdmin,
        ),
        'NOT_FOUND',
      );
      expect(await counts()).toEqual(before);
    });

    it('ends a post once, not before it started', async () => {
      const before = await counts();
      expectError(await server.gql(END, { id: appointed, endDate: iso(daysAgo(20)) }, kxAdmin), 'BAD_USER_INPUT', 'endDate');
      expectError(await server.gql(END, { id: appointed, endDate: iso(daysAgo(-1)) }, kxAdmin), 'BAD_USER_INPUT', 'endDate');
      expectError(await server.gql(END, { id: appointed, endDate: iso(daysAgo(1)) }, kxBgsSecretary), 'FORBIDDEN');
      const mzjCadre = await server.db.client.cadre.findFirstOrThrow({
        where: { organizationId: org['SZJGGW-MZJ-SHJZ']!.id, endDate: null },
      });
      expectError(await server.gql(END, { id: gid('Cadre', mzjCadre.id), endDate: iso(daysAgo(1)) }, kxAdmin), 'NOT_FOUND');
      expect(await counts()).toEqual(before);

      const data = expectOk(await server.gql(END, { id: appointed, endDate: iso(daysAgo(1)) }, kxAdmin));
      expect(data.endCadrePost).toEqual({ id: appointed, endDate: iso(daysAgo(1)), current: false });
      expect(await counts()).toMatchObject({ cadres: before.cadres, activities: before.activities + 1 });
      const again = await server.gql(END, { id: appointed, endDate: iso(daysAgo(1)) }, kxAdmin);
      expectError(again, 'ILLEGAL_STATE');
      expect(again.errors![0]!.extensions?.state).toBe('ENDED');
      const vacant = expectOk(await server.gql(WITHOUT, {}, kxAdmin));
      expect(vacant.organizationsWithoutSecretary.edges.map((e: any) => e.node.code)).toEqual(['SZJGGW-KX-BGS']);
    });
  });

  describe('training, assessment and rotation', () => {
    let secretary: { cadreId: string; memberGid: string; memberId: string };

    beforeAll(async () => {
      const cadre = await server.db.client.cadre.findFirstOrThrow({
        where: { organizationId: org['SZJGGW-KX-KPB']!.id, post: 'SECRETARY', endDate: null },
      });
      secretary = { cadreId: gid('Cadre', cadre.id), memberGid: gid('Member', cadre.memberId), memberId: cadre.memberId };
    });

    it('records a training, after which the secretary no longer counts as untrained', async () => {
      const untrained = async () =>
        expectOk(await server.gql(CADRES, { filter: { post: 'SECRETARY', untrainedSinceYears: 3 }, first: 50 }, kxAdmin)).cadres.edges.map(
          (e: any) => e.node.id,
        );
      expect(await untrained()).toContain(secretary.cadreId);
      const before = await counts();
      const data = expectOk(
        await server.gql(
          TRAINING,
          {
            input: {
              memberId: secretary.memberGid,
              course: '党支部书记轮训班',
              hours: '40.0',
              date: iso(daysAgo(7)),
              provider: '市委党校',
            },
          },
          kxSecretary,
        ),
      );
      expect(data.recordTraining).toMatchObject({
        course: '党支部书记轮训班',
        hours: '40.0',
        date: iso(daysAgo(7)),
        provider: '市委党校',
        member: { id: secretary.memberGid },
      });
      expect(await counts()).toMatchObject({ trainings: before.trainings + 1, activities: before.activities + 1 });
      expect(await untrained()).not.toContain(secretary.cadreId);
      const { cadre } = expectOk(await server.gql(CADRE, { id: secretary.cadreId }, kxAdmin));
      expect(cadre.lastTrainedOn).toBe(iso(daysAgo(7)));
      expect(cadre.trainings[0]).toMatchObject({ id: data.recordTraining.id, hours: '40.0' });
    });

    it('refuses bad training input naming the field, and writes nothing', async () => {
      const before = await counts();
      const record = (input: Record<string, unknown>) =>
        server.gql(
          TRAINING,
          { input: { memberId: secretary.memberGid, course: '网络党校在线学习', hours: '12', date: iso(daysAgo(3)), ...input } },
          kxAdmin,
        );
      expectError(await record({ hours: '0' }), 'BAD_USER_INPUT', 'input.hours');
      expectError(await record({ hours: '1000.5' }), 'BAD_USER_INPUT', 'input.hours');
      expectError(await record({ hours: '2.25' }), 'BAD_USER_INPUT', 'input.hours');
      expectError(await record({ date: iso(daysAgo(-1)) }), 'BAD_USER_INPUT', 'input.date');
      expectError(await record({ course: '  ' }), 'BAD_USER_INPUT', 'input.course');
      const mzjMember = await freeMember('SZJGGW-MZJ-SHJZ');
      expectError(await record({ memberId: mzjMember.gid }), 'NOT_FOUND');
      expect(await counts()).toEqual(before);
    });

    it('records one assessment per member and year', async () => {
      const year = today().getUTCFullYear();
      const before = await counts();
      const data = expectOk(
        await server.gql(
          ASSESSMENT,
          { input: { memberId: secretary.memberGid, year, grade: 'BASICALLY_COMPETENT', notes: '德：良好；能：一般' } },
          kxSecretary,
        ),
      );
      expect(data.recordAssessment).toMatchObject({ year, grade: 'BASICALLY_COMPETENT', member: { id: secretary.memberGid } });
      expect(await counts()).toMatchObject({ assessments: before.assessments + 1, activities: before.activities + 1 });

      const after = await counts();
      expectError(
        await server.gql(ASSESSMENT, { input: { memberId: secretary.memberGid, year, grade: 'EXCELLENT' } }, kxAdmin),
        'CONFLICT',
        'input.year',
      );
      expectError(
        await server.gql(ASSESSMENT, { input: { memberId: secretary.memberGid, year: year + 1, grade: 'EXCELLENT' } }, kxAdmin),
        'BAD_USER_INPUT',
        'input.year',
      );
      const plain = await freeMember('SZJGGW-KX-KPB');
      expectError(
        await server.gql(ASSESSMENT, { input: { memberId: plain.gid, year: year - 1, grade: 'EXCELLENT' } }, kxAdmin),
        'BAD_USER_INPUT',
        'input.year',
      );
      // The branch's own secretary does not assess the branch's members: that is the superior's call.
      const branchSecretary = await server.token('SZJGGW-KX-KPB', ['SECRETARY']);
      expectError(
        await server.gql(ASSESSMENT, { input: { memberId: secretary.memberGid, year: year - 3, grade: 'EXCELLENT' } }, branchSecretary),
        'FORBIDDEN',
      );
      expect(await counts()).toEqual(after);
    });

    it('records a rotation and refuses an unchanged post', async () => {
      const before = await counts();
      const input = {
        memberId: secretary.memberGid,
        kind: 'TO_BUSINESS',
        fromPost: '科普部党支部书记',
        toPost: '科普部副部长',
        date: iso(daysAgo(2)),
        note: '双向交流',
      };
      expectError(await server.gql(ROTATION, { input: { ...input, toPost: input.fromPost } }, kxAdmin), 'BAD_USER_INPUT', 'input.toPost');
      expectError(await server.gql(ROTATION, { input: { ...input, date: iso(daysAgo(-2)) } }, kxAdmin), 'BAD_USER_INPUT', 'input.date');
      expectError(await server.gql(ROTATION, { input }, kxReader), 'FORBIDDEN');
      expect(await counts()).toEqual(before);
      const data = expectOk(await server.gql(ROTATION, { input }, kxAdmin));
      expect(data.recordRotation).toMatchObject({
        kind: 'TO_BUSINESS',
        fromPost: '科普部党支部书记',
        toPost: '科普部副部长',
        date: iso(daysAgo(2)),
        note: '双向交流',
      });
      expect(await counts()).toMatchObject({ rotations: before.rotations + 1, activities: before.activities + 1 });
      const { cadre } = expectOk(await server.gql(CADRE, { id: secretary.cadreId }, kxAdmin));
      expect(cadre.rotations[0]).toMatchObject({ id: data.recordRotation.id });
    });
  });
});
