import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleTargets, startCluster, type Cluster } from './support/cluster.ts';

const targets = scaleTargets();
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const codeOf = (result: { errors?: { extensions?: { code?: string; field?: unknown } }[] }) => result.errors?.[0]?.extensions;

describe.skipIf('skip' in targets)(`concurrent writes on two processes${'skip' in targets ? ` — skipped: ${targets.skip}` : ''}`, () => {
  let cluster: Cluster;
  let admin: string;
  beforeAll(async () => {
    cluster = await startCluster(targets as { databaseUrl: string; redisUrl: string }, { nodes: 2 });
    admin = await cluster.token('SZJGGW', ['ADMIN'], 'admin-1');
  });
  afterAll(() => cluster?.close());

  it('two admins editing the same member at once: exactly one wins, the other gets CONFLICT, no update is lost', async () => {
    const [a, b] = cluster.nodes;
    const other = await cluster.token('SZJGGW', ['ADMIN'], 'admin-2');
    const { rows } = await cluster.sql.query<{ id: string }>('SELECT id FROM "Member" ORDER BY id LIMIT 10');
    const UPDATE =
      'mutation ($id: ID!, $input: UpdateMemberInput!, $v: Int) { updateMember(id: $id, input: $input, expectedVersion: $v) { id version education ethnicity } }';
    for (const [i, row] of rows.entries()) {
      const id = gid('Member', row.id);
      const read = await a!.gql('query ($id: ID!) { node(id: $id) { ... on Member { version } } }', { id }, admin);
      const version = read.data.node.version as number;
      // Both read the same version; both send their change at the same moment, through different processes.
      const [first, second] = await Promise.all([
        a!.gql(UPDATE, { id, input: { education: `大学${i}` }, v: version }, admin),
        b!.gql(UPDATE, { id, input: { ethnicity: `族${i}` }, v: version }, other),
      ]);
      const won = [first, second].filter((r) => !r.errors);
      const lost = [first, second].filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(codeOf(lost[0]!)).toMatchObject({ code: 'CONFLICT', field: 'expectedVersion' });
      expect(won[0]!.data.updateMember.version).toBe(version + 1);
    }
    // Without expectedVersion the server's own read is the guard: concurrent edits still cannot both pass silently.
    const id = gid('Member', rows[0]!.id);
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a! : b!).gql(UPDATE, { id, input: { education: `并发${i}` } }, admin)),
    );
    const winners = racing.filter((r) => !r.errors);
    for (const r of racing.filter((r) => r.errors)) expect(codeOf(r)).toMatchObject({ code: 'CONFLICT' });
    const final = await cluster.sql.query<{ version: number; education: string }>('SELECT version, education FROM "Member" WHERE id = $1', [
      rows[0]!.id,
    ]);
    // Every success raised the version by one (it was 1 after the loop above): no success was overwritten unseen.
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(final.rows[0]!.version).toBe(1 + winners.length);
    expect(winners.map((w) => w.data.updateMember.education)).toContain(final.rows[0]!.education);
  });

  it('two claims of the last place of a demand at once: exactly one wins, the other gets CONFLICT', async () => {
    const [a, b] = cluster.nodes;
    const mzj = await cluster.token('SZJGGW-MZJ', ['ADMIN']);
    const community = await a!.gql(
      'mutation ($input: CommunityInput!) { createCommunity(input: $input) { id } }',
      { input: { name: '幸福里社区', street: '解放街道', district: '中心区' } },
      admin,
    );
    const communityId = community.data.createCommunity.id as string;
    const registered = await a!.gql(
      'mutation ($input: RegisterWithCommunityInput!) { registerWithCommunity(input: $input) { id } }',
      {
        input: { communityId, organizationId: gid('Organization', await cluster.orgId('SZJGGW-MZJ')), date: day(3) },
      },
      mzj,
    );
    expect(registered.errors).toBeUndefined();
    const communityAdmin = await cluster.token('SZJGGW', ['COMMUNITY_ADMIN'], 'community-admin', {
      community: Buffer.from(communityId, 'base64').toString().split(':')[1],
    });
    const { rows: members } = await cluster.sql.query<{ id: string }>(
      `SELECT m.id FROM "Member" m JOIN "Organization" o ON o.id = m."organizationId" WHERE o.path LIKE (SELECT path FROM "Organization" WHERE code = 'SZJGGW-MZJ') || '%' ORDER BY m.id LIMIT 20`,
    );
    const CLAIM = 'mutation ($d: ID!, $m: ID!) { claimCommunityDemand(demandId: $d, memberId: $m) { id } }';
    for (let round = 0; round < 5; round++) {
      const demand = await b!.gql(
        'mutation ($input: PublishCommunityDemandInput!) { publishCommunityDemand(input: $input) { id } }',
        {
          input: { kind: 'MICRO_WISH', title: `代购药品${round}`, capacity: 2 },
        },
        communityAdmin,
      );
      expect(demand.errors, JSON.stringify(demand.errors)).toBeUndefined();
      const d = demand.data.publishCommunityDemand.id;
      const [m1, m2, m3] = members.slice(round * 3, round * 3 + 3).map((m) => gid('Member', m.id));
      expect((await a!.gql(CLAIM, { d, m: m1 }, mzj)).errors).toBeUndefined(); // one place left
      const results = await Promise.all([a!.gql(CLAIM, { d, m: m2 }, mzj), b!.gql(CLAIM, { d, m: m3 }, mzj)]);
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      expect(codeOf(results.find((r) => r.errors)!)).toMatchObject({ code: 'CONFLICT' });
      const { rows } = await cluster.sql.query('SELECT 1 FROM "CommunityDemandClaim" WHERE "demandId" = $1', [
        Buffer.from(d, 'base64').toString().split(':')[1],
      ]);
      expect(rows).toHaveLength(2);
    }
  });

  it('the same idempotency key twice (even at once, on two processes) creates one row and answers the same; other input is refused', async () => {
    const [a, b] = cluster.nodes;
    const parentId = gid('Organization', await cluster.orgId('SZJGGW-MZJ'));
    const CREATE =
      'mutation ($input: CreateOrganizationInput!, $key: String) { createOrganization(input: $input, idempotencyKey: $key) { id code name } }';
    const input = { parentId, kind: 'BRANCH', name: '幂等党支部', code: 'SZJGGW-MZJ-IDEM' };
    const [first, second] = await Promise.all([
      a!.gql(CREATE, { input, key: 'key-1' }, admin),
      b!.gql(CREATE, { input, key: 'key-1' }, admin),
    ]);
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
    const third = await b!.gql(CREATE, { input, key: 'key-1' }, admin);
    expect(third).toEqual(first);
    const { rows } = await cluster.sql.query(`SELECT 1 FROM "Organization" WHERE code = 'SZJGGW-MZJ-IDEM'`);
    expect(rows).toHaveLength(1);
    const other = await a!.gql(CREATE, { input: { ...input, name: '另一个' }, key: 'key-1' }, admin);
    expect(codeOf(other)).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    // Keys belong to their user: another admin's key-1 is a different key.
    const someoneElse = await cluster.token('SZJGGW', ['ADMIN'], 'admin-2');
    const theirs = await a!.gql(CREATE, { input: { ...input, code: 'SZJGGW-MZJ-IDEM2' }, key: 'key-1' }, someoneElse);
    expect(theirs.errors).toBeUndefined();
    // A plugin's create mutation takes a key too.
    const COMMUNITY =
      'mutation ($input: CommunityInput!, $key: String) { createCommunity(input: $input, idempotencyKey: $key) { id name } }';
    const c1 = await a!.gql(COMMUNITY, { input: { name: '和平社区' }, key: 'c-1' }, admin);
    const c2 = await b!.gql(COMMUNITY, { input: { name: '和平社区' }, key: 'c-1' }, admin);
    expect(c1.errors).toBeUndefined();
    expect(c2).toEqual(c1);
  });
});
