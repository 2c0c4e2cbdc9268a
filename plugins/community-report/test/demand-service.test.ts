import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults } from '@dangjian/testing';
import {
  communityAdminToken,
  createCommunity,
  day,
  errorOf,
  ok,
  PUBLISH,
  RECORD_SERVICE,
  register,
  setUp,
  thisYear,
  type Fixture,
} from './helpers.ts';

describe('community-report: demand lists (需求清单), claims (认领) and verified service hours', () => {
  let fx: Fixture;
  let xingfu: string;
  let heping: string;
  let xingfuAdmin: string;
  let hepingAdmin: string;

  beforeAll(async () => {
    fx = await setUp();
    xingfu = await createCommunity(fx, '幸福里社区');
    heping = await createCommunity(fx, '和平社区');
    xingfuAdmin = await communityAdminToken(fx, xingfu, 'xingfu-admin');
    hepingAdmin = await communityAdminToken(fx, heping, 'heping-admin');
    // 市民政局 registers as an organization with 幸福里; the 市科协 member personally with 和平.
    await register(fx, fx.tokens.mzj, { communityId: xingfu, organizationId: fx.orgs.mzj });
    await register(fx, fx.tokens.kx, { communityId: heping, memberId: fx.members.kx });
  });
  afterAll(() => fx?.server.close());

  const CLAIM =
    'mutation ($d: ID!, $m: ID!) { claimCommunityDemand(demandId: $d, memberId: $m) { id status memberName organizationName demand { title remainingCapacity } } }';

  it('only a community administrator publishes demands, for their own community', async () => {
    const input = { kind: 'MICRO_WISH', title: '为独居老人代购药品', description: '每周一次', capacity: 1 };
    expect(errorOf(await fx.server.gql(PUBLISH, { input }, fx.tokens.root))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await fx.server.gql(PUBLISH, { input: { ...input, capacity: 0 } }, xingfuAdmin))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.capacity',
    });
    const wish = (await ok(fx, PUBLISH, { input }, xingfuAdmin)).publishCommunityDemand;
    expect(wish).toMatchObject({ capacity: 1, remainingCapacity: 1, status: 'OPEN', community: { name: '幸福里社区' } });
    // A token naming a community of nowhere (or another department) acts for nothing.
    const stray = await communityAdminToken(fx, Buffer.from('Community:00000000-0000-7000-8000-000000000000').toString('base64'));
    expect(errorOf(await fx.server.gql(PUBLISH, { input }, stray))).toEqual({ code: 'FORBIDDEN' });

    const open = `query ($f: CommunityDemandFilter) { communityDemands(filter: $f) { totalCount edges { node { title community { name } } } } }`;
    expect((await ok(fx, open, { f: { communityId: xingfu, status: 'OPEN' } }, fx.tokens.kx)).communityDemands.totalCount).toBe(1);
    expect((await ok(fx, open, {}, hepingAdmin)).communityDemands.totalCount).toBe(0);
    expect((await ok(fx, 'query ($id: ID!) { node(id: $id) { id } }', { id: wish.id }, hepingAdmin)).node).toBeNull();
    const community = await ok(
      fx,
      'query ($id: ID!) { community(id: $id) { openDemands { title } } }',
      { id: xingfu },
      fx.tokens.mzjMember,
    );
    expect(community.community.openDemands).toEqual([{ title: '为独居老人代购药品' }]);
  });

  it('claims stay within capacity, also when two claims race for the last place', async () => {
    const post = (await ok(fx, PUBLISH, { input: { kind: 'HELP_POST', title: '社区文明劝导岗', capacity: 2 } }, xingfuAdmin))
      .publishCommunityDemand;
    // 市科协's member registered only with 和平: claiming at 幸福里 is refused, naming the member.
    expect(errorOf(await fx.server.gql(CLAIM, { d: post.id, m: fx.members.kx }, fx.tokens.kx))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'memberId',
    });
    expect(errorOf(await fx.server.gql(CLAIM, { d: post.id, m: fx.members.kx }, fx.tokens.mzj))).toEqual({ code: 'NOT_FOUND' });

    const first = (await ok(fx, CLAIM, { d: post.id, m: fx.members.mzjA }, fx.tokens.mzjSecretary)).claimCommunityDemand;
    expect(first).toMatchObject({
      status: 'CLAIMED',
      memberName: fx.names.mzjA,
      organizationName: '社会救助处党支部',
      demand: { remainingCapacity: 1 },
    });
    expect(errorOf(await fx.server.gql(CLAIM, { d: post.id, m: fx.members.mzjA }, fx.tokens.mzj))).toEqual({
      code: 'CONFLICT',
      field: 'memberId',
    });
    await ok(fx, CLAIM, { d: post.id, m: fx.members.mzjB }, fx.tokens.mzj);
    const third = await fx.server.db.client.member.findFirstOrThrow({ where: { organization: { code: 'SZJGGW-MZJ-YLFW' } } });
    const full = await fx.server.gql(CLAIM, { d: post.id, m: Buffer.from(`Member:${third.id}`).toString('base64') }, fx.tokens.mzj);
    expect(errorOf(full)).toEqual({ code: 'CONFLICT' });

    const single = (await ok(fx, PUBLISH, { input: { kind: 'SERVICE_PROJECT', title: '楼道清洁', capacity: 1 } }, xingfuAdmin))
      .publishCommunityDemand;
    const racing = await Promise.all(
      [fx.members.mzjA, fx.members.mzjB].map((m) => fx.server.gql(CLAIM, { d: single.id, m }, fx.tokens.mzj)),
    );
    expect(racing.filter((r) => !r.errors)).toHaveLength(1);
    expect(racing.map((r) => errorOf(r).code).filter(Boolean)).toEqual(['CONFLICT']);
    expect(
      await fx.server.db.client.communityDemandClaim.count({
        where: { demandId: Buffer.from(single.id, 'base64').toString().split(':')[1]! },
      }),
    ).toBe(1);

    const close = 'mutation ($id: ID!) { closeCommunityDemand(id: $id) { status } }';
    expect(errorOf(await fx.server.gql(close, { id: post.id }, hepingAdmin))).toEqual({ code: 'NOT_FOUND' });
    expect((await ok(fx, close, { id: post.id }, xingfuAdmin)).closeCommunityDemand.status).toBe('CLOSED');
    expect(errorOf(await fx.server.gql(close, { id: post.id }, xingfuAdmin))).toEqual({ code: 'ILLEGAL_STATE', state: 'CLOSED' });
    const late = (await ok(fx, PUBLISH, { input: { kind: 'MICRO_WISH', title: '修理轮椅', capacity: 3 } }, xingfuAdmin))
      .publishCommunityDemand;
    await ok(fx, close, { id: late.id }, xingfuAdmin);
    expect(errorOf(await fx.server.gql(CLAIM, { d: late.id, m: fx.members.mzjA }, fx.tokens.mzj))).toEqual({
      code: 'ILLEGAL_STATE',
      state: 'CLOSED',
    });
  });

  it('a claim is completed with a report and confirmed by its own community only', async () => {
    const wish = (await ok(fx, PUBLISH, { input: { kind: 'MICRO_WISH', title: '帮王奶奶买助听器', capacity: 1 } }, xingfuAdmin))
      .publishCommunityDemand;
    const claim = (await ok(fx, CLAIM, { d: wish.id, m: fx.members.mzjA }, fx.tokens.mzj)).claimCommunityDemand;
    const complete = 'mutation ($id: ID!, $r: String!) { completeCommunityDemandClaim(id: $id, report: $r) { status report completedAt } }';
    const confirm = 'mutation ($id: ID!) { confirmCommunityDemandClaim(id: $id) { status confirmedAt } }';
    expect(errorOf(await fx.server.gql(confirm, { id: claim.id }, xingfuAdmin))).toEqual({ code: 'ILLEGAL_STATE', state: 'CLAIMED' });
    expect(errorOf(await fx.server.gql(complete, { id: claim.id, r: ' ' }, fx.tokens.mzj))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'report',
    });
    expect(errorOf(await fx.server.gql(complete, { id: claim.id, r: '已送达' }, fx.tokens.kx))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await fx.server.gql(complete, { id: claim.id, r: '已送达' }, xingfuAdmin))).toEqual({ code: 'FORBIDDEN' });
    expect((await ok(fx, complete, { id: claim.id, r: '已送达并教会使用' }, fx.tokens.mzj)).completeCommunityDemandClaim).toMatchObject({
      status: 'COMPLETED',
      report: '已送达并教会使用',
    });
    expect(errorOf(await fx.server.gql(complete, { id: claim.id, r: '再次' }, fx.tokens.mzj))).toEqual({
      code: 'ILLEGAL_STATE',
      state: 'COMPLETED',
    });
    expect(errorOf(await fx.server.gql(confirm, { id: claim.id }, hepingAdmin))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await fx.server.gql(confirm, { id: claim.id }, fx.tokens.root))).toEqual({ code: 'FORBIDDEN' });
    expect((await ok(fx, confirm, { id: claim.id }, xingfuAdmin)).confirmCommunityDemandClaim.status).toBe('CONFIRMED');
    expect(errorOf(await fx.server.gql(confirm, { id: claim.id }, xingfuAdmin))).toEqual({ code: 'ILLEGAL_STATE', state: 'CONFIRMED' });

    const kinds = await ok(
      fx,
      '{ activities(kinds: ["community-report.demandClaimed", "community-report.demandCompleted"]) { edges { node { kind summary } } } }',
      {},
      fx.tokens.mzj,
    );
    expect(kinds.activities.edges.map((e: { node: { kind: string } }) => e.node.kind)).toContain('community-report.demandCompleted');
    expect(kinds.activities.edges.map((e: { node: { summary: string } }) => e.node.summary)).toContain(
      `${fx.names.mzjA}完成幸福里社区需求：帮王奶奶买助听器`,
    );
  });

  it('service hours: more than 0, at most 12 a record and 12 a day per member; only where registered', async () => {
    const input = {
      memberId: fx.members.mzjA,
      communityId: xingfu,
      kind: 'TRAFFIC_CIVILITY',
      date: day(2),
      hours: '4.5',
      description: '早高峰路口文明交通劝导',
    };
    for (const hours of ['0', '12.5', '1.25', '-2']) {
      const r = await fx.server.gql(RECORD_SERVICE, { input: { ...input, hours } }, fx.tokens.mzj);
      expect(errorOf(r), hours).toEqual({ code: 'BAD_USER_INPUT', field: 'input.hours' });
    }
    expect(errorOf(await fx.server.gql(RECORD_SERVICE, { input: { ...input, date: '2999-01-01' } }, fx.tokens.mzj))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.date',
    });
    expect(errorOf(await fx.server.gql(RECORD_SERVICE, { input: { ...input, communityId: heping } }, fx.tokens.mzj))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.memberId',
    });
    expect(errorOf(await fx.server.gql(RECORD_SERVICE, { input: { ...input, memberId: fx.members.kx } }, fx.tokens.mzj))).toEqual({
      code: 'NOT_FOUND',
    });

    expect((await ok(fx, RECORD_SERVICE, { input }, fx.tokens.mzj)).recordCommunityService).toMatchObject({
      hours: '4.5',
      status: 'SUBMITTED',
      memberName: fx.names.mzjA,
    });
    await ok(fx, RECORD_SERVICE, { input: { ...input, hours: '7', kind: 'CONVENIENCE' } }, fx.tokens.mzj);
    const over = await fx.server.gql(RECORD_SERVICE, { input: { ...input, hours: '0.6' } }, fx.tokens.mzj);
    expect(errorOf(over)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.hours' });
    expect(over.errors?.[0]?.message).toContain('11.5 hours');
    expect((await ok(fx, RECORD_SERVICE, { input: { ...input, hours: '0.5' } }, fx.tokens.mzj)).recordCommunityService.hours).toBe('0.5');

    // Two racing submissions for one day cannot both fit under 12 hours.
    const racing = await Promise.all(
      [0, 1].map(() => fx.server.gql(RECORD_SERVICE, { input: { ...input, date: day(3), hours: '8' } }, fx.tokens.mzj)),
    );
    expect(racing.filter((r) => !r.errors)).toHaveLength(1);
    expect(racing.map((r) => errorOf(r).field).filter(Boolean)).toEqual(['input.hours']);
  });

  it('only the community where the service took place verifies or rejects it, once', async () => {
    const submitted =
      '{ communityServiceRecords(filter: { status: SUBMITTED }) { totalCount edges { node { id hours date memberName } } } }';
    const pending = (await ok(fx, submitted, {}, xingfuAdmin)).communityServiceRecords;
    expect(pending.totalCount).toBe(4);
    expect((await ok(fx, submitted, {}, hepingAdmin)).communityServiceRecords.totalCount).toBe(0);
    const [a, b, c, d] = pending.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    const verify = 'mutation ($id: ID!) { verifyCommunityService(id: $id) { status reviewedAt } }';
    const reject = 'mutation ($id: ID!, $r: String!) { rejectCommunityService(id: $id, reason: $r) { status rejectReason } }';
    expect(errorOf(await fx.server.gql(verify, { id: a }, hepingAdmin))).toEqual({ code: 'NOT_FOUND' });
    expect(errorOf(await fx.server.gql(verify, { id: a }, fx.tokens.root))).toEqual({ code: 'FORBIDDEN' });
    expect(errorOf(await fx.server.gql(verify, { id: a }, fx.tokens.mzj))).toEqual({ code: 'FORBIDDEN' });

    const watcher = fx.server.ws(fx.tokens.mzj);
    const stream = nextResults(watcher, 'subscription { communityServiceVerified { hours memberName community { name } } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await ok(fx, verify, { id: a }, xingfuAdmin)).verifyCommunityService.status).toBe('VERIFIED');
    expect((await stream.done)[0]?.data?.communityServiceVerified).toMatchObject({
      memberName: fx.names.mzjA,
      community: { name: '幸福里社区' },
    });
    expect(errorOf(await fx.server.gql(verify, { id: a }, xingfuAdmin))).toEqual({ code: 'ILLEGAL_STATE', state: 'VERIFIED' });
    expect(errorOf(await fx.server.gql(reject, { id: a, r: '重复登记' }, xingfuAdmin))).toEqual({
      code: 'ILLEGAL_STATE',
      state: 'VERIFIED',
    });
    expect((await ok(fx, reject, { id: b, r: '当日无此活动' }, xingfuAdmin)).rejectCommunityService).toEqual({
      status: 'REJECTED',
      rejectReason: '当日无此活动',
    });
    await ok(fx, verify, { id: c }, xingfuAdmin);
    await ok(fx, verify, { id: d }, xingfuAdmin);

    // A rejected record frees its hours for that day again.
    const rejected = (
      await ok(fx, 'query ($id: ID!) { node(id: $id) { ... on CommunityServiceRecord { date hours } } }', { id: b }, fx.tokens.mzj)
    ).node;
    const refill = {
      memberId: fx.members.mzjA,
      communityId: xingfu,
      kind: 'ENVIRONMENT',
      date: rejected.date,
      hours: rejected.hours,
      description: '补登',
    };
    expect((await fx.server.gql(RECORD_SERVICE, { input: refill }, fx.tokens.mzj)).errors).toBeUndefined();

    const feed = await ok(fx, '{ activities(kinds: ["community-report.serviceVerified"]) { totalCount } }', {}, fx.tokens.mzj);
    expect(feed.activities.totalCount).toBe(3);
  });

  it('adds up verified hours per member, per organization and per year, and finds registered members who have not served', async () => {
    // 市科协's member serves 3 hours at 和平, verified there.
    const kxRecord = (
      await ok(
        fx,
        RECORD_SERVICE,
        {
          input: {
            memberId: fx.members.kx,
            communityId: heping,
            kind: 'CIVILIZED_CITY',
            date: day(1),
            hours: '3',
            description: '创城宣传',
          },
        },
        fx.tokens.kx,
      )
    ).recordCommunityService;
    await ok(fx, 'mutation ($id: ID!) { verifyCommunityService(id: $id) { status } }', { id: kxRecord.id }, hepingAdmin);
    // Verified so far: mzjA — the 4.5/7/0.5 day minus the rejected one, plus one of the 8-hour racers.
    const verified = await fx.server.db.client.communityServiceRecord.findMany({
      where: { status: 'VERIFIED' },
      select: { memberId: true, hours: true },
    });
    const sum = (rows: { hours: { toString(): string } }[]) => rows.reduce((n, r) => n + Number(r.hours.toString()), 0);
    const mzjHours = sum(verified.filter((r) => Buffer.from(`Member:${r.memberId}`).toString('base64') === fx.members.mzjA));
    expect(mzjHours).toBeGreaterThan(0);

    const byMember = `query ($y: Int, $c: ID) { communityServiceHoursByMember(year: $y, communityId: $c) { memberId memberName organizationName hours services member { name } } }`;
    const rootView = (await ok(fx, byMember, { y: thisYear() }, fx.tokens.root)).communityServiceHoursByMember;
    expect(rootView).toEqual([
      {
        memberId: fx.members.mzjA,
        memberName: fx.names.mzjA,
        organizationName: '社会救助处党支部',
        hours: mzjHours.toFixed(1),
        services: 3,
        member: { name: fx.names.mzjA },
      },
      {
        memberId: fx.members.kx,
        memberName: fx.names.kx,
        organizationName: '学会部党支部',
        hours: '3.0',
        services: 1,
        member: { name: fx.names.kx },
      },
    ]);
    expect(
      (await ok(fx, byMember, {}, fx.tokens.kx)).communityServiceHoursByMember.map((r: { memberName: string }) => r.memberName),
    ).toEqual([fx.names.kx]);
    expect((await ok(fx, byMember, { y: thisYear() - 1 }, fx.tokens.root)).communityServiceHoursByMember).toEqual([]);
    // The community sees who served with it, by name, but not the member record itself.
    expect((await ok(fx, byMember, {}, hepingAdmin)).communityServiceHoursByMember).toEqual([
      { memberId: fx.members.kx, memberName: fx.names.kx, organizationName: '学会部党支部', hours: '3.0', services: 1, member: null },
    ]);
    expect(errorOf(await fx.server.gql(byMember, { y: 1999 }, fx.tokens.root))).toEqual({ code: 'BAD_USER_INPUT', field: 'year' });

    const board = '{ communityServiceLeaderboard(limit: 3) { name hours services members organization { code } } }';
    const top = (await ok(fx, board, {}, fx.tokens.root)).communityServiceLeaderboard;
    expect(top[0]).toEqual({
      name: '市民政局机关党委',
      hours: mzjHours.toFixed(1),
      services: 3,
      members: 1,
      organization: { code: 'SZJGGW-MZJ' },
    });
    expect(top[1]).toMatchObject({ name: '市科协机关党委', hours: '3.0', services: 1, members: 1 });
    expect(top).toHaveLength(3);
    expect((await ok(fx, board, {}, hepingAdmin)).communityServiceLeaderboard).toEqual([]);

    const orgField = `query ($id: ID!, $y: Int) { organization(id: $id) { communityServiceHours(year: $y) } }`;
    expect((await ok(fx, orgField, { id: fx.orgs.mzj }, fx.tokens.mzj)).organization.communityServiceHours).toBe(mzjHours.toFixed(1));
    expect((await ok(fx, orgField, { id: fx.orgs.mzj, y: thisYear() - 1 }, fx.tokens.mzj)).organization.communityServiceHours).toBe('0.0');
    const all = '{ organizations(filter: { kind: [COMMITTEE] }) { edges { node { code communityServiceHours } } } }';
    const committees = (await ok(fx, all, {}, fx.tokens.root)).organizations.edges.map(
      (e: { node: { code: string; communityServiceHours: string } }) => e.node,
    );
    expect(committees.find((c: { code: string }) => c.code === 'SZJGGW-KX').communityServiceHours).toBe('3.0');
    const memberField = `query ($id: ID!) { member(id: $id) { communityServiceHours } }`;
    expect((await ok(fx, memberField, { id: fx.members.mzjA }, fx.tokens.mzj)).member.communityServiceHours).toBe(mzjHours.toFixed(1));
    const community = `query ($id: ID!) { community(id: $id) { verifiedHours } }`;
    expect((await ok(fx, community, { id: heping }, hepingAdmin)).community.verifiedHours).toBe('3.0');
    expect((await ok(fx, community, { id: heping }, fx.tokens.mzj)).community.verifiedHours).toBe('0.0');

    // mzjB registers personally with 幸福里 but has not served; the 市科协 member has.
    await register(fx, fx.tokens.mzj, { communityId: xingfu, memberId: fx.members.mzjB });
    const idle = `query ($y: Int) { registeredMembersWithoutService(year: $y) { totalCount edges { node { holderName } } } }`;
    expect((await ok(fx, idle, {}, fx.tokens.root)).registeredMembersWithoutService).toEqual({
      totalCount: 1,
      edges: [{ node: { holderName: fx.names.mzjB } }],
    });
    expect((await ok(fx, idle, {}, fx.tokens.kx)).registeredMembersWithoutService.totalCount).toBe(0);
    expect((await ok(fx, idle, { y: thisYear() - 1 }, fx.tokens.root)).registeredMembersWithoutService.totalCount).toBe(2);
    expect((await ok(fx, idle, {}, xingfuAdmin)).registeredMembersWithoutService.totalCount).toBe(1);
  });
});
