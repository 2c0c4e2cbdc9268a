import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { CARD, CREATE, expectError, expectOk, gid, schemeInput, thisYear } from './helpers.ts';

const ASSIGN = `mutation ($input: AssignAssessmentTaskInput!) { assignAssessmentTask(input: $input) {
  id title deadline points assignments { id state organization { code } } } }`;
const REPORT = `mutation ($id: ID!, $account: String!) { reportAssessmentTask(assignmentId: $id, account: $account) { id state account reportedAt } }`;
const ACCEPT = `mutation ($id: ID!) { acceptAssessmentTask(assignmentId: $id) { id state decidedAt } }`;
const RETURN = `mutation ($id: ID!, $reason: String!) { returnAssessmentTask(assignmentId: $id, reason: $reason) { id state returnReason } }`;
const TASKS = `query ($s: ID) { assessmentTasks(schemeId: $s) { title assignments { state organization { code } } } }`;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysFromToday = (n: number) => {
  const now = new Date();
  return iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + n)));
};

describe('task lists (任务清单)', () => {
  let server: TestServer;
  let admin: string;
  let bgsSecretary: string;
  let shjzAdmin: string;
  let mzjAdmin: string;
  let otherDepartment: string;
  let scheme: any;
  const org: Record<string, { id: string; gid: string }> = {};
  const assign = (input: Record<string, unknown>, token = admin) =>
    server.gql(
      ASSIGN,
      {
        input: {
          schemeId: scheme.id,
          title: '开展主题教育',
          description: '按工委部署开展',
          deadline: daysFromToday(30),
          points: '10',
          organizationIds: [org['SZJGGW-MZJ-BGS']!.gid, org['SZJGGW-MZJ-SHJZ']!.gid],
          ...input,
        },
      },
      token,
    );

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    bgsSecretary = await server.token('SZJGGW-MZJ-BGS', ['SECRETARY'], 'bgs-secretary');
    shjzAdmin = await server.token('SZJGGW-MZJ-SHJZ', ['ADMIN'], 'shjz-admin');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    const rootId = crypto.randomUUID();
    await server.db.client.organization.create({
      data: { id: rootId, kind: 'WORKING_COMMITTEE', name: '县直机关工委', code: 'XZJGGW', path: `/${rootId}/`, depth: 0 },
    });
    otherDepartment = await server.token('XZJGGW', ['ADMIN'], 'county-admin');
    for (const o of await server.db.client.organization.findMany()) org[o.code] = { id: o.id, gid: gid('Organization', o.id) };
    scheme = expectOk(await server.gql(CREATE, { input: schemeInput('任务测试') }, admin)).createAssessmentScheme;
    // The demo's task list would blur the shares measured here: these tests start from no task at all.
    await server.db.client.assessmentTask.deleteMany();
  });
  afterAll(() => server?.close());

  it('validates a task and names the field', async () => {
    expectError(await assign({ title: '' }), 'BAD_USER_INPUT', 'input.title');
    expectError(await assign({ points: '0' }), 'BAD_USER_INPUT', 'input.points');
    expectError(await assign({ points: '1.234' }), 'BAD_USER_INPUT', 'input.points');
    expectError(await assign({ organizationIds: [] }), 'BAD_USER_INPUT', 'input.organizationIds');
    expectError(await assign({ organizationIds: ['bm90IGFuIGlk'] }), 'BAD_USER_INPUT', 'input.organizationIds[0]');
    expectError(await assign({ deadline: '1800-01-01' }), 'BAD_USER_INPUT', 'input.deadline');
    expectError(await assign({}, mzjAdmin), 'FORBIDDEN');
    expectError(await assign({}, otherDepartment), 'NOT_FOUND');
    expectError(await assign({ schemeId: null }, otherDepartment), 'NOT_FOUND'); // the city's organizations are not the county's
    expect(await server.db.client.assessmentTask.count()).toBe(0);
  });

  it('runs report → return → report → accept, only by the assigned organization and the department', async () => {
    const { assignAssessmentTask: task } = expectOk(await assign({}));
    expect(task).toMatchObject({ title: '开展主题教育', points: '10.00' });
    const [bgs, shjz] = task.assignments;
    expect([bgs.organization.code, shjz.organization.code, bgs.state]).toEqual(['SZJGGW-MZJ-BGS', 'SZJGGW-MZJ-SHJZ', 'ASSIGNED']);
    // Another branch, the committee above and the department report nothing for a branch.
    expectError(await server.gql(REPORT, { id: bgs.id, account: '已完成' }, shjzAdmin), 'NOT_FOUND');
    expectError(await server.gql(REPORT, { id: bgs.id, account: '已完成' }, mzjAdmin), 'FORBIDDEN');
    expectError(await server.gql(REPORT, { id: bgs.id, account: '已完成' }, admin), 'FORBIDDEN');
    expectError(await server.gql(REPORT, { id: bgs.id, account: ' ' }, bgsSecretary), 'BAD_USER_INPUT', 'account');
    expectError(await server.gql(ACCEPT, { id: bgs.id }, admin), 'ILLEGAL_STATE');
    expect(expectOk(await server.gql(REPORT, { id: bgs.id, account: '召开专题会议3次' }, bgsSecretary)).reportAssessmentTask.state).toBe(
      'REPORTED',
    );
    expectError(await server.gql(REPORT, { id: bgs.id, account: '再报' }, bgsSecretary), 'ILLEGAL_STATE');
    expectError(await server.gql(ACCEPT, { id: bgs.id }, bgsSecretary), 'FORBIDDEN');
    expectError(await server.gql(RETURN, { id: bgs.id, reason: ' ' }, admin), 'BAD_USER_INPUT', 'reason');
    expect(expectOk(await server.gql(RETURN, { id: bgs.id, reason: '缺少会议记录' }, admin)).returnAssessmentTask).toMatchObject({
      state: 'RETURNED',
      returnReason: '缺少会议记录',
    });
    expectOk(await server.gql(REPORT, { id: bgs.id, account: '补充了会议记录' }, bgsSecretary));
    expect(expectOk(await server.gql(ACCEPT, { id: bgs.id }, admin)).acceptAssessmentTask.state).toBe('ACCEPTED');
    expectError(await server.gql(RETURN, { id: bgs.id, reason: '改主意' }, admin), 'ILLEGAL_STATE');
    const kinds = (await server.db.client.activity.findMany({ where: { kind: { startsWith: 'assessment.task' } } })).map((a) => a.kind);
    expect(kinds.sort()).toEqual(
      [
        'assessment.taskAccepted',
        'assessment.taskAssigned',
        'assessment.taskReported',
        'assessment.taskReported',
        'assessment.taskReturned',
      ].sort(),
    );
  });

  it('shows a branch its own part only, the department every part, another department nothing', async () => {
    const own = expectOk(await server.gql(TASKS, { s: scheme.id }, bgsSecretary)).assessmentTasks;
    expect(own[0].assignments.map((a: any) => a.organization.code)).toEqual(['SZJGGW-MZJ-BGS']);
    const all = expectOk(await server.gql(TASKS, { s: scheme.id }, admin)).assessmentTasks;
    expect(all[0].assignments.map((a: any) => a.state)).toEqual(['ACCEPTED', 'ASSIGNED']);
    expect(expectOk(await server.gql(TASKS, {}, otherDepartment)).assessmentTasks).toEqual([]);
  });

  it('feeds the scheme’s TASKS item: accepted on time, by points; missed deadlines count, open ones not yet', async () => {
    const db = server.db.client;
    const card = async (code: string) => expectOk(await server.gql(CARD, { o: org[code]!.gid, s: scheme.id }, admin)).scorecard.items[4];
    // BGS: one task (10 points) accepted on time → 100 %.
    expect(await card('SZJGGW-MZJ-BGS')).toMatchObject({ value: '100.00', points: '15.00' });
    // SHJZ: its task is still open and not yet due → not applicable.
    expect((await card('SZJGGW-MZJ-SHJZ')).notApplicable).toBe(true);
    // A task of 30 points whose deadline passed without a report: BGS now met 10 of 40 points.
    const { assignAssessmentTask: late } = expectOk(
      await assign({ title: '已过期任务', points: '30', deadline: daysFromToday(-1), organizationIds: [org['SZJGGW-MZJ-BGS']!.gid] }),
    );
    expect(await card('SZJGGW-MZJ-BGS')).toMatchObject({ value: '25.00', points: '3.75' });
    // Reported after the deadline and accepted: still late.
    expectOk(await server.gql(REPORT, { id: late.assignments[0].id, account: '补报' }, bgsSecretary));
    expectOk(await server.gql(ACCEPT, { id: late.assignments[0].id }, admin));
    expect((await card('SZJGGW-MZJ-BGS')).value).toBe('25.00');
    // Reported on the deadline day counts as on time (the day counts in full).
    await db.assessmentTaskAssignment.update({
      where: { id: Buffer.from(late.assignments[0].id, 'base64').toString().split(':')[1]! },
      data: { reportedAt: new Date(`${daysFromToday(-1)}T23:00:00Z`) },
    });
    expect((await card('SZJGGW-MZJ-BGS')).value).toBe('100.00');
  });

  it('computes core.tasks.acceptedOnTime over the tasks due in the year', async () => {
    const input = schemeInput('任务指标');
    input.items[0] = { ...input.items[0]!, indicatorId: 'core.tasks.acceptedOnTime', rule: { kind: 'PROPORTIONAL', target: '100' } };
    const other = expectOk(await server.gql(CREATE, { input }, admin)).createAssessmentScheme;
    const item = async (code: string) => expectOk(await server.gql(CARD, { o: org[code]!.gid, s: other.id }, admin)).scorecard.items[0];
    // BGS: of the tasks due by today, the late one is now on time (see above) → 100 %; the other task is not yet due.
    const due = daysFromToday(-1).startsWith(String(thisYear()));
    if (due) expect(await item('SZJGGW-MZJ-BGS')).toMatchObject({ value: '100.00', points: '30.00' });
    expect((await item('SZJGGW-MZJ-YLFW')).notApplicable).toBe(true);
  });
});
