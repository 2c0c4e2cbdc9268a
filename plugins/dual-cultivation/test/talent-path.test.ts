import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { globalId, nextResults, orgId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { dualCultivationPlugin } from '../src/index.ts';

/** A valid national ID born on `birth` (YYYYMMDD) with a sequence whose last digit gives the sex. */
const nationalId = (birth: string, seq: string) => `110105${birth}${seq}${nationalIdChecksum(`110105${birth}${seq}`)}`;

const TALENT_FIELDS = `id name stage stageSince isMember nationalId phone stages { stage date note cultivator { name } }
  member { status joinedAt organization { code } }`;
const REGISTER = `mutation ($input: RegisterTalentInput!) { registerTalent(input: $input) { ${TALENT_FIELDS} } }`;
const ADVANCE = `mutation ($input: AdvanceTalentStageInput!) { advanceTalentStage(input: $input) { ${TALENT_FIELDS} } }`;

describe('dual-cultivation: the path of a talent into the party, masking and subtree isolation', () => {
  let server: TestServer;
  let admin: string; // ADMIN of 市民政局机关党委
  let memberViewer: string; // MEMBER of 市民政局机关党委
  let siblingAdmin: string; // ADMIN of 市科协机关党委, a sibling subtree
  let mzj: string;
  let shjz: string;
  let cultivator: string;
  let kxCultivator: string;

  const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
  const advance = (token: string, input: Record<string, unknown>) => server.gql(ADVANCE, { input }, token);

  beforeAll(async () => {
    server = await startTestServer({ plugins: [dualCultivationPlugin] });
    admin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    memberViewer = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-member');
    siblingAdmin = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    mzj = await orgId(server.db, 'SZJGGW-MZJ');
    shjz = await orgId(server.db, 'SZJGGW-MZJ-SHJZ');
    const full = (prefix: string) =>
      server.db.client.member.findFirstOrThrow({
        where: { status: 'FULL', joinedAt: { lt: new Date('2020-01-01') }, organization: { code: { startsWith: prefix } } },
        orderBy: { id: 'asc' },
      });
    cultivator = globalId('Member', (await full('SZJGGW-MZJ-')).id);
    kxCultivator = globalId('Member', (await full('SZJGGW-KX-')).id);
  });
  afterAll(() => server?.close());

  it('walks a talent from applicant to probationary member, refusing skips, going back and too-early steps', async () => {
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
    expect(talent).toMatchObject({ stage: null, isMember: false, nationalId: `1101**********${id.slice(14)}`, phone: '138****5678' });

    // The path starts at APPLICANT only.
    const early = await advance(admin, { talentId: talent.id, stage: 'ACTIVIST', date: '2022-01-10', cultivatorId: cultivator });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'NONE' });
    const applied = await advance(admin, { talentId: talent.id, stage: 'APPLICANT', date: '2022-01-10', note: '递交入党申请书' });
    expect(applied.data.advanceTalentStage).toMatchObject({ stage: 'APPLICANT', stageSince: '2022-01-10' });

    // Skipping a stage names the current one.
    const skip = await advance(admin, { talentId: talent.id, stage: 'DEVELOPMENT_TARGET', date: '2023-06-01', cultivatorId: cultivator });
    expect(skip.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'APPLICANT' });
    // A cultivator is required from ACTIVIST on, and the activist needs a month as applicant.
    expect((await advance(admin, { talentId: talent.id, stage: 'ACTIVIST', date: '2022-03-01' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.cultivatorId',
    });
    expect(
      (await advance(admin, { talentId: talent.id, stage: 'ACTIVIST', date: '2022-02-09', cultivatorId: cultivator })).errors?.[0]
        ?.extensions,
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.date',
    });
    const activist = await advance(admin, { talentId: talent.id, stage: 'ACTIVIST', date: '2022-03-01', cultivatorId: cultivator });
    expect(activist.errors).toBeUndefined();

    // Going back is refused.
    const back = await advance(admin, { talentId: talent.id, stage: 'APPLICANT', date: '2022-04-01' });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'ACTIVIST' });
    // An activist is cultivated for at least a year: 2023-02-28 is a day early.
    const tooEarly = await advance(admin, {
      talentId: talent.id,
      stage: 'DEVELOPMENT_TARGET',
      date: '2023-02-28',
      cultivatorId: cultivator,
    });
    expect(tooEarly.errors?.[0]).toMatchObject({
      message: expect.stringContaining('2023-03-01'),
      extensions: { code: 'BAD_USER_INPUT', field: 'input.date' },
    });
    // Dates are never in the future.
    const future = await advance(admin, { talentId: talent.id, stage: 'DEVELOPMENT_TARGET', date: '2999-01-01', cultivatorId: cultivator });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
    expect(
      (await advance(admin, { talentId: talent.id, stage: 'DEVELOPMENT_TARGET', date: '2023-03-01', cultivatorId: cultivator })).errors,
    ).toBeUndefined();

    // PROBATIONARY needs a branch: the talent is followed by a committee, so one must be named.
    const noBranch = await advance(admin, { talentId: talent.id, stage: 'PROBATIONARY', date: '2023-06-15', cultivatorId: cultivator });
    expect(noBranch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.branchId' });
    expect(await server.db.client.member.count({ where: { nationalId: id } })).toBe(0);
    const developed = await advance(admin, {
      talentId: talent.id,
      stage: 'PROBATIONARY',
      date: '2023-06-15',
      cultivatorId: cultivator,
      branchId: shjz,
      note: '支部大会通过',
    });
    expect(developed.errors).toBeUndefined();
    expect(developed.data.advanceTalentStage).toMatchObject({
      stage: 'PROBATIONARY',
      isMember: true,
      member: { status: 'PROBATIONARY', joinedAt: '2023-06-15', organization: { code: 'SZJGGW-MZJ-SHJZ' } },
    });
    expect(developed.data.advanceTalentStage.stages.map((s: { stage: string; date: string }) => `${s.stage}@${s.date}`)).toEqual([
      'APPLICANT@2022-01-10',
      'ACTIVIST@2022-03-01',
      'DEVELOPMENT_TARGET@2023-03-01',
      'PROBATIONARY@2023-06-15',
    ]);
    const member = await server.db.client.member.findUniqueOrThrow({ where: { nationalIdHash: server.vault.lookupHash(id) } });
    expect(member).toMatchObject({ name: '王致富', gender: 'MALE', status: 'PROBATIONARY', birthDate: new Date('1990-03-07T00:00:00Z') });
    // The member row holds the talent's ID encrypted for the member column, not a copy of the talent's ciphertext.
    expect(member.nationalId).toMatch(/^v1\./);
    expect(server.vault.decrypt(member.nationalId!, 'Member.nationalId')).toBe(id);

    // The path is complete; the events were recorded.
    const again = await advance(admin, {
      talentId: talent.id,
      stage: 'PROBATIONARY',
      date: '2023-07-01',
      cultivatorId: cultivator,
      branchId: shjz,
    });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_STATE', state: 'PROBATIONARY' });
    const feed = await server.gql(
      '{ activities(kinds: ["dual-cultivation.stageAdvanced", "dual-cultivation.memberDeveloped"]) { totalCount } }',
      {},
      admin,
    );
    expect(feed.data.activities.totalCount).toBe(5);
  });

  it('refuses to develop a talent whose national ID a member already holds, writing nothing', async () => {
    const id = nationalId('19880512', '246');
    const { data } = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '李巧手', trade: '电商', village: '西河村', nationalId: id } },
      admin,
    );
    const talentId = data.registerTalent.id;
    await advance(admin, { talentId, stage: 'APPLICANT', date: '2021-01-04' });
    await advance(admin, { talentId, stage: 'ACTIVIST', date: '2021-03-01', cultivatorId: cultivator });
    await advance(admin, { talentId, stage: 'DEVELOPMENT_TARGET', date: '2022-03-01', cultivatorId: cultivator });
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
    const result = await advance(admin, { talentId, stage: 'PROBATIONARY', date: '2022-07-01', cultivatorId: cultivator });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await server.db.client.member.count()).toBe(members);
    const talent = await server.gql('query ($id: ID!) { talent(id: $id) { stage isMember } }', { id: talentId }, admin);
    expect(talent.data.talent).toEqual({ stage: 'DEVELOPMENT_TARGET', isMember: false });
    // A national ID already held by a member cannot be registered on a new talent either.
    const dup = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '李巧手', trade: '电商', village: '西河村', nationalId: id } },
      admin,
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.nationalId' });
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
    expect(data.talents.totalCount).toBe(2);
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
    const write = await advance(siblingAdmin, { talentId: id, stage: 'ACTIVIST', date: '2022-01-10', cultivatorId: kxCultivator });
    expect(code(write)).toBe('NOT_FOUND');
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
    const register = async (name: string) =>
      (await server.gql(REGISTER, { input: { organizationId: shjz, name, gender: 'FEMALE', trade: '农家乐', village: '南湖村' } }, admin))
        .data.registerTalent.id;
    const today = new Date();
    const iso = (months: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
    const recent = await register('赵新申');
    const stale = await register('钱久等');
    await advance(admin, { talentId: recent, stage: 'APPLICANT', date: iso(-1) });
    await advance(admin, { talentId: stale, stage: 'APPLICANT', date: iso(-8) });
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
        input: { organizationId: globalId('Organization', kxBranch.id), name: '孙科普', gender: 'MALE', trade: '科普', village: '北坡村' },
      },
      siblingAdmin,
    );
    const mzjTalent = await server.gql(
      REGISTER,
      { input: { organizationId: shjz, name: '周创业', gender: 'MALE', trade: '物流', village: '东山村' } },
      admin,
    );
    const mzjStream = nextResults(server.ws(admin), 'subscription { talentStageAdvanced { stage talent { name } } }', {}, 1);
    const kxStream = nextResults(server.ws(siblingAdmin), 'subscription { talentStageAdvanced { stage talent { name } } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));
    await advance(siblingAdmin, { talentId: kxTalent.data.registerTalent.id, stage: 'APPLICANT', date: '2024-05-06' });
    await advance(admin, { talentId: mzjTalent.data.registerTalent.id, stage: 'APPLICANT', date: '2024-05-06' });
    expect((await mzjStream.done).map((r) => r.data?.talentStageAdvanced)).toEqual([{ stage: 'APPLICANT', talent: { name: '周创业' } }]);
    expect((await kxStream.done).map((r) => r.data?.talentStageAdvanced)).toEqual([{ stage: 'APPLICANT', talent: { name: '孙科普' } }]);
  });
});
