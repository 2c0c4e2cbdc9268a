import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommunity, day, errorOf, ok, REGISTER, register, setUp, type Fixture } from './helpers.ts';

describe('community-report: communities, registrations (报到) and certificates', () => {
  let fx: Fixture;
  let xingfu: string; // 幸福里社区
  let heping: string; // 和平社区

  beforeAll(async () => {
    fx = await setUp();
    xingfu = await createCommunity(fx, '幸福里社区');
    heping = await createCommunity(fx, '和平社区');
  });
  afterAll(() => fx?.server.close());

  it('communities are kept by an ADMIN of the top-level working committee, unique by name', async () => {
    const input = { input: { name: '光明社区' } };
    const create = 'mutation ($input: CommunityInput!) { createCommunity(input: $input) { id name } }';
    expect(errorOf(await fx.server.gql(create, input, fx.tokens.mzj))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await fx.server.gql(create, input, fx.tokens.mzjSecretary))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await fx.server.gql(create, { input: { name: '幸福里社区' } }, fx.tokens.root))).toEqual({
      code: 'CONFLICT',
      field: 'input.name',
    });
    expect(errorOf(await fx.server.gql(create, { input: { name: '  ' } }, fx.tokens.root))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    const renamed = await ok(
      fx,
      'mutation ($id: ID!) { updateCommunity(id: $id, input: { street: "人民街道" }) { name street district } }',
      { id: heping },
      fx.tokens.root,
    );
    expect(renamed.updateCommunity).toEqual({ name: '和平社区', street: '人民街道', district: '中心区' });

    const list = await ok(fx, '{ communities(search: "社区") { totalCount edges { node { name } } } }', {}, fx.tokens.kx);
    expect(list.communities.totalCount).toBe(2);
    expect(list.communities.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['和平社区', '幸福里社区']);
  });

  it('registers an organization or a member, exactly one of the two, with the right checks', async () => {
    const both = await fx.server.gql(
      REGISTER,
      { input: { communityId: xingfu, organizationId: fx.orgs.mzjBranch, memberId: fx.members.mzjA, date: day(1) } },
      fx.tokens.mzj,
    );
    expect(errorOf(both)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
    const neither = await fx.server.gql(REGISTER, { input: { communityId: xingfu, date: day(1) } }, fx.tokens.mzj);
    expect(errorOf(neither)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
    const future = await fx.server.gql(
      REGISTER,
      { input: { communityId: xingfu, memberId: fx.members.mzjA, date: '2999-01-01' } },
      fx.tokens.mzj,
    );
    expect(errorOf(future)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.date' });
    // A member of another agency is as unknown to 市民政局 as a member that does not exist.
    const outside = await fx.server.gql(REGISTER, { input: { communityId: xingfu, memberId: fx.members.kx, date: day(1) } }, fx.tokens.mzj);
    expect(errorOf(outside)).toEqual({ code: 'NOT_FOUND' });
    // Ordinary members do not keep records.
    const member = await fx.server.gql(
      REGISTER,
      { input: { communityId: xingfu, memberId: fx.members.mzjA, date: day(1) } },
      fx.tokens.mzjMember,
    );
    expect(errorOf(member)).toEqual({ code: 'FORBIDDEN' });

    const org = await ok(fx, REGISTER, { input: { communityId: xingfu, organizationId: fx.orgs.mzj, date: day(10) } }, fx.tokens.mzj);
    expect(org.registerWithCommunity).toMatchObject({
      kind: 'ORGANIZATION',
      status: 'REGISTERED',
      holderName: '市民政局机关党委',
      community: { name: '幸福里社区' },
    });
    expect(org.registerWithCommunity.certificateNo).toMatch(/^SQBD-\d{4}-[0-9A-F]{10}$/);
    const again = await fx.server.gql(
      REGISTER,
      { input: { communityId: xingfu, organizationId: fx.orgs.mzj, date: day(5) } },
      fx.tokens.mzj,
    );
    expect(errorOf(again)).toEqual({ code: 'CONFLICT', field: 'input.organizationId' });
    // The same organization may register with a second community (双结对 with several communities).
    await register(fx, fx.tokens.mzj, { communityId: heping, organizationId: fx.orgs.mzj });
  });

  it('a member has at most one active personal registration, even under concurrent requests', async () => {
    const personal = await ok(
      fx,
      REGISTER,
      { input: { communityId: xingfu, memberId: fx.members.mzjA, date: day(3) } },
      fx.tokens.mzjSecretary,
    );
    expect(personal.registerWithCommunity).toMatchObject({
      kind: 'MEMBER',
      holderName: fx.names.mzjA,
      organizationName: '社会救助处党支部',
    });
    const second = await fx.server.gql(
      REGISTER,
      { input: { communityId: heping, memberId: fx.members.mzjA, date: day(2) } },
      fx.tokens.mzj,
    );
    expect(errorOf(second)).toEqual({ code: 'CONFLICT', field: 'input.memberId' });

    const racing = await Promise.all(
      [xingfu, heping].map((communityId) =>
        fx.server.gql(REGISTER, { input: { communityId, memberId: fx.members.mzjB, date: day(2) } }, fx.tokens.mzj),
      ),
    );
    expect(racing.filter((r) => !r.errors).length).toBe(1);
    expect(racing.map((r) => errorOf(r).code).filter(Boolean)).toEqual(['CONFLICT']);

    // Withdrawn, the member may register elsewhere; withdrawing twice is an illegal transition.
    const withdraw = 'mutation ($id: ID!, $date: Date) { withdrawCommunityRegistration(id: $id, date: $date) { status withdrawnOn } }';
    const early = await fx.server.gql(withdraw, { id: personal.registerWithCommunity.id, date: day(20) }, fx.tokens.mzj);
    expect(errorOf(early)).toEqual({ code: 'BAD_USER_INPUT', field: 'date' });
    expect(errorOf(await fx.server.gql(withdraw, { id: personal.registerWithCommunity.id }, fx.tokens.kx))).toEqual({ code: 'NOT_FOUND' });
    const done = await ok(fx, withdraw, { id: personal.registerWithCommunity.id, date: day(1) }, fx.tokens.mzj);
    expect(done.withdrawCommunityRegistration).toEqual({ status: 'WITHDRAWN', withdrawnOn: day(1) });
    expect(errorOf(await fx.server.gql(withdraw, { id: personal.registerWithCommunity.id }, fx.tokens.mzj))).toEqual({
      code: 'ILLEGAL_STATE',
      state: 'WITHDRAWN',
    });
    await register(fx, fx.tokens.mzj, { communityId: heping, memberId: fx.members.mzjA, date: day(0) });
  });

  it('prints a certificate (报到证) for registrations you may see, and nothing for others', async () => {
    const id = await register(fx, fx.tokens.kx, { communityId: heping, memberId: fx.members.kx });
    const query = `query ($id: ID!) { communityRegistrationCertificate(registrationId: $id) {
      certificateNo title kind holderName organizationName agency communityName street district communityPartyOrganization registeredOn valid issuedOn } }`;
    const cert = (await ok(fx, query, { id }, fx.tokens.kx)).communityRegistrationCertificate;
    expect(cert).toMatchObject({
      title: '在职党员到社区报到证',
      kind: 'MEMBER',
      holderName: fx.names.kx,
      organizationName: '学会部党支部',
      agency: '市科协',
      communityName: '和平社区',
      street: '人民街道',
      district: '中心区',
      communityPartyOrganization: '和平社区党委',
      registeredOn: day(30),
      valid: true,
      issuedOn: day(0),
    });
    expect(cert.certificateNo).toMatch(/^SQBD-/);
    // 市民政局 cannot see 市科协's registration: null, like one that does not exist.
    expect((await ok(fx, query, { id }, fx.tokens.mzj)).communityRegistrationCertificate).toBeNull();
    expect((await ok(fx, 'query ($id: ID!) { node(id: $id) { id } }', { id }, fx.tokens.mzj)).node).toBeNull();
    expect(
      (await ok(fx, 'query ($id: ID!) { node(id: $id) { ... on CommunityRegistration { holderName } } }', { id }, fx.tokens.root)).node,
    ).toEqual({ holderName: fx.names.kx });
  });

  it('lists registrations by subtree with filters, and records a registered activity each', async () => {
    const list = `query ($f: CommunityRegistrationFilter) { communityRegistrations(filter: $f) { totalCount edges { node { holderName kind status member { name } organization { code } } } } }`;
    const mzj = (await ok(fx, list, {}, fx.tokens.mzj)).communityRegistrations;
    // Organization twice (two communities), mzjA twice (one withdrawn), mzjB once.
    expect(mzj.totalCount).toBe(5);
    expect(mzj.edges.every((e: { node: { organization: { code: string } } }) => e.node.organization.code.startsWith('SZJGGW-MZJ'))).toBe(
      true,
    );
    const active = (await ok(fx, list, { f: { status: 'REGISTERED', kind: 'MEMBER' } }, fx.tokens.mzj)).communityRegistrations;
    expect(active.totalCount).toBe(2);
    expect(active.edges.map((e: { node: { member: { name: string } } }) => e.node.member.name).sort()).toEqual(
      [fx.names.mzjA, fx.names.mzjB].sort(),
    );
    const branch = (await ok(fx, list, { f: { under: fx.orgs.mzjBranch } }, fx.tokens.mzj)).communityRegistrations;
    expect(branch.totalCount).toBe(2);
    expect(errorOf(await fx.server.gql(list, { f: { under: fx.orgs.kx } }, fx.tokens.mzj))).toEqual({ code: 'NOT_FOUND' });
    const kx = (await ok(fx, list, {}, fx.tokens.kx)).communityRegistrations;
    expect(kx.totalCount).toBe(1);
    expect((await ok(fx, list, {}, fx.tokens.root)).communityRegistrations.totalCount).toBe(6);

    const feed = await ok(
      fx,
      '{ activities(kinds: ["community-report.registered"]) { totalCount edges { node { summary } } } }',
      {},
      fx.tokens.mzj,
    );
    expect(feed.activities.totalCount).toBe(5);
    expect(feed.activities.edges.map((e: { node: { summary: string } }) => e.node.summary)).toContain(`${fx.names.mzjA}到幸福里社区报到`);
  });
});

describe('community-report: volunteer teams (总队 → 支队 → 分队)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await setUp();
  });
  afterAll(() => fx?.server.close());

  const CREATE =
    'mutation ($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { id name level leader { name } members { totalCount } parent { name } } }';

  it('nests levels, keeps teams within their parent’s organization, and shows each agency only its own', async () => {
    const rootOrg = Buffer.from(`Organization:${fx.rootId}`).toString('base64');
    const corps = (
      await ok(fx, CREATE, { input: { organizationId: rootOrg, name: '市直机关党员志愿服务总队', level: 'CORPS' } }, fx.tokens.root)
    ).createVolunteerTeam;
    expect(corps).toMatchObject({ level: 'CORPS', leader: null, members: { totalCount: 0 }, parent: null });

    const badCorps = await fx.server.gql(
      CREATE,
      { input: { organizationId: fx.orgs.mzj, name: 'x', level: 'CORPS', parentTeamId: corps.id } },
      fx.tokens.root,
    );
    expect(errorOf(badCorps)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.parentTeamId' });
    const orphan = await fx.server.gql(CREATE, { input: { organizationId: fx.orgs.mzj, name: 'x', level: 'DETACHMENT' } }, fx.tokens.root);
    expect(errorOf(orphan)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.level' });
    // 市民政局 cannot see the root's corps: NOT_FOUND.
    const hidden = await fx.server.gql(
      CREATE,
      { input: { organizationId: fx.orgs.mzj, name: 'x', level: 'DETACHMENT', parentTeamId: corps.id } },
      fx.tokens.mzj,
    );
    expect(errorOf(hidden)).toEqual({ code: 'NOT_FOUND' });

    const detachment = (
      await ok(
        fx,
        CREATE,
        {
          input: {
            organizationId: fx.orgs.mzj,
            name: '民政支队',
            level: 'DETACHMENT',
            parentTeamId: corps.id,
            leaderMemberId: fx.members.mzjB,
          },
        },
        fx.tokens.root,
      )
    ).createVolunteerTeam;
    expect(detachment).toMatchObject({
      level: 'DETACHMENT',
      leader: { name: fx.names.mzjB },
      members: { totalCount: 1 },
      parent: { name: '市直机关党员志愿服务总队' },
    });
    const squadUnderCorps = await fx.server.gql(
      CREATE,
      { input: { organizationId: fx.orgs.mzjBranch, name: '救助分队', level: 'SQUAD', parentTeamId: corps.id } },
      fx.tokens.root,
    );
    expect(errorOf(squadUnderCorps)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.parentTeamId' });
    const squadElsewhere = await fx.server.gql(
      CREATE,
      { input: { organizationId: fx.orgs.kx, name: '科协分队', level: 'SQUAD', parentTeamId: detachment.id } },
      fx.tokens.root,
    );
    expect(errorOf(squadElsewhere)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
    const leaderOutside = await fx.server.gql(
      CREATE,
      {
        input: {
          organizationId: fx.orgs.mzjBranch,
          name: '救助分队',
          level: 'SQUAD',
          parentTeamId: detachment.id,
          leaderMemberId: fx.members.mzjB,
        },
      },
      fx.tokens.mzj,
    );
    expect(errorOf(leaderOutside)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.leaderMemberId' });
    const squad = (
      await ok(
        fx,
        CREATE,
        { input: { organizationId: fx.orgs.mzjBranch, name: '救助分队', level: 'SQUAD', parentTeamId: detachment.id } },
        fx.tokens.mzjSecretary,
      )
    ).createVolunteerTeam;
    expect(squad.parent).toEqual({ name: '民政支队' });
    const dup = await fx.server.gql(
      CREATE,
      { input: { organizationId: fx.orgs.mzjBranch, name: '救助分队', level: 'SQUAD', parentTeamId: detachment.id } },
      fx.tokens.mzj,
    );
    expect(errorOf(dup)).toEqual({ code: 'CONFLICT', field: 'input.name' });

    const add =
      'mutation ($t: ID!, $m: ID!) { addVolunteerTeamMember(teamId: $t, memberId: $m) { members { totalCount edges { node { member { name } } } } } }';
    expect((await ok(fx, add, { t: squad.id, m: fx.members.mzjA }, fx.tokens.mzj)).addVolunteerTeamMember.members.totalCount).toBe(1);
    expect(errorOf(await fx.server.gql(add, { t: squad.id, m: fx.members.mzjA }, fx.tokens.mzj))).toEqual({
      code: 'CONFLICT',
      field: 'memberId',
    });
    expect(errorOf(await fx.server.gql(add, { t: squad.id, m: fx.members.mzjB }, fx.tokens.mzj))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'memberId',
    });
    const leader = await ok(
      fx,
      'mutation ($t: ID!, $m: ID!) { setVolunteerTeamLeader(teamId: $t, memberId: $m) { leader { name } members { totalCount } } }',
      { t: squad.id, m: fx.members.mzjA },
      fx.tokens.mzj,
    );
    expect(leader.setVolunteerTeamLeader).toEqual({ leader: { name: fx.names.mzjA }, members: { totalCount: 1 } });
    const remove = 'mutation ($t: ID!, $m: ID!) { removeVolunteerTeamMember(teamId: $t, memberId: $m) { members { totalCount } } }';
    expect(errorOf(await fx.server.gql(remove, { t: squad.id, m: fx.members.mzjA }, fx.tokens.mzj))).toEqual({
      code: 'CONFLICT',
      field: 'memberId',
    });

    const teams = '{ volunteerTeams { totalCount edges { node { name level parent { name } children { name } } } } }';
    const fromMzj = (await ok(fx, teams, {}, fx.tokens.mzj)).volunteerTeams;
    expect(fromMzj.totalCount).toBe(2);
    // The detachment's parent, the root's corps, lies outside 市民政局's subtree: null.
    expect(fromMzj.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { name: '民政支队', level: 'DETACHMENT', parent: null, children: [{ name: '救助分队' }] },
      { name: '救助分队', level: 'SQUAD', parent: { name: '民政支队' }, children: [] },
    ]);
    expect((await ok(fx, teams, {}, fx.tokens.kx)).volunteerTeams.totalCount).toBe(0);
    expect(
      (await ok(fx, '{ volunteerTeams(level: CORPS) { edges { node { children { name } } } } }', {}, fx.tokens.root)).volunteerTeams.edges,
    ).toEqual([{ node: { children: [{ name: '民政支队' }] } }]);
    expect((await ok(fx, 'query ($id: ID!) { node(id: $id) { id } }', { id: squad.id }, fx.tokens.kx)).node).toBeNull();
  });
});
