import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { gid, insertDepartment, testClock, type Department } from './support.ts';

const INBOX = `query ($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    unreadCount pageInfo { hasNextPage endCursor } edges { node { id kind title body role subjectId read createdAt } }
  }
}`;
const MARK = 'mutation ($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }';
const ADDED = 'subscription { notificationAdded { id kind title subjectId } }';

function ok<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

describe('reminders → notification inbox', () => {
  let server: TestServer;
  let statements = 0;
  let a: Department;
  let s: Department;
  const clock = testClock('2026-12-20');
  const inbox = async (token: string, unreadOnly = false) =>
    ok(await server.gql(INBOX, { unreadOnly, first: 50 }, token)).notifications as {
      unreadCount: number;
      edges: { node: { id: string; kind: string; title: string; body: string; subjectId: string | null; read: boolean; role: string } }[];
    };
  const run = async (day: string) => {
    clock.at(day);
    const summary = await server.app.reminders.runOnce('manual');
    const mine = (rule: string) => summary.results.find((r) => r.rule === rule && r.organizationId === a.rootId)!;
    return { summary, produced: (rule: string) => mine(rule).produced };
  };

  beforeAll(async () => {
    server = await startTestServer({
      dataset: null,
      env: { METRICS_PORT: '0' },
      reminders: { enabled: false, now: clock.now },
      onQuery: () => statements++,
    });
    a = await insertDepartment(server.db.client, 'A');
    s = await insertDepartment(server.db.client, 'S');
  });
  afterAll(() => server?.close());

  it('produces each reminder at its threshold, and never twice', async () => {
    const first = await run('2026-12-20');
    expect(first.produced('core.termEnding')).toBe(0); // 2027-06-30 is more than six months away
    expect(first.produced('core.probationEnding')).toBe(0); // the year ends 2027-01-20: 31 days
    expect(first.produced('core.duesUnpaid')).toBe(1); // September to December unpaid: three months passed
    const second = await run('2026-12-31');
    expect(second.produced('core.termEnding')).toBe(2); // six months: the branch's secretary and the committee's admins
    expect(second.produced('core.probationEnding')).toBe(1);
    expect(second.produced('core.duesUnpaid')).toBe(0); // the three-month reminder was sent
    const again = await run('2026-12-31');
    expect(again.summary.results.filter((r) => r.produced > 0)).toEqual([]);
    expect(again.summary.results.every((r) => r.error === undefined)).toBe(true);
    // Metrics: three runs, and what the rules wrote (both departments), by rule.
    const metrics = await (await fetch(server.app.metricsUrl()!)).text();
    expect(metrics).toContain('dangjian_reminder_runs_total{trigger="manual"} 3');
    expect(metrics).toContain('dangjian_reminders_produced_total{rule="core.termEnding"} 4');
  });

  it('shows the secretary their inbox, the parent’s admin the term, and the sibling department nothing of it', async () => {
    const secretary = await server.token(a.branchCode, ['SECRETARY'], 'sec-a');
    const mine = await inbox(secretary);
    const kinds = mine.edges.map((e) => e.node.kind);
    expect(kinds).toEqual(expect.arrayContaining(['core.termEnding', 'core.probationEnding', 'core.duesUnpaid']));
    expect(mine.unreadCount).toBe(mine.edges.length);
    const dues = mine.edges.find((e) => e.node.kind === 'core.duesUnpaid')!.node;
    expect(dues.subjectId).toBe(gid('Member', a.arrearsId));
    expect(dues.title).toContain('A欠缴');
    const probation = mine.edges.find((e) => e.node.kind === 'core.probationEnding')!.node;
    expect(ok(await server.gql('query ($id: ID!) { node(id: $id) { id } }', { id: probation.subjectId }, secretary)).node).not.toBeNull();

    const admin = await server.token(a.committeeCode, ['ADMIN'], 'admin-a');
    const adminInbox = await inbox(admin);
    expect(adminInbox.edges.map((e) => e.node.kind)).toEqual(['core.termEnding']);
    expect(adminInbox.edges[0]!.node.subjectId).toBe(gid('Organization', a.branchId));

    const sibling = await inbox(await server.token(s.branchCode, ['SECRETARY'], 'sec-s'));
    expect(sibling.edges.length).toBeGreaterThan(0);
    expect(sibling.edges.every((e) => !e.node.title.startsWith('A'))).toBe(true);
    // Another role at the same branch is not addressed.
    expect((await inbox(await server.token(a.branchCode, ['MEMBER'], 'member-a'))).edges).toEqual([]);
    // A notification of another department answers as missing.
    const foreign = sibling.edges[0]!.node.id;
    expect(ok(await server.gql('query ($id: ID!) { node(id: $id) { id } }', { id: foreign }, secretary)).node).toBeNull();
  });

  it('reads an inbox in the same number of statements however many notifications it holds', async () => {
    const count = async (token: string) => {
      await inbox(token); // warm: authentication and the department's schema
      const before = statements;
      const page = await inbox(token);
      return { statements: statements - before, rows: page.edges.length };
    };
    const many = await count(await server.token(a.branchCode, ['SECRETARY'], 'sec-a'));
    const one = await count(await server.token(a.committeeCode, ['ADMIN'], 'admin-a'));
    expect(many.rows).toBeGreaterThan(one.rows);
    expect(many.statements).toBe(one.statements);
  });

  it('keeps read state per user and marks by id or all', async () => {
    const secretary = await server.token(a.branchCode, ['SECRETARY'], 'sec-a');
    const colleague = await server.token(a.branchCode, ['SECRETARY'], 'sec-a2');
    const before = await inbox(secretary);
    const first = before.edges[0]!.node.id;
    expect(ok(await server.gql(MARK, { ids: [first] }, secretary)).markNotificationsRead).toBe(1);
    expect(ok(await server.gql(MARK, { ids: [first] }, secretary)).markNotificationsRead).toBe(0);
    const after = await inbox(secretary);
    expect(after.unreadCount).toBe(before.unreadCount - 1);
    expect(after.edges.find((e) => e.node.id === first)!.node.read).toBe(true);
    expect((await inbox(secretary, true)).edges.map((e) => e.node.id)).not.toContain(first);
    expect((await inbox(colleague)).unreadCount).toBe(before.unreadCount);
    // Someone else's notification is not marked (and not revealed).
    const foreign = (await inbox(await server.token(s.branchCode, ['SECRETARY'], 'sec-s'))).edges[0]!.node.id;
    expect(ok(await server.gql(MARK, { ids: [foreign] }, secretary)).markNotificationsRead).toBe(0);
    expect(ok(await server.gql(MARK, { all: true }, secretary)).markNotificationsRead).toBe(before.unreadCount - 1);
    expect((await inbox(secretary)).unreadCount).toBe(0);
    const bad = await server.gql(MARK, { ids: ['bm9wZQ=='] }, secretary);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const neither = await server.gql(MARK, {}, secretary);
    expect(neither.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('streams new notifications to whom they are addressed only', async () => {
    const secretary = await server.token(a.branchCode, ['SECRETARY'], 'sec-a');
    const siblingSecretary = await server.token(s.branchCode, ['SECRETARY'], 'sec-s');
    const member = await server.token(a.branchCode, ['MEMBER'], 'member-a');
    const listen = (token: string) => {
      const got: { title: string; subjectId: string | null }[] = [];
      const client = server.ws(token);
      client.subscribe({ query: ADDED }, { next: (r) => got.push((r.data as any).notificationAdded), error: () => {}, complete: () => {} });
      return got;
    };
    const mine = listen(secretary);
    const theirs = listen(siblingSecretary);
    const members = listen(member);
    await new Promise((r) => setTimeout(r, 300));
    const result = await run('2027-03-31'); // three months left of both branches' terms
    expect(result.produced('core.termEnding')).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    const addressedToMe = (await inbox(secretary)).edges.filter((e) => !e.node.read).map((e) => e.node.title);
    expect(mine.map((n) => n.title).sort()).toEqual(addressedToMe.sort());
    expect(mine.some((n) => n.subjectId === gid('Organization', a.branchId))).toBe(true);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((n) => !n.title.startsWith('A'))).toBe(true);
    expect(members).toEqual([]);
  });

  it('lets the department’s ADMIN set thresholds, and the next run uses them', async () => {
    const admin = await server.token(a.rootCode, ['ADMIN'], 'root-admin');
    const SET = `mutation ($input: UpdateReminderSettingsInput!) {
      updateReminderSettings(input: $input) { rules { rule unit defaults thresholds } webhookUrl webhookSecretSet }
    }`;
    const saved = ok(await server.gql(SET, { input: { thresholds: [{ rule: 'core.probationEnding', values: [60] }] } }, admin));
    const probation = saved.updateReminderSettings.rules.find((r: { rule: string }) => r.rule === 'core.probationEnding');
    expect(probation).toEqual({ rule: 'core.probationEnding', unit: 'DAYS', defaults: [30], thresholds: [60] });
    const unknown = await server.gql(SET, { input: { thresholds: [{ rule: 'core.nope', values: [1] }] } }, admin);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.thresholds[0].rule' });
    const below = await server.gql(SET, { input: { thresholds: [{ rule: 'core.termEnding', values: [0] }] } }, admin);
    expect(below.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.thresholds[0].values[0]' });
    const lower = await server.token(a.committeeCode, ['ADMIN'], 'admin-a');
    expect((await server.gql(SET, { input: { thresholds: [] } }, lower)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // A member who joined 2026-02-20 ends probation 2027-02-20: 51 days after 2027-01-01 — inside 60, not 30.
    await server.db.client.member.create({
      data: {
        name: 'A新预备',
        gender: 'MALE',
        status: 'PROBATIONARY',
        joinedAt: new Date('2026-02-20T00:00:00Z'),
        organizationId: a.branchId,
      },
    });
    await server.db.client.member.create({
      data: {
        name: 'S新预备',
        gender: 'MALE',
        status: 'PROBATIONARY',
        joinedAt: new Date('2026-02-20T00:00:00Z'),
        organizationId: s.branchId,
      },
    });
    const result = await run('2027-01-01');
    // The new member at 60 days; the first (19 days left) crossed the new 60-day threshold, a reminder of its own.
    expect(result.produced('core.probationEnding')).toBe(2);
    expect(result.summary.results.find((r) => r.rule === 'core.probationEnding' && r.organizationId === s.rootId)!.produced).toBe(0);

    const SCHEDULE =
      '{ reminderSchedule { mode nextRunAt runs(first: 1) { trigger evaluatedAt finishedAt results { rule produced error } } } }';
    const schedule = ok(await server.gql(SCHEDULE, {}, admin)).reminderSchedule;
    expect(schedule.mode).toBe('OFF');
    expect(schedule.runs[0].evaluatedAt).toBe('2027-01-01T08:00:00.000Z');
    expect(schedule.runs[0].results).toContainEqual({ rule: 'core.probationEnding', produced: 2, error: null });
    expect((await server.gql(SCHEDULE, {}, await server.token(a.branchCode, ['SECRETARY']))).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});
