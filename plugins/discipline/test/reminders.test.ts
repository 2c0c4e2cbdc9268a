import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { disciplinePlugin } from '../src/index.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('discipline.rectificationDue through the scheduler (plugin contract)', () => {
  let server: TestServer;
  let now = d('2026-12-28');
  let root: { id: string; code: string };
  let branch: string;
  let committee: string;
  const produced = async (day: string) => {
    now = d(day);
    const summary = await server.app.reminders.runOnce('manual');
    const result = summary.results.find((r) => r.rule === 'discipline.rectificationDue' && r.organizationId === root.id);
    expect(result?.error).toBeUndefined();
    return result?.produced ?? null;
  };

  beforeAll(async () => {
    server = await startTestServer({ dataset: null, plugins: [disciplinePlugin], reminders: { enabled: false, now: () => now } });
    const db = server.db.client;
    const r = await db.organization.create({ data: { kind: 'WORKING_COMMITTEE', name: '纪检工委', code: 'DR', path: '/', depth: 0 } });
    root = { id: r.id, code: 'DR' };
    await db.organization.update({ where: { id: r.id }, data: { path: `/${r.id}/` } });
    const c = await db.organization.create({
      data: { kind: 'COMMITTEE', name: '机关党委', code: 'DR-C', parentId: r.id, path: '/', depth: 1 },
    });
    committee = c.id;
    await db.organization.update({ where: { id: c.id }, data: { path: `/${r.id}/${c.id}/` } });
    const b = await db.organization.create({
      data: { kind: 'BRANCH', name: '第一支部', code: 'DR-C-B', parentId: c.id, path: '/', depth: 2 },
    });
    branch = b.id;
    await db.organization.update({ where: { id: b.id }, data: { path: `/${r.id}/${c.id}/${b.id}/` } });
    const inspection = await db.disciplineInspection.create({
      data: {
        inspectedOrganizationId: branch,
        inspectingOrganizationId: committee,
        date: d('2026-11-01'),
        scope: '作风',
        inspectors: ['王'],
        createdBy: 'x',
      },
    });
    const problem = await db.disciplineInspectionProblem.create({
      data: { inspectionId: inspection.id, category: 'CONDUCT', description: '会议记录不全' },
    });
    await db.disciplineRectification.create({ data: { problemId: problem.id, measure: '补齐会议记录', deadline: d('2027-01-05') } });
    await db.disciplineRectification.create({
      data: { problemId: problem.id, measure: '已验收', deadline: d('2027-01-05'), status: 'ACCEPTED' },
    });
  });
  afterAll(() => server?.close());

  it('reminds the inspected secretary 7 days ahead, then the discipline role once overdue, each once', async () => {
    expect(await produced('2026-12-28')).toBe(0);
    expect(await produced('2026-12-29')).toBe(1);
    expect(await produced('2027-01-05')).toBe(0);
    expect(await produced('2027-01-06')).toBe(2);
    expect(await produced('2027-01-07')).toBe(0);
    const discipline = await server.db.client.notification.findMany({ where: { organizationId: committee, role: 'DISCIPLINE' } });
    expect(discipline.map((n) => [n.kind, n.subjectType])).toEqual([['discipline.rectificationDue', 'Rectification']]);
  });

  it('does not run where the department disabled the plugin', async () => {
    const admin = await server.token(root.code, ['ADMIN']);
    const result = await server.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: false) { id } }', {}, admin);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    expect(await produced('2027-01-08')).toBeNull();
  });
});
