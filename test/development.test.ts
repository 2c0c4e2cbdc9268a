import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nationalIdChecksum } from '@dangjian/db';
import { loadedIndicators } from '@dangjian/core';
import {
  DEVELOPMENT_STEP_OFFSETS as OFFSETS,
  PASSING_VOTE as VOTE,
  developmentStepInput,
  startTestServer,
  walkDevelopmentSteps,
  type GqlResult,
  type TestServer,
} from '@dangjian/testing';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const today = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const addDays = (date: Date, n: number) => new Date(date.getTime() + n * 86_400_000);
const addMonths = (date: Date, n: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, date.getUTCDate()));

/** A valid national ID for someone born on `birth` (a Beijing area code; `serial` keeps IDs apart). */
function nationalId(birth: Date, serial: number): string {
  const first17 = `110101${iso(birth).replaceAll('-', '')}${String(serial).padStart(3, '0')}`;
  return first17 + nationalIdChecksum(first17);
}

function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const RECORD_FIELDS = `id name nationalId birthDate state step stepName stage stepDate nextSteps appliedAt probationEndsAt extendedMonths endedAt endReason
  organization { id code }
  member { id status joinedAt fullMemberAt }
  nextDue { step stepName stage dueBy overdue rule }
  timeline { kind step name stage date account late votesEntitled votesPresent votesFor trainingDays trainingHours noticeFrom noticeTo months
    people { name externalReason member { id } } }`;
