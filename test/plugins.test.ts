import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { honorRollBadgesPlugin, honorRollPlugin } from './fixtures/honor-roll-plugin.ts';
import { globalId, nextResults, startTestServer, type TestServer } from '@dangjian/testing';

const TYPES = '{ __schema { types { name } } }';
const hasType = (result: { data?: { __schema: { types: { name: string }[] } } | null }, name: string) =>
  result.data!.__schema.types.some((t) => t.name === name);

describe('plugins: contract, per-department enablement, schemas and events', () => {
  let server: TestServer;
  let cityAdmin: string; // admin of 市直机关工委 (top level)
  let countyAdmin: string; // admin of a second top-level working committee
  let agencyAdmin: string; // admin of an agency committee (not top level)
  let cityMember: string;
  let countyMember: string;

  beforeAll(async () => {
    server = await startTestServer({ plugins: [honorRollPlugin, honorRollBadgesPlugin] });
    const county = randomUUID();
    const branch = randomUUID();
    await server.db.client.organization.createMany({
      data: [
        { id: county, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${county}/`, depth: 0 },
        {
          id: branch,
          kind: 'BRANCH',
          name: '县民政局党支部',
          code: 'XZJGGW-MZJ',
          parentId: county,
          path: `/${county}/${branch}/`,
          depth: 1,
        },
      ],
    });
    await server.db.client.member.create({
      data: { name: '赵县民', gender: 'MALE', status: 'FULL', joinedAt: new Date('2001-07-01'), organizationId: branch },
    });
    cityAdmin = await server.token('SZJGGW', ['ADMIN']);
    countyAdmin = await server.token('XZJGGW', ['ADMIN']);
    agencyAdmin = await server.token('SZJGGW-MZJ', ['ADMIN']);
    cityMember = await server.token('SZJGGW', ['MEMBER']);
    countyMember = await server.token('XZJGGW', ['MEMBER']);
  });
  afterAll(() => server?.close());

  const setEnabled = (token: string, pluginId: string, enabled: boolean) =>
    server.gql(
      'mutation ($p: String!, $e: Boolean!) { setPluginEnabled(pluginId: $p, enabled: $e) { id version enabled } }',
      { p: pluginId, e: enabled },
      token,
    );
  const praiseSomeone = async (token: string, code: string) => {
    const member = await server.db.client.member.findFirstOrThrow({ where: { organization: { code: { startsWith: code } } } });
    return server.gql(
      'mutation ($m: ID!) { praiseMember(memberId: $m, reason: "带头攻坚") { memberName reason } }',
      { m: globalId('Member', member.id) },
      token,
    );
  };

  it('lists the loaded plugins with versions, requirements and enablement', async () => {
    const { data } = await server.gql('{ plugins { id version enabled requires { id range } } }', {}, cityMember);
    expect(data.plugins).toEqual([
      { id: 'honor-roll', version: '1.2.0', enabled: true, requires: [{ id: 'core', range: '^1.0.0' }] },
      {
        id: 'honor-roll-badges',
        version: '0.1.0',
        enabled: true,
        requires: [
          { id: 'core', range: '^1.0.0' },
          { id: 'honor-roll', range: '^1.0.0' },
        ],
      },
    ]);
  });

  it('only an admin of the top-level organization changes enablement; unknown ids and dependents are refused', async () => {
    expect((await setEnabled(agencyAdmin, 'honor-roll-badges', false)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await setEnabled(cityMember, 'honor-roll-badges', false)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await setEnabled(cityAdmin, 'no-such-plugin', false)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'pluginId',
    });
    const dependent = await setEnabled(cityAdmin, 'honor-roll', false);
    expect(dependent.errors?.[0]).toMatchObject({
      message: expect.stringContaining('honor-roll-badges requires honor-roll'),
      extensions: { code: 'CONFLICT' },
    });
  });

  it('two departments see different schemas; a change takes effect on the next request; schemas are cached per set', async () => {
    expect((await praiseSomeone(cityAdmin, 'SZJGGW')).errors).toBeUndefined();
    expect((await setEnabled(cityAdmin, 'honor-roll-badges', false)).data.setPluginEnabled).toEqual({
      id: 'honor-roll-badges',
      version: '0.1.0',
      enabled: false,
    });
    expect((await setEnabled(cityAdmin, 'honor-roll', false)).errors).toBeUndefined();

    const city = await server.gql(TYPES, {}, cityMember);
    const county = await server.gql(TYPES, {}, countyMember);
    expect(hasType(city, 'Praise')).toBe(false);
    expect(hasType(county, 'Praise')).toBe(true);
    const hidden = await server.gql('{ badgeNames }', {}, cityMember);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await server.gql('{ badgeNames }', {}, countyMember)).data).toEqual({ badgeNames: ['优秀共产党员', '优秀党务工作者'] });

    // The disabled plugin's activities leave the city's feed, but are kept.
    const feed = await server.gql('{ activities(kinds: ["honor-roll.praised"]) { totalCount } }', {}, cityAdmin);
    expect(feed.data.activities.totalCount).toBe(0);
    expect(await server.db.client.activity.count({ where: { kind: 'honor-roll.praised' } })).toBe(1);

    const derived = server.app.schemas.derived;
    for (let i = 0; i < 3; i++) await server.gql(TYPES, {}, i % 2 ? cityMember : countyMember);
    expect(server.app.schemas.derived).toBe(derived);

    // Re-enabling brings everything back unchanged.
    await setEnabled(cityAdmin, 'honor-roll', true);
    await setEnabled(cityAdmin, 'honor-roll-badges', true);
    expect(hasType(await server.gql(TYPES, {}, cityMember), 'Praise')).toBe(true);
    const back = await server.gql(
      '{ activities(kinds: ["honor-roll.praised"]) { totalCount } organization: organizations(first: 1) { edges { node { praiseCount } } } }',
      {},
      cityAdmin,
    );
    expect(back.data.activities.totalCount).toBe(1);
    expect(back.data.organization.edges[0].node.praiseCount).toBe(1);

    const log = await server.gql('{ activities(kinds: ["plugin.enabled", "plugin.disabled"]) { totalCount } }', {}, cityAdmin);
    expect(log.data.activities.totalCount).toBe(4);
  });

  it('disabling ends open subscriptions of that plugin with a clear error, and filters plugin events from activity streams', async () => {
    const cityWs = server.ws(cityMember);
    const countyWs = server.ws(countyMember);
    const praised = nextResults(cityWs, 'subscription { praised { memberName } }', {}, 2);
    const cityFeed = nextResults(cityWs, 'subscription { activityAdded { kind } }', {}, 3);
    const countyFeed = nextResults(countyWs, 'subscription { activityAdded { kind } }', {}, 1);
    await new Promise((r) => setTimeout(r, 300));

    await praiseSomeone(cityAdmin, 'SZJGGW');
    await setEnabled(cityAdmin, 'honor-roll-badges', false);
    await setEnabled(cityAdmin, 'honor-roll', false);
    const [first, ended] = await praised.done;
    expect(first?.data?.praised?.memberName).toBeTruthy();
    expect(ended?.errors?.[0]).toMatchObject({
      message: expect.stringContaining('honor-roll plugin was disabled'),
      extensions: { code: 'PLUGIN_DISABLED' },
    });

    // While disabled for the city, its praises (now impossible there) and the county's are invisible to city subscribers.
    expect((await praiseSomeone(countyAdmin, 'XZJGGW')).errors).toBeUndefined();
    await setEnabled(cityAdmin, 'honor-roll', true);
    const cityKinds = (await cityFeed.done).map((r) => r.data?.activityAdded.kind);
    expect(cityKinds).toEqual(['honor-roll.praised', 'plugin.disabled', 'plugin.disabled']);
    expect((await countyFeed.done).map((r) => r.data?.activityAdded.kind)).toEqual(['honor-roll.praised']);
    await setEnabled(cityAdmin, 'honor-roll-badges', true);
  });
});
