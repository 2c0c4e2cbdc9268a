import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, scaleTargets, sleep, startCluster, type Cluster } from './support/cluster.ts';

const targets = scaleTargets();
const SUBSCRIBE = 'subscription ($after: ID) { activityAdded(after: $after) { id kind } }';
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf('skip' in targets)(
  `two server processes on one PostgreSQL and Redis${'skip' in targets ? ` — skipped: ${targets.skip}` : ''}`,
  () => {
    let cluster: Cluster;
    let watcher: string;
    beforeAll(async () => {
      cluster = await startCluster(targets as { databaseUrl: string; redisUrl: string }, { nodes: 2 });
      watcher = await cluster.token('SZJGGW', ['ADMIN', 'AUDITOR', 'DISCIPLINE']);
    });
    afterAll(() => cluster?.close());

    /** One activity-producing mutation of core and of each plugin, run on the given process. */
    async function mutateEverything(node: Cluster['nodes'][number], tag: string): Promise<void> {
      const c = cluster;
      const root = await c.token('SZJGGW', ['ADMIN']);
      const mzj = await c.token('SZJGGW-MZJ', ['ADMIN', 'DISCIPLINE']);
      const branch = await c.token('SZJGGW-MZJ-SHJZ', ['SECRETARY']);
      const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
        const result = await node.gql(query, variables, token);
        expect(result.errors, `${query}: ${JSON.stringify(result.errors)}`).toBeUndefined();
        return result.data;
      };
      await ok(
        'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        {
          input: {
            parentId: gid('Organization', await c.orgId('SZJGGW-MZJ')),
            kind: 'BRANCH',
            name: `第${tag}党支部`,
            code: `SZJGGW-MZJ-T${tag}`,
          },
        },
        root,
      );
      const community = await ok(
        'mutation ($input: CommunityInput!) { createCommunity(input: $input) { id } }',
        { input: { name: `社区${tag}`, street: '解放街道', district: '中心区' } },
        root,
      );
      await ok(
        'mutation ($input: RegisterWithCommunityInput!) { registerWithCommunity(input: $input) { id } }',
        {
          input: {
            communityId: community.createCommunity.id,
            organizationId: gid('Organization', await c.orgId('SZJGGW-MZJ')),
            date: day(3),
          },
        },
        mzj,
      );
      await ok(
        'mutation ($input: OpenInspectionInput!) { openInspection(input: $input) { id } }',
        {
          input: {
            inspectedOrganizationId: gid('Organization', await c.orgId('SZJGGW-MZJ-SHJZ')),
            date: day(1),
            scope: `作风建设${tag}`,
            inspectors: ['王督查'],
          },
        },
        mzj,
      );
      await ok(
        'mutation ($input: RegisterDifficultHouseholdInput!) { registerDifficultHousehold(input: $input) { id } }',
        {
          input: {
            organizationId: gid('Organization', await c.orgId('SZJGGW-MZJ-SHJZ')),
            name: `张${tag}`,
            village: '东山村',
            size: 3,
            difficulty: 'ILLNESS',
          },
        },
        mzj,
      );
      if (tag === 'a') {
        const brand = await ok(
          'mutation ($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
          {
            input: { organizationId: gid('Organization', await c.orgId('SZJGGW-MZJ-SHJZ')), name: '救助暖心', business: '党建+救助' },
          },
          branch,
        );
        await ok('mutation ($id: ID!) { submitBrand(id: $id) { id } }', { id: brand.createBrand.id }, branch);
      }
    }

    const areas = (kinds: string[]) => [...new Set(kinds.map((k) => k.slice(0, k.indexOf('.'))))].sort();

    it('a subscriber on A receives every activity caused on B, once, for core and every plugin', async () => {
      const [a, b] = cluster.nodes;
      const sub = record(a!.ws(watcher), SUBSCRIBE);
      await sleep(500);
      const before = new Date();
      await mutateEverything(b!, 'a');
      const { rows } = await cluster.sql.query<{ id: string; kind: string }>(
        'SELECT id, kind FROM "Activity" WHERE "createdAt" >= $1 ORDER BY id',
        [before],
      );
      expect(areas(rows.map((r) => r.kind))).toEqual(['community-report', 'discipline', 'dual-cultivation', 'organization', 'party-brand']);
      await sub.until((r) => r.length >= rows.length);
      await sleep(500); // nothing more, in particular no duplicate
      const got = sub.results.map((r) => r.data!.activityAdded);
      expect(got.map((g) => g.id)).toEqual(rows.map((r) => gid('Activity', r.id)));
      sub.unsubscribe();
    });

    it('a plugin disabled on A is disabled on B at the next request', async () => {
      const [a, b] = cluster.nodes;
      const admin = await cluster.token('SZJGGW', ['ADMIN']);
      const enabledOn = async (node: typeof a) =>
        (await node!.gql('{ plugins { id enabled } }', {}, admin)).data!.plugins.find((p: { id: string }) => p.id === 'discipline').enabled;
      expect(await enabledOn(b)).toBe(true);
      const off = await a!.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: false) { id enabled } }', {}, admin);
      expect(off.errors).toBeUndefined();
      expect(await enabledOn(b)).toBe(false);
      const field = await b!.gql('{ inspections { totalCount } }', {}, admin);
      expect(field.errors?.[0]?.message).toMatch(/inspections/);
      expect(
        (await a!.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: true) { id enabled } }', {}, admin)).errors,
      ).toBeUndefined();
      expect(await enabledOn(b)).toBe(true);
    });

    it('a subscriber that reconnects with the last id it saw gets what it missed, then the live stream, with no gap and no duplicate', async () => {
      const [a, b] = cluster.nodes;
      const first = record(a!.ws(watcher), SUBSCRIBE);
      await sleep(300);
      const since = new Date();
      await mutateEverything(b!, 'b');
      await first.until((r) => r.length >= 4);
      const seen = first.results.map((r) => r.data!.activityAdded.id as string);
      first.unsubscribe();
      // Missed while away: everything of round c and d, written on both processes.
      await mutateEverything(b!, 'c');
      await mutateEverything(a!, 'd');
      const again = record(b!.ws(watcher), SUBSCRIBE, { after: seen.at(-1) });
      await sleep(300);
      await mutateEverything(a!, 'e'); // live, while the replay may still run
      const { rows } = await cluster.sql.query<{ id: string }>('SELECT id FROM "Activity" WHERE "createdAt" >= $1 ORDER BY id', [since]);
      const all = rows.map((r) => gid('Activity', r.id));
      const expected = all.slice(all.indexOf(seen.at(-1)!) + 1);
      await again.until((r) => r.length >= expected.length);
      await sleep(500);
      expect(again.results.map((r) => r.data!.activityAdded.id)).toEqual(expected);
      again.unsubscribe();
    });
  },
);