const START = `mutation ($input: StartDevelopmentInput!) { startDevelopment(input: $input) { ${RECORD_FIELDS} } }`;
const STEP = `mutation ($id: ID!, $input: RecordDevelopmentStepInput!) { recordDevelopmentStep(id: $id, input: $input) { ${RECORD_FIELDS} } }`;
const EXTEND = `mutation ($id: ID!, $input: ExtendProbationInput!) { extendProbation(id: $id, input: $input) { ${RECORD_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!, $input: CancelProbationInput!) { cancelProbation(id: $id, input: $input) { ${RECORD_FIELDS} } }`;
const END = `mutation ($id: ID!, $input: EndDevelopmentInput!) { endDevelopment(id: $id, input: $input) { ${RECORD_FIELDS} } }`;
const RECORD = `query ($id: ID!) { developmentRecord(id: $id) { ${RECORD_FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
const PIPELINE = `query ($filter: DevelopmentFilter, $first: Int) {
  developmentRecords(filter: $filter, first: $first) { totalCount edges { node { ${RECORD_FIELDS} } } }
}`;
const DUE = `query ($under: ID, $withinDays: Int) { developmentDue(under: $under, withinDays: $withinDays) { id name step nextDue { step dueBy overdue rule } } }`;
const COUNTS = `query ($under: ID) { developmentCounts(under: $under) { stage count } }`;

describe('发展党员', () => {
  let server: TestServer;
  let statements = 0;
  let secretary: string;
  let admin: string;
  let reader: string;
  let sibling: string;
  const org: Record<string, { id: string; gid: string }> = {};
  let full: string[] = [];
  let probationary: string;
  let serial = 100;

  /** The input of a step that keeps every rule, for a record applied on `base`. */
  const stepInput = (step: number, base: Date, extra: Record<string, unknown> = {}) =>
    developmentStepInput(
      step,
      base,
      {
        2: [{ memberId: full[0] }],
        5: [{ memberId: full[0] }, { memberId: full[1] }],
        9: [{ memberId: full[1] }, { name: '王外援', externalReason: '组织关系在外地' }],
        16: [{ memberId: full[0] }],
      },
      extra,
    );

  const start = async (base: Date, name: string, token = secretary, branch = 'SZJGGW-MZJ-BGS') => {
    serial += 1;
    const data = expectOk(
      await server.gql(
        START,
        {
          input: {
            organizationId: org[branch]!.gid,
            name,
            nationalId: nationalId(new Date(Date.UTC(1995, 4, 5)), serial),
            appliedAt: iso(base),
          },
        },
        token,
      ),
    );
    return data.startDevelopment;
  };

  const walk = (id: string, base: Date, from: number, to: number) =>
    walkDevelopmentSteps(from, to, (step) => server.gql(STEP, { id, input: stepInput(step, base) }, secretary), 'recordDevelopmentStep');

  beforeAll(async () => {
    server = await startTestServer({ onQuery: () => void (statements += 1) });
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    admin = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    for (const o of await server.db.client.organization.findMany()) org[o.code] = { id: o.id, gid: gid('Organization', o.id) };
    const members = await server.db.client.member.findMany({
      where: { organizationId: org['SZJGGW-MZJ-BGS']!.id },
      orderBy: { name: 'asc' },
    });
    full = members.filter((m) => m.status === 'FULL').map((m) => gid('Member', m.id));
    const prob = await server.db.client.member.findFirst({
      where: { status: 'PROBATIONARY', organization: { path: { startsWith: `/${org.SZJGGW!.id}/` } } },
    });
    probationary = gid('Member', prob!.id);
  });
  afterAll(() => server?.close());

  it('walks one person through all 25 steps, each rule refusing its violation', async () => {
    const base = addDays(today(), -900);
    const record = await start(base, '李发展');
    const id = record.id;
    expect(record).toMatchObject({ state: 'ACTIVE', step: 1, stage: 'APPLICATION', stepName: '递交入党申请书', nextSteps: [2] });
    expect(record.nationalId).toMatch(/^1101\*{10}\d{3}[\dX]$/);
    expect(record.nextDue).toMatchObject({ step: 2, dueBy: iso(addMonths(base, 1)), overdue: true, rule: '党组织在一个月内派人谈话' });
    // Stored encrypted, never in clear.
    const row = await server.db.client.developmentRecord.findUniqueOrThrow({ where: { id: rawId(id) } });
    expect(row.nationalId).not.toContain('110101');
    expect(server.vault.decrypt(row.nationalId, 'DevelopmentRecord.nationalId')).toBe(nationalId(new Date(Date.UTC(1995, 4, 5)), serial));

    // Steps in order.
    expectError(await server.gql(STEP, { id, input: stepInput(3, base) }, secretary), 'ILLEGAL_STATE');
    await walk(id, base, 2, 4);
    // 培养联系人: full members only; 1–2.
    expectError(
      await server.gql(STEP, { id, input: stepInput(5, base, { people: [{ memberId: probationary }] }) }, secretary),
      'BAD_USER_INPUT',
      'input.people[0].memberId',
    );
    expectError(
      await server.gql(
        STEP,
        { id, input: stepInput(5, base, { people: [{ memberId: full[0] }, { memberId: full[1] }, { memberId: full[2] }] }) },
        secretary,
      ),
      'BAD_USER_INPUT',
      'input.people',
    );
    expectError(
      await server.gql(STEP, { id, input: stepInput(5, base, { people: [{ name: '外人' }] }) }, secretary),
      'BAD_USER_INPUT',
      'input.people[0].externalReason',
    );
    await walk(id, base, 5, 6);
    // A second half-yearly assessment is another step 6.
    let r = expectOk(
      await server.gql(STEP, { id, input: stepInput(6, base, { date: iso(addDays(base, 380)) }) }, secretary),
    ).recordDevelopmentStep;
    expect(r.nextSteps).toEqual([6, 7]);
    // A year as activist before becoming a development target.
    const early = await server.gql(STEP, { id, input: stepInput(7, base, { date: iso(addDays(base, 400)) }) }, secretary);
    expectError(early, 'BAD_USER_INPUT', 'input.date');
    expect(early.errors![0]!.message).toContain(iso(addMonths(addDays(base, 60), 12)));
    await walk(id, base, 7, 8);
    // Two 入党介绍人.
    expectError(
      await server.gql(STEP, { id, input: stepInput(9, base, { people: [{ memberId: full[1] }] }) }, secretary),
      'BAD_USER_INPUT',
      'input.people',
    );
    await walk(id, base, 9, 10);
    // Training: three days or 24 学时.
    expectError(
      await server.gql(STEP, { id, input: stepInput(11, base, { trainingDays: 2 }) }, secretary),
      'BAD_USER_INPUT',
      'input.trainingDays',
    );
    await walk(id, base, 11, 12);
    // 公示 of five working days.
    const shortNotice = { noticeFrom: iso(addDays(base, OFFSETS[12]!)), noticeTo: iso(addDays(base, OFFSETS[12]! + 2)) };
    const notice = await server.gql(STEP, { id, input: stepInput(13, base, shortNotice) }, secretary);
    expectError(notice, 'BAD_USER_INPUT', 'input.noticeTo');
    expect(notice.errors![0]!.message).toContain('working day');
    await walk(id, base, 13, 14);
    // The vote rule, with its numbers.
    const quorum = await server.gql(STEP, { id, input: stepInput(15, base, { vote: { entitled: 9, present: 4, for: 4 } }) }, secretary);
    expectError(quorum, 'BAD_USER_INPUT', 'input.vote');
    expect(quorum.errors![0]!.message).toContain('4 of 9 entitled members present');
    const refused = await server.gql(STEP, { id, input: stepInput(15, base, { vote: { entitled: 9, present: 8, for: 4 } }) }, secretary);
    expect(refused.errors![0]!.message).toContain('4 of 9 entitled members approved');
    const members = await server.db.client.member.count();
    r = await walk(id, base, 15, 15);
    // Step 15 makes the person a probationary member as of the meeting.
    expect(r.member).toMatchObject({ status: 'PROBATIONARY', joinedAt: iso(addDays(base, 500)), fullMemberAt: null });
    expect(r.probationEndsAt).toBe(iso(addMonths(addDays(base, 500), 12)));
    expect(await server.db.client.member.count()).toBe(members + 1);
    await walk(id, base, 16, 16);
    // Approval within six months at most.
    expectError(
      await server.gql(STEP, { id, input: stepInput(17, base, { date: iso(addDays(base, 500 + 190)) }) }, secretary),
      'BAD_USER_INPUT',
      'input.date',
    );
    r = await walk(id, base, 17, 22);
    expect(r.timeline.find((e: any) => e.step === 17).late).toBe(false);
    // 转正 is discussed when the probation has ended.
    expectError(
      await server.gql(STEP, { id, input: stepInput(23, base, { date: iso(addDays(base, 860)) }) }, secretary),
      'BAD_USER_INPUT',
      'input.date',
    );
    r = await walk(id, base, 23, 24);
    expect(r.member).toMatchObject({ status: 'FULL', fullMemberAt: r.probationEndsAt });
    r = await walk(id, base, 25, 25);
    expect(r).toMatchObject({ state: 'COMPLETED', step: 25, stage: 'PROBATION', nextSteps: [], nextDue: null });
    expect(r.timeline.map((e: any) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 6, 7, ...Array.from({ length: 18 }, (_, i) => i + 8)]);
    const nine = r.timeline.find((e: any) => e.step === 9);
    expect(nine.people).toEqual([
      { name: expect.any(String), externalReason: null, member: { id: full[1] } },
      { name: '王外援', externalReason: '组织关系在外地', member: null },
    ]);
    expect(r.timeline.find((e: any) => e.step === 15)).toMatchObject({ votesEntitled: 9, votesPresent: 8, votesFor: 7 });
    // A completed record takes no further step.
    expectError(await server.gql(STEP, { id, input: stepInput(25, base) }, secretary), 'ILLEGAL_STATE');
    // An activity for every step, plus the member's registration and conversion.
    const activities = await server.db.client.activity.findMany({ where: { subjectId: rawId(id) } });
    expect(activities.filter((a) => a.kind === 'development.stepRecorded')).toHaveLength(25);
    expect(activities.filter((a) => a.kind === 'development.started')).toHaveLength(1);
    const memberId = rawId(r.member.id);
    expect(
      await server.db.client.activity.count({ where: { subjectId: memberId, kind: { in: ['member.registered', 'member.converted'] } } }),
    ).toBe(2);
  });

  it('refuses an applicant under 18, a duplicate, and a record in a committee', async () => {
    const base = addDays(today(), -10);
    const young = new Date(Date.UTC(today().getUTCFullYear() - 17, 0, 1));
    const res = await server.gql(
      START,
      { input: { organizationId: org['SZJGGW-MZJ-BGS']!.gid, name: '少年', nationalId: nationalId(young, 7), appliedAt: iso(base) } },
      secretary,
    );
    expectError(res, 'BAD_USER_INPUT', 'input.appliedAt');
    expect(res.errors![0]!.message).toContain('18');
    const input = {
      organizationId: org['SZJGGW-MZJ-BGS']!.gid,
      name: '重复',
      nationalId: nationalId(new Date(Date.UTC(1990, 1, 1)), 8),
      appliedAt: iso(base),
    };
    expectOk(await server.gql(START, { input }, secretary));
    expectError(await server.gql(START, { input }, secretary), 'CONFLICT', 'input.nationalId');
    expectError(
      await server.gql(
        START,
        { input: { ...input, organizationId: org['SZJGGW-MZJ']!.gid, nationalId: nationalId(new Date(Date.UTC(1990, 1, 1)), 9) } },
        secretary,
      ),
      'BAD_USER_INPUT',
      'input.organizationId',
    );
    expectError(
      await server.gql(START, { input: { ...input, nationalId: nationalId(new Date(Date.UTC(1990, 1, 1)), 10) } }, reader),
      'FORBIDDEN',
    );
  });

  it('flags a late talk and a late approval, and lists due and overdue steps with their rule', async () => {
    const base = addDays(today(), -900);
    const record = await start(base, '张迟到');
    let r = expectOk(
      await server.gql(STEP, { id: record.id, input: stepInput(2, base, { date: iso(addDays(base, 45)) }) }, secretary),
    ).recordDevelopmentStep;
    expect(r.timeline[1].late).toBe(true);
    await walk(record.id, base, 3, 16);
    r = expectOk(
      await server.gql(STEP, { id: record.id, input: stepInput(17, base, { date: iso(addDays(base, 500 + 100)) }) }, secretary),
    ).recordDevelopmentStep;
    expect(r.timeline.find((e: any) => e.step === 17).late).toBe(true);
    // Stands at 17: 转正 is due at the end of the probation (base + 500 days + a year, past).
    const due = expectOk(await server.gql(DUE, { under: org['SZJGGW-MZJ-BGS']!.gid }, secretary)).developmentDue;
    const mine = due.find((d: any) => d.id === record.id);
    expect(mine?.nextDue).toMatchObject({ step: 22, overdue: true, rule: '预备期满及时讨论转正' });
    const dates = due.map((d: any) => d.nextDue.dueBy);
    expect([...dates].sort()).toEqual(dates);
    expectError(await server.gql(DUE, { withinDays: 9999 }, secretary), 'BAD_USER_INPUT', 'withinDays');
  });

  it('extends a probation once and cancels one by a vote', async () => {
    const base = addDays(today(), -700);
    const record = await start(base, '赵延长');
    await walk(record.id, base, 2, 20);
    const date = iso(addDays(base, 600));
    expectError(
      await server.gql(EXTEND, { id: record.id, input: { date, months: 13, vote: VOTE, account: '考察不足' } }, secretary),
      'BAD_USER_INPUT',
      'input.months',
    );
    const refused = await server.gql(
      EXTEND,
      { id: record.id, input: { date, months: 6, vote: { entitled: 10, present: 6, for: 5 }, account: '考察不足' } },
      secretary,
    );
    expectError(refused, 'BAD_USER_INPUT', 'input.vote');
    expect(refused.errors![0]!.message).toContain('5 of 10');
    const r = expectOk(
      await server.gql(EXTEND, { id: record.id, input: { date, months: 6, vote: VOTE, account: '考察不足' } }, secretary),
    ).extendProbation;
    expect(r.extendedMonths).toBe(6);
    expect(r.probationEndsAt).toBe(iso(addMonths(addMonths(addDays(base, 500), 12), 6)));
    expect(r.timeline.at(-1)).toMatchObject({ kind: 'EXTENSION', name: '延长预备期', months: 6, votesFor: 7 });
    expectError(
      await server.gql(EXTEND, { id: record.id, input: { date, months: 6, vote: VOTE, account: '再延' } }, secretary),
      'ILLEGAL_STATE',
    );
    // Ending is not how a probationary member leaves: that is a cancellation.
    expectError(await server.gql(END, { id: record.id, input: { date, reason: '不再发展' } }, secretary), 'ILLEGAL_STATE');
    const cancelled = expectOk(
      await server.gql(
        CANCEL,
        { id: record.id, input: { date: iso(addDays(base, 650)), vote: VOTE, account: '不具备党员条件' } },
        secretary,
      ),
    ).cancelProbation;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', endedAt: iso(addDays(base, 650)), endReason: '不具备党员条件', nextSteps: [] });
    expectError(await server.gql(STEP, { id: record.id, input: stepInput(21, base) }, secretary), 'ILLEGAL_STATE');
    // The probationary member leaves the roll through the member lifecycle.
    const member = await server.db.client.member.findUniqueOrThrow({
      where: { id: rawId(cancelled.member.id) },
      include: { lifecycle: true },
    });
    expect(member.standing).toBe('LEFT');
    expect(member.lifecycle.map((e) => e.kind)).toEqual(['PROBATION_CANCELLED']);
    expect(
      await server.db.client.activity.count({
        where: { subjectId: rawId(record.id), kind: { in: ['development.probationExtended', 'development.probationCancelled'] } },
      }),
    ).toBe(2);
  });

  it('ends a record at any stage before acceptance, keeping it in history', async () => {
    const base = addDays(today(), -200);
    const record = await start(base, '钱终止');
    await walk(record.id, base, 2, 3);
    expectError(
      await server.gql(END, { id: record.id, input: { date: iso(addDays(base, 70)), reason: '  ' } }, secretary),
      'BAD_USER_INPUT',
      'input.reason',
    );
    const r = expectOk(
      await server.gql(END, { id: record.id, input: { date: iso(addDays(base, 70)), reason: '调往外地' } }, secretary),
    ).endDevelopment;
    expect(r).toMatchObject({ state: 'ENDED', endReason: '调往外地', step: 3 });
    expect(r.timeline.at(-1)).toMatchObject({ kind: 'ENDING', name: '终止发展', account: '调往外地' });
    const ended = expectOk(await server.gql(PIPELINE, { filter: { state: ['ENDED'] } }, secretary)).developmentRecords;
    expect(ended.edges.map((e: any) => e.node.id)).toContain(record.id);
    const active = expectOk(await server.gql(PIPELINE, {}, secretary)).developmentRecords;
    expect(active.edges.map((e: any) => e.node.id)).not.toContain(record.id);
  });

  it('answers the pipeline by stage and step and counts per stage, in a constant number of statements', async () => {
    const all = expectOk(await server.gql(PIPELINE, { first: 100 }, admin)).developmentRecords;
    const acceptance = expectOk(await server.gql(PIPELINE, { filter: { stage: ['ACCEPTANCE'] }, first: 100 }, admin)).developmentRecords;
    expect(acceptance.totalCount).toBeGreaterThan(0);
    expect(acceptance.edges.every((e: any) => e.node.step >= 12 && e.node.step <= 18)).toBe(true);
    const atThree = expectOk(await server.gql(PIPELINE, { filter: { step: [3] }, first: 100 }, admin)).developmentRecords;
    expect(atThree.edges.every((e: any) => e.node.step === 3)).toBe(true);
    expectError(await server.gql(PIPELINE, { filter: { step: [26] } }, admin), 'BAD_USER_INPUT', 'filter.step[0]');
    const counts = expectOk(await server.gql(COUNTS, {}, admin)).developmentCounts;
    expect(counts.map((c: any) => c.stage)).toEqual(['APPLICATION', 'ACTIVIST', 'TARGET', 'ACCEPTANCE', 'PROBATION']);
    expect(counts.reduce((sum: number, c: any) => sum + c.count, 0)).toBe(all.totalCount);
    expect(counts.find((c: any) => c.stage === 'ACCEPTANCE').count).toBe(acceptance.totalCount);

    const measure = async (query: string, variables: Record<string, unknown>) => {
      statements = 0;
      expectOk(await server.gql(query, variables, admin));
      return statements;
    };
    expect(all.totalCount).toBeGreaterThan(4);
    const few = await measure(PIPELINE, { first: 2 });
    const many = await measure(PIPELINE, { first: 100 });
    expect(many).toBe(few);
    const dueFew = await measure(DUE, { withinDays: 0 });
    const dueMany = await measure(DUE, { withinDays: 366 });
    expect(dueMany).toBe(dueFew);
  });

  it('gives the indicators core.development.developed and core.development.overdueSteps per organization, in a fixed number of statements', async () => {
    const indicators = loadedIndicators([]);
    const developed = indicators.find((i) => i.id === 'core.development.developed')!;
    const overdue = indicators.find((i) => i.id === 'core.development.overdueSteps')!;
    const organizations = await server.db.client.organization.findMany({ select: { id: true, path: true, kind: true } });
    const bgs = organizations.find((o) => o.id === org['SZJGGW-MZJ-BGS']!.id)!;
    const root = organizations.find((o) => o.id === org.SZJGGW!.id)!;
    const period = { from: addDays(today(), -730), to: today() };
    const input = { db: server.db.client, organizations, period, today: today() };
    const measure = async (run: () => Promise<unknown>) => {
      statements = 0;
      await run();
      return statements;
    };
    const one = await measure(() => developed.value({ ...input, organizations: [bgs] }));
    expect(await measure(() => developed.value(input))).toBe(one);
    const counts = await developed.value(input);
    const evidence = await developed.evidence({ ...input, organization: bgs });
    // The walked person was accepted (step 15) 400 days ago, inside the period.
    expect(evidence.some((e) => e.label.startsWith('李发展'))).toBe(true);
    expect(counts.get(bgs.id)).toBe(evidence.length);
    const branches = organizations.filter((o) => o.kind === 'BRANCH' || o.kind === 'TEMPORARY_BRANCH');
    expect(counts.get(root.id)).toBe(branches.reduce((sum, b) => sum + (counts.get(b.id) ?? 0), 0));
    expect(counts.get(organizations.find((o) => o.kind === 'GROUP')!.id)).toBeNull();

    const oneLate = await measure(() => overdue.value({ ...input, organizations: [bgs] }));
    expect(await measure(() => overdue.value(input))).toBe(oneLate);
    const late = await overdue.value(input);
    const lateEvidence = await overdue.evidence({ ...input, organization: bgs });
    expect(late.get(bgs.id)).toBe(lateEvidence.length);
    expect(lateEvidence.find((e) => e.label.startsWith('张迟到'))?.label).toContain('预备期满及时讨论转正');
    // Before its probation ended, the same record was not overdue.
    const earlier = { ...input, period: { from: addDays(today(), -730), to: addDays(today(), -100) } };
    expect((await overdue.evidence({ ...earlier, organization: bgs })).some((e) => e.label.startsWith('张迟到'))).toBe(false);
  });

  it('shows a sibling agency nothing', async () => {
    const ours = expectOk(
      await server.gql(PIPELINE, { first: 100, filter: { state: ['ACTIVE', 'COMPLETED', 'ENDED', 'CANCELLED'] } }, secretary),
    ).developmentRecords.edges.map((e: any) => e.node.id);
    expect(ours.length).toBeGreaterThan(0);
    const record = { id: ours[0] };
    expect(expectOk(await server.gql(RECORD, { id: record.id }, sibling)).developmentRecord).toBeNull();
    expect(expectOk(await server.gql(NODE, { id: record.id }, sibling)).node).toBeNull();
    const theirs = expectOk(
      await server.gql(PIPELINE, { first: 100, filter: { state: ['ACTIVE', 'COMPLETED', 'ENDED', 'CANCELLED'] } }, sibling),
    ).developmentRecords.edges.map((e: any) => e.node.id);
    expect(theirs.filter((id: string) => ours.includes(id))).toEqual([]);
    const due = expectOk(await server.gql(DUE, { withinDays: 366 }, sibling)).developmentDue.map((d: any) => d.id);
    expect(due.filter((id: string) => ours.includes(id))).toEqual([]);
    const mzjCounts = expectOk(await server.gql(COUNTS, {}, secretary)).developmentCounts;
    const allCounts = expectOk(await server.gql(COUNTS, {}, admin)).developmentCounts;
    const kxCounts = expectOk(await server.gql(COUNTS, {}, sibling)).developmentCounts;
    const total = (rows: any[]) => rows.reduce((sum, c) => sum + c.count, 0);
    expect(total(kxCounts)).toBeLessThanOrEqual(total(allCounts) - total(mzjCounts));
    expectError(await server.gql(STEP, { id: record.id, input: { step: 2, date: iso(today()), account: 'x' } }, sibling), 'NOT_FOUND');
    expectError(await server.gql(COUNTS, { under: org['SZJGGW-MZJ']!.gid }, sibling), 'NOT_FOUND');
    // Readable in the subtree.
    expect(expectOk(await server.gql(RECORD, { id: record.id }, admin)).developmentRecord.id).toBe(record.id);
  });
});
