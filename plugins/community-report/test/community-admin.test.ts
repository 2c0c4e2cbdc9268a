import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communityAdminToken,
  createCommunity,
  day,
  errorOf,
  ok,
  PUBLISH,
  RECORD_SERVICE,
  REGISTER,
  register,
  setUp,
  type Fixture,
} from './helpers.ts';

describe('community-report: a community administrator sees their community and nothing else', () => {
  let fx: Fixture;
  let xingfu: string;
  let heping: string;
  let xingfuAdmin: string;
  let hepingRegistration: string;
  let hepingService: string;
  let hepingDemand: string;

  beforeAll(async () => {
    fx = await setUp();
    xingfu = await createCommunity(fx, '幸福里社区');
    heping = await createCommunity(fx, '和平社区');
    xingfuAdmin = await communityAdminToken(fx, xingfu, 'xingfu-admin');
    const hepingAdmin = await communityAdminToken(fx, heping, 'heping-admin');

    await register(fx, fx.tokens.mzj, { communityId: xingfu, organizationId: fx.orgs.mzj });
    await register(fx, fx.tokens.mzj, { communityId: xingfu, memberId: fx.members.mzjA });
    hepingRegistration = await register(fx, fx.tokens.kx, { communityId: heping, memberId: fx.members.kx });

    const xDemand = (await ok(fx, PUBLISH, { input: { kind: 'MICRO_WISH', title: '代购药品', capacity: 2 } }, xingfuAdmin))
      .publishCommunityDemand.id;
    hepingDemand = (await ok(fx, PUBLISH, { input: { kind: 'HELP_POST', title: '文明劝导岗', capacity: 2 } }, hepingAdmin))
      .publishCommunityDemand.id;
    const claim = 'mutation ($d: ID!, $m: ID!) { claimCommunityDemand(demandId: $d, memberId: $m) { id } }';
    await ok(fx, claim, { d: xDemand, m: fx.members.mzjA }, fx.tokens.mzj);
    await ok(fx, claim, { d: hepingDemand, m: fx.members.kx }, fx.tokens.kx);

    const service = (memberId: string, communityId: string, token: string) =>
      ok(
        fx,
        RECORD_SERVICE,
        { input: { memberId, communityId, kind: 'ENVIRONMENT', date: day(1), hours: '2', description: '清理楼道' } },
        token,
      );
    await service(fx.members.mzjA, xingfu, fx.tokens.mzj);
    await service(fx.members.mzjB, xingfu, fx.tokens.mzj); // through 市民政局's organization registration
    hepingService = (await service(fx.members.kx, heping, fx.tokens.kx)).recordCommunityService.id;
  });
  afterAll(() => fx?.server.close());

  it('reads exactly the registrations, demands, claims and services of their community, with names', async () => {
    const data = await ok(
      fx,
      `{
        communities { totalCount edges { node { name } } }
        communityRegistrations { totalCount edges { node { kind holderName organizationName member { id } organization { id } community { name } } } }
        communityDemands { totalCount edges { node { title claims { memberName organizationName member { id } } } } }
        communityDemandClaims { totalCount edges { node { memberName demand { title } } } }
        communityServiceRecords { totalCount edges { node { memberName organizationName member { id } community { name } } } }
      }`,
      {},
      xingfuAdmin,
    );
    expect(data.communities).toEqual({ totalCount: 1, edges: [{ node: { name: '幸福里社区' } }] });
    expect(data.communityRegistrations.totalCount).toBe(2);
    expect(data.communityRegistrations.edges.map((e: { node: unknown }) => e.node)).toEqual(
      expect.arrayContaining([
        {
          kind: 'ORGANIZATION',
          holderName: '市民政局机关党委',
          organizationName: '市民政局机关党委',
          member: null,
          organization: null,
          community: { name: '幸福里社区' },
        },
        {
          kind: 'MEMBER',
          holderName: fx.names.mzjA,
          organizationName: '社会救助处党支部',
          member: null,
          organization: null,
          community: { name: '幸福里社区' },
        },
      ]),
    );
    expect(data.communityDemands).toEqual({
      totalCount: 1,
      edges: [{ node: { title: '代购药品', claims: [{ memberName: fx.names.mzjA, organizationName: '社会救助处党支部', member: null }] } }],
    });
    expect(data.communityDemandClaims).toEqual({
      totalCount: 1,
      edges: [{ node: { memberName: fx.names.mzjA, demand: { title: '代购药品' } } }],
    });
    expect(data.communityServiceRecords.totalCount).toBe(2);
    expect(data.communityServiceRecords.edges.map((e: { node: { memberName: string } }) => e.node.memberName).sort()).toEqual(
      [fx.names.mzjA, fx.names.mzjB].sort(),
    );
  });

  it('another community’s rows answer like missing ones, by id, node, filter and certificate', async () => {
    const byId = await ok(
      fx,
      `query ($c: ID!, $r: ID!, $s: ID!, $d: ID!) {
        community(id: $c) { name }
        c: node(id: $c) { id } r: node(id: $r) { id } s: node(id: $s) { id } d: node(id: $d) { id }
        communityRegistrationCertificate(registrationId: $r) { holderName }
        communityRegistrations(filter: { communityId: $c }) { totalCount }
        communityDemands(filter: { communityId: $c }) { totalCount }
        communityServiceRecords(filter: { communityId: $c }) { totalCount }
        communityDemandClaims(filter: { communityId: $c }) { totalCount }
      }`,
      { c: heping, r: hepingRegistration, s: hepingService, d: hepingDemand },
      xingfuAdmin,
    );
    expect(byId).toEqual({
      community: null,
      c: null,
      r: null,
      s: null,
      d: null,
      communityRegistrationCertificate: null,
      communityRegistrations: { totalCount: 0 },
      communityDemands: { totalCount: 0 },
      communityServiceRecords: { totalCount: 0 },
      communityDemandClaims: { totalCount: 0 },
    });
    // Nor may they act on it.
    expect(
      errorOf(
        await fx.server.gql('mutation ($id: ID!) { verifyCommunityService(id: $id) { status } }', { id: hepingService }, xingfuAdmin),
      ),
    ).toEqual({ code: 'NOT_FOUND' });
    expect(
      errorOf(await fx.server.gql('mutation ($id: ID!) { closeCommunityDemand(id: $id) { status } }', { id: hepingDemand }, xingfuAdmin)),
    ).toEqual({ code: 'NOT_FOUND' });
  });

  it('holds no agency role: no agency writes, no teams, no rankings, no organizations or members through the plugin', async () => {
    expect(
      errorOf(await fx.server.gql(REGISTER, { input: { communityId: xingfu, memberId: fx.members.mzjB, date: day(1) } }, xingfuAdmin)),
    ).toEqual({ code: 'FORBIDDEN' });
    const service = { memberId: fx.members.mzjA, communityId: xingfu, kind: 'OTHER', date: day(1), hours: '1', description: 'x' };
    expect(errorOf(await fx.server.gql(RECORD_SERVICE, { input: service }, xingfuAdmin))).toEqual({ code: 'FORBIDDEN' });
    const data = await ok(
      fx,
      `{ volunteerTeams { totalCount }
         communityServiceLeaderboard { name }
         communityServiceHoursByMember { memberName member { id } } }`,
      {},
      xingfuAdmin,
    );
    expect(data.volunteerTeams.totalCount).toBe(0);
    expect(data.communityServiceLeaderboard).toEqual([]);
    expect(data.communityServiceHoursByMember).toEqual([]); // nothing verified yet
    const under = await fx.server.gql(
      `query ($o: ID!) { communityRegistrations(filter: { under: $o }) { totalCount } }`,
      { o: fx.orgs.mzj },
      xingfuAdmin,
    );
    expect(errorOf(under)).toEqual({ code: 'NOT_FOUND' });
  });

  const CORE_QUERIES = {
    organizations: '{ organizations { totalCount edges { node { id } } } }',
    members: '{ members { totalCount edges { node { id } } } }',
    meetings: '{ meetings { totalCount edges { node { id } } } }',
    activities: '{ activities { totalCount edges { node { id summary } } } }',
    organization: `query ($id: ID!) { organization(id: $id) { name } }`,
    member: `query ($id: ID!) { member(id: $id) { name } }`,
    node: `query ($id: ID!) { node(id: $id) { id } }`,
  };
  const coreVars = (fx: Fixture): Record<string, Record<string, unknown>> => ({
    organization: { id: fx.orgs.mzj },
    member: { id: fx.members.mzjA },
    node: { id: fx.orgs.mzjBranch },
  });

  it('core’s agency queries return them no agency data: organizations, members, meetings, activities', async () => {
    for (const [name, query] of Object.entries(CORE_QUERIES)) {
      const result = await fx.server.gql(query, coreVars(fx)[name] ?? {}, xingfuAdmin);
      const value = (result.data as Record<string, { totalCount?: number; edges?: unknown[] } | null> | null | undefined)?.[name];
      // An empty page or null; never a row of the agency tree.
      if (value && 'totalCount' in value)
        expect({ name, totalCount: value.totalCount, edges: value.edges }).toEqual({ name, totalCount: 0, edges: [] });
      else expect({ name, value: value ?? null }).toEqual({ name, value: null });
    }
  });

  it('core’s agency queries answer a community administrator without an error', async () => {
    for (const [name, query] of Object.entries(CORE_QUERIES)) {
      const result = await fx.server.gql(query, coreVars(fx)[name] ?? {}, xingfuAdmin);
      expect({ name, errors: result.errors }).toEqual({ name, errors: undefined });
    }
  });

  it('agency users see only their subtree’s side of the same communities', async () => {
    const q =
      '{ communityRegistrations { totalCount } communityServiceRecords { totalCount } communityDemandClaims { totalCount } communityDemands { totalCount } }';
    expect(await ok(fx, q, {}, fx.tokens.kx)).toEqual({
      communityRegistrations: { totalCount: 1 },
      communityServiceRecords: { totalCount: 1 },
      communityDemandClaims: { totalCount: 1 },
      communityDemands: { totalCount: 2 },
    });
    const demand = await ok(
      fx,
      'query ($id: ID!) { node(id: $id) { ... on CommunityDemand { claims { memberName } } } }',
      { id: hepingDemand },
      fx.tokens.mzj,
    );
    expect(demand.node).toEqual({ claims: [] });
    expect((await ok(fx, 'query ($id: ID!) { node(id: $id) { id } }', { id: hepingService }, fx.tokens.mzj)).node).toBeNull();
  });
});
