import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import {
  developmentStepInput,
  globalId,
  nextResults,
  orgId,
  startTestServer,
  walkDevelopmentSteps,
  type GqlResult,
  type TestServer,
} from '@dangjian/testing';
import { dualCultivationPlugin } from '../src/index.ts';

/** A valid national ID born on `birth` (YYYYMMDD) with a sequence whose last digit gives the sex. */
const nationalId = (birth: string, seq: string) => `110105${birth}${seq}${nationalIdChecksum(`110105${birth}${seq}`)}`;

const TALENT_FIELDS = `id name stage stageSince isMember nationalId phone stages { stage date note cultivator { name } }
  member { status joinedAt organization { code } }
  development { id step stage state organization { code } member { id } timeline { step date account } }`;
const REGISTER = `mutation ($input: RegisterTalentInput!) { registerTalent(input: $input) { ${TALENT_FIELDS} } }`;
const START = `mutation ($input: StartTalentDevelopmentInput!) { startTalentDevelopment(input: $input) { ${TALENT_FIELDS} } }`;
const STEP = `mutation ($talentId: ID!, $input: RecordDevelopmentStepInput!) { recordTalentStep(talentId: $talentId, input: $input) { ${TALENT_FIELDS} } }`;

const iso = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, n: number) => new Date(date.getTime() + n * 86_400_000);

