import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  ActivitiesQuery,
  createClient,
  type DangjianClient,
  DangjianClientError,
  type FeedActivity,
  OrganizationByCodeQuery,
  OrganizationMembersQuery,
  RecordMeetingMutation,
  SecretaryDashboardQuery,
  ViewerQuery,
} from '@dangjian/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '@dangjian/testing';

// @dangjian/client against a started server: typed queries and a mutation over HTTP, typed errors, and the
// activity feed over graphql-ws surviving a dropped connection without losing or repeating an activity.

const BRANCH = 'SZJGGW-MZJ-BGS';
const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/**
 * A TCP relay between the client's socket and the server, so the test can drop the connection the way a
 * network does (`cut`: both ends destroyed, no close frame) and keep refusing new ones for a while.
 */
async function relay(target: string) {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let refusing = false;
  let connections = 0;
  const server: Server = createServer((client) => {
    if (refusing) return void client.destroy();
    connections += 1;
    const upstream = connect(Number(port), hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', end).on('close', end);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${address.port}/graphql`,
    get connections() {
      return connections;
    },
    cut(refuse: boolean) {
      refusing = refuse;
      for (const socket of open) socket.destroy();
    },
    accept() {
      refusing = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Resolves once `predicate` holds, polling; fails with `what` after `timeoutMs`. */
async function until(predicate: () => boolean, what: () => string, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('@dangjian/client against a started server', () => {
  let server: TestServer;
  let secretary: string;
  let client: DangjianClient;
  let branch: { id: string; code: string };
  let attendee: string;
  let proxy: Awaited<ReturnType<typeof relay>>;
  let topics = 0;
  /** The variables of every subscribe message the client sent, and how many activities it had received by then. */
  const subscribes: { variables: Record<string, unknown>; received: number }[] = [];
  let receivedSoFar = () => 0;

  const record = (topic = `客户端测试：主题党日 ${++topics}`) =>
    client.mutate(RecordMeetingMutation, {
      input: {
        organizationId: branch.id,
        kind: 'THEME_DAY',
        date: iso(daysAgo(1)),
        topic,
        attendance: [{ memberId: attendee, present: true }],
      },
    });

  beforeAll(async () => {
    server = await startTestServer();
    proxy = await relay(server.wsUrl);
    secretary = await server.token(BRANCH, ['SECRETARY'], 'bgs-secretary');
    client = createClient({
      url: server.url,
      wsUrl: proxy.url,
      token: async () => secretary,
      webSocketImpl: WebSocket,
      // Observes the messages the client sends (graphql-ws serializes each through this replacer).
      ws: {
        jsonMessageReplacer: (key, value) => {
          if (key === '' && value?.type === 'subscribe')
            subscribes.push({ variables: JSON.parse(JSON.stringify(value.payload.variables)), received: receivedSoFar() });
          return value;
        },
      },
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await proxy?.close();
    await server?.close();
  });

  it('runs typed queries: viewer, a look-up by code and the secretary’s dashboard', async () => {
    const { viewer } = await client.query(ViewerQuery);
    expect(viewer).toMatchObject({ userId: 'bgs-secretary', roles: ['SECRETARY'], organization: { code: BRANCH, kind: 'BRANCH' } });
    expect(viewer?.permissions.manageCadresAndMeetings).toBe(true);

    const { organization } = await client.query(OrganizationByCodeQuery, { code: BRANCH });
    expect(organization).toMatchObject({ code: BRANCH });
    branch = organization!;

    const dashboard = await client.query(SecretaryDashboardQuery, { id: branch.id, from: iso(daysAgo(365)), to: iso(daysAgo(0)) });
    expectTypeOf(dashboard.organization).toMatchTypeOf<{ members: { totalCount: number }; termOverdue: boolean } | null>();
    const members = await server.db.client.member.count({ where: { organization: { code: BRANCH } } });
    expect(dashboard.organization).toMatchObject({ id: branch.id, code: BRANCH, members: { totalCount: members } });
    expect(members).toBeGreaterThan(0);
    expect(dashboard.inArrears.totalCount).toBeGreaterThanOrEqual(0);
    for (const row of dashboard.meetingShortfalls) expect(row.held).toBeLessThan(row.required);

    const page = await client.query(OrganizationMembersQuery, { id: branch.id, first: 3 });
    attendee = page.organization!.members.edges[0]!.node.id;
  });

  it('runs a typed mutation', async () => {
    const meeting = (await record('客户端测试：学习党章')).recordMeeting;
    expect(meeting).toMatchObject({
      kind: 'THEME_DAY',
      topic: '客户端测试：学习党章',
      presentCount: 1,
      absentCount: 0,
      attendanceRate: 1,
      organization: { code: BRANCH },
    });
    expectTypeOf(meeting.attendanceRate).toEqualTypeOf<number | null>();
  });

  it('throws typed errors carrying extensions.code', async () => {
    const conflict = await record('客户端测试：学习党章').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(DangjianClientError);
    expect(conflict).toMatchObject({ code: 'CONFLICT', field: 'input.topic' });

    const member = await server.token(BRANCH, ['MEMBER'], 'bgs-member');
    const reader = createClient({ url: server.url, token: () => member });
    const forbidden = await reader
      .mutate(RecordMeetingMutation, {
        input: { organizationId: branch.id, kind: 'THEME_DAY', date: iso(daysAgo(2)), topic: '无权登记', attendance: [] },
      })
      .catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN' });

    const anonymous = createClient({ url: server.url });
    expect(await anonymous.query(ViewerQuery)).toEqual({ viewer: null });
    const unauthenticated = await anonymous
      .query(SecretaryDashboardQuery, { id: branch.id, from: iso(daysAgo(90)), to: iso(daysAgo(0)) })
      .catch((e: unknown) => e);
    expect(unauthenticated).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('streams the activity feed across a dropped connection: every activity once, in order', async () => {
    // Start after the newest activity of the branch, so nothing written from here on can be missed.
    const latest = await client.query(ActivitiesQuery, { under: branch.id, first: 1 });
    const after = latest.activities.edges[0]!.node.id;
    const received: FeedActivity[] = [];
    const failures: unknown[] = [];
    receivedSoFar = () => received.length;
    const feed = client.activities({ under: branch.id, after }, { next: (a) => received.push(a), error: (e) => failures.push(e) });
    const written: string[] = [];
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) written.push((await record()).recordMeeting.id);
    };
    const progress = () => `${received.length} of ${written.length} received, failures ${JSON.stringify(failures)}`;
    try {
      await write(4);
      await until(() => received.length === 4, progress);
      const connectionsBefore = proxy.connections;

      // The network drops and stays down while more is written; the client keeps retrying.
      proxy.cut(true);
      await write(4);
      expect(received).toHaveLength(4);
      proxy.accept();
      // More is written while the client reconnects and catches up.
      await write(4);
      await until(() => received.length >= 12, progress);
      expect(proxy.connections, 'the client reconnected').toBeGreaterThan(connectionsBefore);

      // And once more, an abrupt drop with an immediate reconnect, writing all the while.
      const writing = write(6);
      await until(() => received.length >= 14, progress);
      proxy.cut(false);
      await writing;
      await until(() => received.length >= written.length, progress);
      await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more (no repeats) trickles in

      expect(failures).toEqual([]);
      expect(received.map((a) => a.subjectId)).toEqual(written);
      expect(received.every((a) => a.kind === 'meeting.recorded' && a.organization?.code === BRANCH)).toBe(true);
      expect(new Set(received.map((a) => a.id)).size).toBe(received.length);
      expect(feed.lastId).toBe(received.at(-1)!.id);
      // Each resubscription resumed from the last activity received before it, not from the start.
      expect(subscribes.length, 'subscribed once, then again after each drop').toBeGreaterThanOrEqual(3);
      expect(subscribes[0]!.variables).toEqual({ under: branch.id, after });
      for (const { variables, received: count } of subscribes.slice(1))
        expect(variables).toEqual({ under: branch.id, after: received[count - 1]!.id });
    } finally {
      feed.unsubscribe();
    }
  }, 150_000); // reconnects back off (0.5 s doubling): generous on a loaded machine

  it('ends the feed with UNAUTHENTICATED when the server refuses the token', async () => {
    const bad = createClient({ url: server.url, token: () => 'not-a-token', webSocketImpl: WebSocket, ws: { retryWait: async () => {} } });
    try {
      const error = await new Promise<unknown>((resolve) => bad.activities({}, { next: () => {}, error: resolve }));
      expect(error).toBeInstanceOf(DangjianClientError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', extensions: { closeCode: 4403 } });
    } finally {
      await bad.dispose();
    }
  });
});

// Trusted documents land on the server from another branch (`trusted`): until packages/server reads
// DANGJIAN_TRUSTED_DOCUMENTS, sending by documentId is covered by the unit tests in packages/client only.
const serverReadsTrustedDocuments = readFileSync(new URL('../packages/server/src/config.ts', import.meta.url), 'utf8').includes(
  'DANGJIAN_TRUSTED_DOCUMENTS',
);

describe.skipIf(!serverReadsTrustedDocuments)(
  '@dangjian/client with trusted documents (needs DANGJIAN_TRUSTED_DOCUMENTS in packages/server)',
  () => {
    let server: TestServer;
    beforeAll(async () => {
      const manifest = new URL('../packages/client/persisted-documents.json', import.meta.url).pathname;
      server = await startTestServer({ env: { DANGJIAN_TRUSTED_DOCUMENTS: manifest } });
    });
    afterAll(() => server?.close());

    it('runs the package’s operations by document id, with the same answer as by text', async () => {
      const token = await server.token(BRANCH, ['SECRETARY'], 'bgs-secretary');
      const byId = createClient({ url: server.url, token: () => token, trustedDocuments: true });
      const byText = createClient({ url: server.url, token: () => token });
      expect(await byId.query(ViewerQuery)).toEqual(await byText.query(ViewerQuery));
      const { organization } = await byId.query(OrganizationByCodeQuery, { code: BRANCH });
      expect(organization?.code).toBe(BRANCH);
    });
  },
);
