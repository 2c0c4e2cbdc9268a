import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAdminToken, createCommunity, day, ok, PUBLISH, RECORD_SERVICE, register, setUp, type Fixture } from './helpers.ts';

const LISTS = `{
  communityRegistrations { totalCount edges { node { kind holderName organizationName certificateNo member { name } organization { name } community { name } } } }
  communityServiceRecords { totalCount edges { node { hours memberName organizationName member { name communityServiceHours } community { name verifiedHours } } } }
  communityDemands { totalCount edges { node { title remainingCapacity claims { memberName member { name } } community { name } } } }
  communityServiceHoursByMember { memberName member { name } }
}`;

describe('community-report: SQL statements per request do not grow with the rows returned', () => {
  let fx: Fixture;
  let statements = 0;
  let xingfu: string;
  let admin: string;
  beforeAll(async () => {
    fx = await setUp(() => statements++);
    xingfu = await createCommunity(fx, '幸福里社区');
    admin = await communityAdminToken(fx, xingfu);
    await register(fx, fx.tokens.mzj, { communityId: xingfu, organizationId: fx.orgs.mzj });
  });
  afterAll(() => fx?.server.close());

  /** Adds a personal registration, a claimed demand and a verified service for `count` more members. */
  async function grow(skip: number, count: number): Promise<void> {
    const members = await fx.server.db.client.member.findMany({
      where: { organization: { code: { startsWith: 'SZJGGW-MZJ' } } },
      orderBy: { id: 'asc' },
      skip,
      take: count,
    });
    expect(members).toHaveLength(count);
    for (const m of members) {
      const id = Buffer.from(`Member:${m.id}`).toString('base64');
      await register(fx, fx.tokens.mzj, { communityId: xingfu, memberId: id });
      const demand = (await ok(fx, PUBLISH, { input: { kind: 'MICRO_WISH', title: `心愿${m.name}`, capacity: 1 } }, admin))
        .publishCommunityDemand.id;
      await ok(
        fx,
        'mutation ($d: ID!, $m: ID!) { claimCommunityDemand(demandId: $d, memberId: $m) { id } }',
        { d: demand, m: id },
        fx.tokens.mzj,
      );
      const input = { memberId: id, communityId: xingfu, kind: 'CONVENIENCE', date: day(1), hours: '1.5', description: '便民理发' };
      const record = (await ok(fx, RECORD_SERVICE, { input }, fx.tokens.mzj)).recordCommunityService.id;
      await ok(fx, 'mutation ($id: ID!) { verifyCommunityService(id: $id) { status } }', { id: record }, admin);
    }
  }

  async function countFor(token: string): Promise<number> {
    statements = 0;
    await ok(fx, LISTS, {}, token);
    return statements;
  }

  it('lists with names, members, communities, hours and claims cost the same for 2 rows as for 8', async () => {
    await grow(0, 2);
    const [agencySmall, communitySmall] = [await countFor(fx.tokens.mzj), await countFor(admin)];
    await grow(2, 6);
    const agencyLarge = await countFor(fx.tokens.mzj);
    const communityLarge = await countFor(admin);
    const rows = (await ok(fx, '{ communityServiceRecords { totalCount } }', {}, fx.tokens.mzj)).communityServiceRecords.totalCount;
    expect(rows).toBe(8);
    expect(agencyLarge).toBe(agencySmall);
    expect(communityLarge).toBe(communitySmall);
  });
});