describe('dual-cultivation: the path of a talent on the 发展党员 procedure, masking and subtree isolation', () => {
  let server: TestServer;
  let admin: string; // ADMIN of 市民政局机关党委
  let memberViewer: string; // MEMBER of 市民政局机关党委
  let siblingAdmin: string; // ADMIN of 市科协机关党委, a sibling subtree
  let mzj: string;
  let shjz: string;
  let cultivator: string;
  let introducer: string;
  let statements = 0;

  const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
  const start = (token: string, input: Record<string, unknown>) => server.gql(START, { input }, token);
  const record = (token: string, talentId: string, input: Record<string, unknown>) => server.gql(STEP, { talentId, input }, token);

  /** The input of step `step` for an application made on `base`, keeping every rule. */
  const stepInput = (step: number, base: Date, extra: Record<string, unknown> = {}) =>
    developmentStepInput(
      step,
      base,
      { 2: [{ memberId: cultivator }], 5: [{ memberId: cultivator }], 9: [{ memberId: cultivator }, { memberId: introducer }] },
      extra,
    );

  const walk = (talentId: string, base: Date, from: number, to: number) =>
    walkDevelopmentSteps(from, to, (step) => record(admin, talentId, stepInput(step, base)), 'recordTalentStep');

  beforeAll(async () => {
    server = await startTestServer({
      plugins: [dualCultivationPlugin],
      onQuery: (sql) => {
        statements += 1;
        if (process.env.SHOW_SQL) console.log(sql.slice(0, 160));
      },
    });
    admin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    memberViewer = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-member');
    siblingAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    mzj = await orgId(server.db, 'SZJGGW-MZJ');
    shjz = await orgId(server.db, 'SZJGGW-MZJ-SHJZ');
    const full = await server.db.client.member.findMany({
      where: { status: 'FULL', joinedAt: { lt: new Date('2020-01-01') }, organization: { code: { startsWith: 'SZJGGW-MZJ-' } } },
      orderBy: { id: 'asc' },
      take: 2,
    });
    cultivator = globalId('Member', full[0]!.id);
    introducer = globalId('Member', full[1]!.id);
  });
  afterAll(() => server?.close());

  it('walks a talent through the procedure to step 15, where the talent becomes a probationary member', async () => {
    const id = nationalId('19900307', '123');
    const registered = await server.gql(
      REGISTER,
      {
        input: {
          organizationId: mzj,
          name: '王致富',
          trade: '特色种植',
          enterprise: '绿源种植合作社',
          village: '东山村',
          phone: '13812345678',
          nationalId: id,
        },
      },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    const talent = registered.data.registerTalent;
    // Gender comes from the ID; personal data is masked exactly like a member's.
    expect(talent).toMatchObject({
      stage: null,
      isMember: false,
      development: null,
      nationalId: `1101**********${id.slice(14)}`,
      phone: '138****5678',
    });

    // A step before the path started is refused; the application goes to a branch, not the committee following the talent.
    expect((await record(admin, talent.id, stepInput(2, new Date('2022-01-10')))).errors?.[0]?.extensions).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'NONE',
    });
    const committee = await start(admin, { talentId: talent.id, organizationId: mzj, appliedAt: '2022-01-10' });
    expect(committee.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
    const base = new Date('2022-01-10T00:00:00Z');
    const applied = await start(admin, { talentId: talent.id, organizationId: shjz, appliedAt: iso(base), account: '递交入党申请书' });
    expect(applied.errors).toBeUndefined();
    expect(applied.data.startTalentDevelopment).toMatchObject({
      stage: 'APPLICANT',
      stageSince: '2022-01-10',
      development: { step: 1, stage: 'APPLICATION', state: 'ACTIVE', organization: { code: 'SZJGGW-MZJ-SHJZ' } },
    });
    // The national ID is fixed once the record holds it.
    const changed = await server.gql(
      'mutation ($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) { id } }',
      { id: talent.id, input: { nationalId: nationalId('19900307', '135') } },
      admin,
    );
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.nationalId' });
    // Starting twice is refused.
    expect(code(await start(admin, { talentId: talent.id, organizationId: shjz, appliedAt: '2022-01-11' }))).toBe('ILLEGAL_STATE');

    // Steps go in order: skipping names the step the record stands at.
    const skip = await record(admin, talent.id, stepInput(4, base));
    expect(skip.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'STEP_1' });
    const activist = await walk(talent.id, base, 2, 6);
    expect(activist).toMatchObject({ stage: 'ACTIVIST', stageSince: iso(addDays(base, 60)), development: { step: 6, stage: 'ACTIVIST' } });

    // An activist is cultivated for at least a year (rule 培养考察一年以上): a day early is refused, nothing written.
    const yearAfter = iso(addDays(base, 60 + 365 - 1));
    const tooEarly = await record(admin, talent.id, stepInput(7, base, { date: yearAfter }));
    expect(tooEarly.errors?.[0]).toMatchObject({
      message: expect.stringContaining('培养考察一年以上'),
      extensions: { code: 'BAD_USER_INPUT', field: 'input.date' },
    });
    // Dates are never in the future.
    expect((await record(admin, talent.id, stepInput(7, base, { date: '2999-01-01' }))).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.date',
    });
    const target = await walk(talent.id, base, 7, 14);
    expect(target).toMatchObject({ stage: 'DEVELOPMENT_TARGET', isMember: false, development: { step: 14, stage: 'ACCEPTANCE' } });
    expect(await server.db.client.member.count({ where: { nationalIdHash: server.vault.lookupHash(id) } })).toBe(0);

    // Step 15's vote must carry: too few present is refused with the numbers.
    const thin = await record(admin, talent.id, stepInput(15, base, { vote: { entitled: 9, present: 4, for: 4 } }));
    expect(thin.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(thin.errors?.[0]?.message).toContain('9');
    const developed = await walk(talent.id, base, 15, 15);
    const joined = iso(addDays(base, 500));
    expect(developed).toMatchObject({
      stage: 'PROBATIONARY',
      stageSince: joined,
      isMember: true,
      member: { status: 'PROBATIONARY', joinedAt: joined, organization: { code: 'SZJGGW-MZJ-SHJZ' } },
      development: { step: 15, stage: 'ACCEPTANCE', member: { id: expect.any(String) } },
    });
    expect(developed.stages.map((s: { stage: string; date: string }) => `${s.stage}@${s.date}`)).toEqual([
      'APPLICANT@2022-01-10',
      `ACTIVIST@${iso(addDays(base, 60))}`,
      `DEVELOPMENT_TARGET@${iso(addDays(base, 436))}`,
      `PROBATIONARY@${joined}`,
    ]);
    expect(developed.development.timeline.map((e: { step: number }) => e.step)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const member = await server.db.client.member.findUniqueOrThrow({ where: { nationalIdHash: server.vault.lookupHash(id) } });
    expect(member).toMatchObject({ name: '王致富', gender: 'MALE', status: 'PROBATIONARY', birthDate: new Date('1990-03-07T00:00:00Z') });
    expect(developed.development.member.id).toBe(globalId('Member', member.id));
    // The member row holds the ID encrypted for the member column, not a copy of another column's ciphertext.
    expect(member.nationalId).toMatch(/^v1\./);
    expect(server.vault.decrypt(member.nationalId!, 'Member.nationalId')).toBe(id);

    // The same step again is refused by the order rule; the events were recorded.
    expect(code(await record(admin, talent.id, stepInput(15, base)))).toBe('ILLEGAL_STATE');
    const feed = await server.gql(
      '{ activities(kinds: ["dual-cultivation.stageAdvanced", "dual-cultivation.memberDeveloped"]) { totalCount } }',
      {},
      admin,
    );
    expect(feed.data.activities.totalCount).toBe(5);
    const steps = await server.gql('{ activities(kinds: ["development.stepRecorded", "development.started"]) { totalCount } }', {}, admin);
    expect(steps.data.activities.totalCount).toBe(15);
  });

  it('refuses to develop a talent whose national ID a member already holds, writing nothing', async () => {
    const id = nationalId('19880512', '246');
    const { data } = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '李巧手', trade: '电商', village: '西河村', nationalId: id } },
      admin,
    );
    const talentId = data.registerTalent.id;
    const base = new Date('2021-01-04T00:00:00Z');
    expect((await start(admin, { talentId, organizationId: shjz, appliedAt: iso(base) })).errors).toBeUndefined();
    await walk(talentId, base, 2, 14);
    // Meanwhile core registered the same person directly.
    const branch = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    await server.db.client.member.create({
      data: {
        name: '李巧手',
        gender: 'FEMALE',
        nationalId: server.vault.encrypt(id, 'Member.nationalId'),
        nationalIdHash: server.vault.lookupHash(id),
        status: 'PROBATIONARY',
        joinedAt: new Date('2022-05-01'),
        organizationId: branch.id,
      },
    });
    const members = await server.db.client.member.count();
    const result = await record(admin, talentId, stepInput(15, base));
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await server.db.client.member.count()).toBe(members);
    const talent = await server.gql(
      'query ($id: ID!) { talent(id: $id) { stage isMember development { step } } }',
      { id: talentId },
      admin,
    );
    expect(talent.data.talent).toEqual({ stage: 'DEVELOPMENT_TARGET', isMember: false, development: { step: 14 } });
    // A national ID already held by a member cannot be registered on a new talent either.
    const dup = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '李巧手', trade: '电商', village: '西河村', nationalId: id } },
      admin,
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.nationalId' });
    // A talent without a national ID cannot start: the development record needs one.
    const bare = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '无证人', gender: 'MALE', trade: '养殖', village: '西河村' } },
      admin,
    );
    const refused = await start(admin, { talentId: bare.data.registerTalent.id, organizationId: shjz, appliedAt: '2024-01-02' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.talentId' });
  });

  it('reads each talent’s development record in one batched statement however many talents are listed', async () => {
    const LIST =
      'query ($first: Int) { talents(first: $first) { edges { node { name stage development { step stage organization { code } } } } } }';
    const count = async (first: number) => {
      statements = 0;
      const r = await server.gql(LIST, { first }, admin);
      expect(r.errors).toBeUndefined();
      return { statements, linked: r.data.talents.edges.filter((e: any) => e.node.development).length };
    };
    await count(50); // warms the request-independent caches (token, plugin settings)
    const few = await count(2);
    const all = await count(50);
    expect(few.linked).toBe(1);
    expect(all.linked).toBe(2);
    expect(all.statements).toBe(few.statements);
  });

  it('shows personal data in clear only to ADMIN or SECRETARY, auditing every clear read', async () => {
    const { data } = await server.gql('{ talents(filter: { search: "王致富" }) { edges { node { id } } } }', {}, admin);
    const id = data.talents.edges[0].node.id;
    const before = await server.db.client.activity.count({ where: { kind: 'dual-cultivation.personalDataRead' } });
    const clear = await server.gql('query ($id: ID!) { talent(id: $id) { nationalId(clear: true) phone(clear: true) } }', { id }, admin);
    expect(clear.data.talent.phone).toBe('13812345678');
    expect(clear.data.talent.nationalId).toMatch(/^110105199003071/);
    // One activity per talent per request, listing both fields.
    const audits = await server.db.client.activity.findMany({ where: { kind: 'dual-cultivation.personalDataRead' } });
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)).toMatchObject({ actorId: 'mzj-admin', subjectType: 'Talent', data: { fields: ['nationalId', 'phone'] } });

    const masked = await server.gql('query ($id: ID!) { talent(id: $id) { name nationalId phone } }', { id }, memberViewer);
    expect(masked.data.talent).toMatchObject({
      name: '王致富',
      phone: '138****5678',
      nationalId: expect.stringMatching(/^1101\*{10}\d{3}[\dX]$/),
    });
    const forbidden = await server.gql('query ($id: ID!) { talent(id: $id) { name phone(clear: true) } }', { id }, memberViewer);
    expect(forbidden.errors?.[0]).toMatchObject({ path: ['talent', 'phone'], extensions: { code: 'FORBIDDEN' } });
    expect(await server.db.client.activity.count({ where: { kind: 'dual-cultivation.personalDataRead' } })).toBe(before + 1);
    // The record of clear reads is for auditors only: not members, and not the administrator who read (三员分立).
    const feed = async (token: string) =>
      (await server.gql('{ activities(kinds: ["dual-cultivation.personalDataRead"]) { totalCount } }', {}, token)).data.activities
        .totalCount;
    expect(await feed(memberViewer)).toBe(0);
    expect(await feed(admin)).toBe(0);
    expect(await feed(await server.token('SZJGGW-MZJ', ['AUDITOR']))).toBe(before + 1);
  });

  it('keeps talents invisible to a sibling subtree through every path', async () => {
    const { data } = await server.gql('{ talents { totalCount edges { node { id } } } }', {}, admin);
    expect(data.talents.totalCount).toBe(3);
    const id = data.talents.edges[0].node.id;
    const sibling = await server.gql(
      `query ($id: ID!, $under: ID!) {
        talent(id: $id) { id } node(id: $id) { id }
        talents { totalCount } talentPipeline { total columns { count } } overdueTalents { totalCount }
        activities(kinds: ["dual-cultivation.stageAdvanced"]) { totalCount }
        under: talents(filter: { under: $under }) { totalCount }
      }`,
      { id, under: mzj },
      siblingAdmin,
    );
    expect(sibling.data).toBeNull();
    expect(code(sibling)).toBe('NOT_FOUND'); // `under` outside the subtree reads as a missing organization
    const own = await server.gql(
      `query ($id: ID!) { talent(id: $id) { id } node(id: $id) { id } talents { totalCount } talentPipeline { total columns { count } } overdueTalents { totalCount }
        activities(kinds: ["dual-cultivation.stageAdvanced"]) { totalCount } }`,
      { id },
      siblingAdmin,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({
      talent: null,
      node: null,
      talents: { totalCount: 0 },
      talentPipeline: { total: 0, columns: [{ count: 0 }, { count: 0 }, { count: 0 }, { count: 0 }] },
      overdueTalents: { totalCount: 0 },
      activities: { totalCount: 0 },
    });
    expect(code(await record(siblingAdmin, id, { step: 2, date: '2022-01-10', account: '谈话' }))).toBe('NOT_FOUND');
    expect(code(await start(siblingAdmin, { talentId: id, organizationId: shjz, appliedAt: '2022-01-10' }))).toBe('NOT_FOUND');
    // Nor does the record behind a talent answer the sibling.
    const { data: own2 } = await server.gql(
      `{ talents(filter: { search: "王致富" }) { edges { node { development { id } } } } }`,
      {},
      admin,
    );
    const recordId = own2.talents.edges[0].node.development.id;
    const viaCore = await server.gql(
      'query ($id: ID!) { node(id: $id) { id } developmentRecord(id: $id) { id } }',
      { id: recordId },
      siblingAdmin,
    );
    expect(viaCore.data).toEqual({ node: null, developmentRecord: null });
    expect(
      code(
        await server.gql(
          REGISTER,
          { input: { organizationId: mzj, name: '某', gender: 'MALE', trade: '养殖', village: '某村' } },
          siblingAdmin,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      code(
        await server.gql(
          REGISTER,
          { input: { organizationId: mzj, name: '某', gender: 'MALE', trade: '养殖', village: '某村' } },
          memberViewer,
        ),
      ),
    ).toBe('FORBIDDEN');
  });

  it('shows the pipeline board and overdue stages of a subtree', async () => {
    const register = async (name: string, seq: string) =>
      (
        await server.gql(
          REGISTER,
          {
            input: {
              organizationId: shjz,
              name,
              gender: 'FEMALE',
              trade: '农家乐',
              village: '南湖村',
              nationalId: nationalId('19920101', seq),
            },
          },
          admin,
        )
      ).data.registerTalent.id;
    const today = new Date();
    const iso = (months: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
    const recent = await register('赵新申', '102');
    const stale = await register('钱久等', '104');
    expect((await start(admin, { talentId: recent, organizationId: shjz, appliedAt: iso(-1) })).errors).toBeUndefined();
    expect((await start(admin, { talentId: stale, organizationId: shjz, appliedAt: iso(-8) })).errors).toBeUndefined();
    const board = await server.gql(
      '{ talentPipeline { total columns { stage count talents { totalCount edges { node { name stageOverdue stageDueBy } } } } } overdueTalents { totalCount edges { node { name stage } } } }',
      {},
      admin,
    );
    expect(board.errors).toBeUndefined();
    const columns = Object.fromEntries(board.data.talentPipeline.columns.map((c: { stage: string }) => [c.stage, c]));
    // 王致富 became probationary in 2023: outside the probation year, so off the board.
    expect(board.data.talentPipeline.total).toBe(3);
    expect(columns.APPLICANT.count).toBe(2);
    expect(columns.APPLICANT.talents.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['钱久等', '赵新申']);
    expect(columns.APPLICANT.talents.edges[0].node).toMatchObject({ stageOverdue: true, stageDueBy: iso(-2) });
    expect(columns.DEVELOPMENT_TARGET).toMatchObject({
      count: 1,
      talents: { totalCount: 1, edges: [{ node: { name: '李巧手', stageOverdue: true } }] },
    });
    expect(columns.ACTIVIST.count).toBe(0);
    expect(columns.PROBATIONARY.count).toBe(0);
    expect(board.data.overdueTalents.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['李巧手', '钱久等']);
  });

  it('streams stages reached in the subscriber’s subtree only', async () => {
    const kxBranch = await server.db.client.organization.findFirstOrThrow({
      where: { code: { startsWith: 'SZJGGW-KX-' }, kind: 'BRANCH' },
    });
    const kxTalent = await server.gql(
      REGISTER,
      {
        input: {
          organizationId: globalId('Organization', kxBranch.id),
          name: '孙科普',
          trade: '科普',
          village: '北坡村',
          nationalId: nationalId('19850606', '135'),
        },
      },
      siblingAdmin,
    );
    const mzjTalent = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '周创业', trade: '物流', village: '东山村', nationalId: nationalId('19870707', '157') } },
      admin,
    );
    const mzjStream = nextResults(server.ws(admin), 'subscription { talentStageAdvanced { stage talent { name } } }', {}, 1);
    const kxStream = nextResults(server.ws(siblingAdmin), 'subscription { talentStageAdvanced { stage talent { name } } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));
    await start(siblingAdmin, {
      talentId: kxTalent.data.registerTalent.id,
      organizationId: globalId('Organization', kxBranch.id),
      appliedAt: '2024-05-06',
    });
    await start(admin, { talentId: mzjTalent.data.registerTalent.id, organizationId: shjz, appliedAt: '2024-05-06' });
    expect((await mzjStream.done).map((r) => r.data?.talentStageAdvanced)).toEqual([{ stage: 'APPLICANT', talent: { name: '周创业' } }]);
    expect((await kxStream.done).map((r) => r.data?.talentStageAdvanced)).toEqual([{ stage: 'APPLICANT', talent: { name: '孙科普' } }]);
  });
});
