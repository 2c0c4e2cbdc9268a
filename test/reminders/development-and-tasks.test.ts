import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { gid, insertDepartment, testClock, type Department } from './support.ts';

// The reminder rules of the year's work that arrived beside the reminders: a development step due
// (发展党员) and a 任务清单 task due (考核). Rows are inserted as the procedure and the scheme leave them;
// the run and the inbox are the public API.

const INBOX = '{ notifications(first: 50) { unreadCount edges { node { kind title body role subjectId } } } }';
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

function ok<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

describe('reminders: development steps and assessment tasks due', () => {
  let server: TestServer;
  let a: Department;
  let s: Department;
  let recordId: string;
  let assignmentId: string;
  const clock = testClock('2026-03-01');
  const run = async (day: string) => {
    clock.at(day);
    const summary = await server.app.reminders.runOnce('manual');
    const mine = (rule: string) => summary.results.find((r) => r.rule === rule && r.organizationId === a.rootId)!;
    expect(summary.results.every((r) => r.error === undefined)).toBe(true);
    return (rule: string) => mine(rule).produced;
  };

  beforeAll(async () => {
    server = await startTestServer({ dataset: null, reminders: { enabled: false, now: clock.now } });
    a = await insertDepartment(server.db.client, 'DA');
    s = await insertDepartment(server.db.client, 'DS');
    const db = server.db.client;
    // Applied on 1 March 2026: the branch must send someone to talk within a month (step 2, by 1 April).
    const record = await db.developmentRecord.create({
      data: {
        name: '申请人甲',
        gender: 'MALE',
        birthDate: d('1998-05-01'),
        nationalId: 'sealed',
        nationalIdHash: 'hash-development-reminder',
        organizationId: a.branchId,
        step: 1,
        stepDate: d('2026-03-01'),
        appliedAt: d('2026-03-01'),
      },
    });
    await db.developmentEntry.create({ data: { recordId: record.id, step: 1, date: d('2026-03-01'), account: '递交入党申请书' } });
    recordId = record.id;
    // A task of the department for the branch, due 30 April 2026.
    const task = await db.assessmentTask.create({
      data: { organizationId: a.rootId, title: '开展主题党日', deadline: d('2026-04-30'), points: '5.00', createdBy: 'admin' },
    });
    assignmentId = (await db.assessmentTaskAssignment.create({ data: { taskId: task.id, organizationId: a.branchId } })).id;
  });
  afterAll(() => server?.close());

  it('reminds of the talk within 14 days of its deadline and once more when overdue; never twice', async () => {
    expect((await run('2026-03-17'))('core.developmentStepDue')).toBe(0);
    expect((await run('2026-03-18'))('core.developmentStepDue')).toBe(1);
    expect((await run('2026-03-25'))('core.developmentStepDue')).toBe(0);
    expect((await run('2026-04-02'))('core.developmentStepDue')).toBe(1);
    expect((await run('2026-04-03'))('core.developmentStepDue')).toBe(0);
    const secretary = await server.token(a.branchCode, ['SECRETARY'], 'da-secretary');
    const notes = ok(await server.gql(INBOX, {}, secretary)).notifications.edges.map((e: { node: any }) => e.node);
    const development = notes.filter((n: { kind: string }) => n.kind === 'core.developmentStepDue');
    expect(development.map((n: { title: string }) => n.title)).toEqual(
      expect.arrayContaining(['申请人甲的发展步骤即将到期', '申请人甲的发展步骤已逾期']),
    );
    expect(development.every((n: { subjectId: string }) => n.subjectId === gid('DevelopmentRecord', recordId))).toBe(true);
  });

  it('reminds the organization of a task not reported within 7 days of its deadline; not once it is reported', async () => {
    expect((await run('2026-04-22'))('core.assessmentTaskDue')).toBe(0);
    expect((await run('2026-04-23'))('core.assessmentTaskDue')).toBe(2); // the branch's secretary and its admins
    await server.db.client.assessmentTaskAssignment.update({
      where: { id: assignmentId },
      data: { state: 'REPORTED', account: '已开展', reportedAt: d('2026-04-24') },
    });
    expect((await run('2026-05-02'))('core.assessmentTaskDue')).toBe(0); // reported: no overdue reminder
    const admin = await server.token(a.branchCode, ['ADMIN'], 'da-admin');
    const notes = ok(await server.gql(INBOX, {}, admin)).notifications.edges.map((e: { node: any }) => e.node);
    expect(notes.filter((n: { kind: string }) => n.kind === 'core.assessmentTaskDue')).toEqual([
      expect.objectContaining({
        title: '考核任务「开展主题党日」即将到期',
        role: 'ADMIN',
        subjectId: gid('AssessmentTaskAssignment', assignmentId),
      }),
    ]);
  });

  it('a sibling department hears nothing of either', async () => {
    const other = await server.token(s.branchCode, ['SECRETARY', 'ADMIN'], 'ds-both');
    const kinds = ok(await server.gql(INBOX, {}, other)).notifications.edges.map((e: { node: { kind: string } }) => e.node.kind);
    expect(kinds.filter((k: string) => k === 'core.developmentStepDue' || k === 'core.assessmentTaskDue')).toEqual([]);
  });
});
