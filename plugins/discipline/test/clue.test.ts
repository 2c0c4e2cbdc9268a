import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '@dangjian/testing';
import { daysAgo, err, memberIn, ok, startDiscipline } from './support.ts';

const FIELDS =
  'id channel anonymous reporter { name contact } subjectMember { name } subjectOrganization { name } receivingOrganization { name } content receivedAt status disposition decision decidedAt deciderId registeredBy';
const REGISTER = `mutation ($input: RegisterClueInput!) { registerClue(input: $input) { ${FIELDS} } }`;
const REVIEW = `mutation ($id: ID!) { startClueReview(id: $id) { id status } }`;
const DISPOSE = `mutation ($id: ID!, $input: DisposeClueInput!) { disposeClue(id: $id, input: $input) { id status disposition decision decidedAt deciderId } }`;
const READ = `query ($id: ID!) { clue(id: $id) { ${FIELDS} } }`;

describe('discipline: clues, their states, the reporter and the access log', () => {
  let server: TestServer;
  let org: Awaited<ReturnType<typeof startDiscipline>>['org'];
  let subject: Awaited<ReturnType<typeof memberIn>>;
  let mzjDiscipline: string; // 纪检委员 of 市民政局机关党委
  let mzjHead: string; // 纪委书记: DISCIPLINE and ADMIN acting for 市民政局机关党委
  let rootHead: string; // DISCIPLINE and ADMIN of the working committee above
  let mzjAdmin: string;
  let named: string; // a clue with a named reporter
  let anonymous: string;

  beforeAll(async () => {
    ({ server, org } = await startDiscipline());
    subject = await memberIn(server, 'SZJGGW-MZJ-SHJZ');
    mzjDiscipline = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], 'mzj-jw');
    mzjHead = await server.token('SZJGGW-MZJ', ['DISCIPLINE', 'ADMIN'], 'mzj-head');
    rootHead = await server.token('SZJGGW', ['DISCIPLINE', 'ADMIN'], 'root-head');
    mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
  });
  afterAll(() => server?.close());

  const input = (over: Record<string, unknown> = {}) => ({
    channel: 'PUBLIC',
    reporterName: '张群众',
    reporterContact: '13800000000',
    subjectMemberId: subject.id,
    content: '反映其违规收受礼品',
    receivedAt: daysAgo(10),
    ...over,
  });

  it('registers a clue (DISCIPLINE only), validating subject, reporter and date', async () => {
    const outsider = await memberIn(server, 'SZJGGW-KX-BGS');
    expect(err(await server.gql(REGISTER, { input: input({ subjectOrganizationId: org.shjz }) }, mzjDiscipline))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.subjectMemberId',
    });
    expect(err(await server.gql(REGISTER, { input: input({ subjectMemberId: null }) }, mzjDiscipline))).toMatchObject({
      field: 'input.subjectMemberId',
    });
    expect(err(await server.gql(REGISTER, { input: input({ reporterName: ' ' }) }, mzjDiscipline))).toMatchObject({
      field: 'input.reporterName',
    });
    expect(err(await server.gql(REGISTER, { input: input({ receivedAt: daysAgo(-1) }) }, mzjDiscipline))).toMatchObject({
      field: 'input.receivedAt',
    });
    expect(err(await server.gql(REGISTER, { input: input({ content: '' }) }, mzjDiscipline))).toMatchObject({ field: 'input.content' });
    expect(err(await server.gql(REGISTER, { input: input({ subjectMemberId: outsider.id }) }, mzjDiscipline))).toMatchObject({
      field: 'input.subjectMemberId',
    });
    expect(err(await server.gql(REGISTER, { input: input({ receivingOrganizationId: org.kx }) }, mzjDiscipline)).code).toBe('NOT_FOUND');
    // 回避: the subject may not register a clue about themselves.
    const self = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], subject.raw);
    expect(err(await server.gql(REGISTER, { input: input() }, self))).toMatchObject({ field: 'input.subjectMemberId' });
    expect(err(await server.gql(REGISTER, { input: input() }, mzjAdmin)).code).toBe('FORBIDDEN');

    const clue = ok(await server.gql(REGISTER, { input: input() }, mzjDiscipline)).registerClue;
    expect(clue).toMatchObject({
      channel: 'PUBLIC',
      anonymous: false,
      reporter: null, // a discipline member, not the head: the identity is withheld
      subjectMember: { name: subject.name },
      subjectOrganization: null,
      receivingOrganization: { name: '市民政局机关党委' },
      status: 'RECEIVED',
      disposition: null,
      registeredBy: 'mzj-jw',
    });
    named = clue.id;
    expect(err(await server.gql(REGISTER, { input: input() }, mzjDiscipline))).toMatchObject({ code: 'CONFLICT', field: 'input.content' });

    anonymous = ok(
      await server.gql(
        REGISTER,
        {
          input: input({
            channel: 'SUPERIOR',
            reporterName: null,
            reporterContact: null,
            subjectMemberId: null,
            subjectOrganizationId: org.ylfw,
            content: '反映支部长期不开展组织生活',
          }),
        },
        mzjHead,
      ),
    ).registerClue.id;
  });

  it('shows the reporter only to the head of the receiving discipline body', async () => {
    expect(ok(await server.gql(READ, { id: named }, mzjHead)).clue.reporter).toEqual({ name: '张群众', contact: '13800000000' });
    // A superior discipline body reads the clue, but not who reported it.
    const above = ok(await server.gql(READ, { id: named }, rootHead)).clue;
    expect(above).toMatchObject({ content: '反映其违规收受礼品', reporter: null, anonymous: false });
    expect(ok(await server.gql(READ, { id: anonymous }, mzjHead)).clue).toMatchObject({
      anonymous: true,
      reporter: null,
      subjectOrganization: { name: '养老服务处党支部' },
    });
  });

  it('walks a clue RECEIVED → UNDER_REVIEW → DISPOSED, and another to CLOSED', async () => {
    const decide = (over: Record<string, unknown> = {}) => ({
      disposition: 'ADMONISHMENT',
      decision: '经核查属实，予以诫勉',
      decidedAt: daysAgo(2),
      ...over,
    });
    expect(err(await server.gql(DISPOSE, { id: named, input: decide() }, mzjDiscipline))).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'RECEIVED',
    });
    expect(ok(await server.gql(REVIEW, { id: named }, mzjDiscipline)).startClueReview.status).toBe('UNDER_REVIEW');
    expect(err(await server.gql(REVIEW, { id: named }, mzjDiscipline))).toMatchObject({ code: 'ILLEGAL_STATE', state: 'UNDER_REVIEW' });
    expect(err(await server.gql(DISPOSE, { id: named, input: decide({ decidedAt: daysAgo(20) }) }, mzjDiscipline))).toMatchObject({
      field: 'input.decidedAt',
    });
    expect(err(await server.gql(DISPOSE, { id: named, input: decide({ decision: ' ' }) }, mzjDiscipline))).toMatchObject({
      field: 'input.decision',
    });
    expect(ok(await server.gql(DISPOSE, { id: named, input: decide() }, mzjDiscipline)).disposeClue).toEqual({
      id: named,
      status: 'DISPOSED',
      disposition: 'ADMONISHMENT',
      decision: '经核查属实，予以诫勉',
      decidedAt: daysAgo(2),
      deciderId: 'mzj-jw',
    });
    expect(err(await server.gql(DISPOSE, { id: named, input: decide() }, mzjDiscipline))).toMatchObject({
      code: 'ILLEGAL_STATE',
      state: 'DISPOSED',
    });

    ok(await server.gql(REVIEW, { id: anonymous }, rootHead));
    const closed = ok(
      await server.gql(
        DISPOSE,
        { id: anonymous, input: decide({ disposition: 'CLOSED_NO_ACTION', decision: '经核查不属实，予以了结' }) },
        rootHead,
      ),
    ).disposeClue;
    expect(closed).toMatchObject({ status: 'CLOSED', disposition: 'CLOSED_NO_ACTION' });
    expect(err(await server.gql(REVIEW, { id: anonymous }, mzjDiscipline))).toMatchObject({ code: 'ILLEGAL_STATE', state: 'CLOSED' });
  });

  it('counts clues by channel, state and disposition for the discipline body, never their content', async () => {
    const q = `query ($under: ID, $from: Date) { clueStatistics(under: $under, from: $from) { total byChannel { channel count } byStatus { status count } byDisposition { disposition count } } }`;
    const stats = ok(await server.gql(q, {}, mzjDiscipline)).clueStatistics;
    expect(stats.total).toBe(2);
    expect(stats.byChannel).toEqual([
      { channel: 'SUPERIOR', count: 1 },
      { channel: 'PEER', count: 0 },
      { channel: 'SUBORDINATE', count: 0 },
      { channel: 'PUBLIC', count: 1 },
    ]);
    expect(stats.byStatus.filter((s: any) => s.count)).toEqual([
      { status: 'DISPOSED', count: 1 },
      { status: 'CLOSED', count: 1 },
    ]);
    expect(stats.byDisposition.filter((s: any) => s.count)).toEqual([
      { disposition: 'ADMONISHMENT', count: 1 },
      { disposition: 'CLOSED_NO_ACTION', count: 1 },
    ]);
    expect(ok(await server.gql(q, { from: daysAgo(5) }, mzjDiscipline)).clueStatistics.total).toBe(0);
    expect(ok(await server.gql(q, { under: org.shjz }, rootHead)).clueStatistics.total).toBe(0);
    expect(ok(await server.gql(q, { under: org.mzj }, rootHead)).clueStatistics.total).toBe(2);
  });

  it('logs every read — one row per clue and request, listing the fields — and only the head lists the log', async () => {
    const before = await server.db.client.disciplineClueAccessLog.count();
    ok(await server.gql('{ clues { totalCount edges { node { id content status } } } }', {}, mzjDiscipline));
    const rows = await server.db.client.disciplineClueAccessLog.findMany({ orderBy: { id: 'asc' }, skip: before });
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.userId, r.fields])).toEqual([
      ['mzj-jw', ['content', 'id', 'status']],
      ['mzj-jw', ['content', 'id', 'status']],
    ]);
    // Counting is not reading: no clue field was resolved, so nothing is logged.
    ok(await server.gql('{ clues { totalCount } clueStatistics { total } }', {}, mzjDiscipline));
    expect(await server.db.client.disciplineClueAccessLog.count()).toBe(before + 2);

    const log = `query ($id: ID!) { clueAccessLog(clueId: $id) { totalCount edges { node { userId actingFor { name } actingForId at fields } } } }`;
    const listed = ok(await server.gql(log, { id: named }, mzjHead)).clueAccessLog;
    const entries = listed.edges.map((e: any) => e.node);
    expect(listed.totalCount).toBe(entries.length);
    expect(entries.find((e: any) => e.userId === 'root-head' && e.fields.includes('reporter:withheld'))).toBeTruthy();
    expect(entries.find((e: any) => e.userId === 'mzj-head' && e.fields.includes('reporter'))).toMatchObject({
      actingFor: { name: '市民政局机关党委' },
    });
    expect(entries.at(-1)).toMatchObject({ userId: 'mzj-jw', fields: ['content', 'id', 'status'] });
    expect(err(await server.gql(log, { id: named }, mzjDiscipline)).code).toBe('FORBIDDEN');
    expect(err(await server.gql(log, { id: named }, rootHead)).code).toBe('FORBIDDEN');
  });

  it('the access log is append-only: no operation edits it and the database refuses updates and deletes', async () => {
    const mutations = ok(
      await server.gql('{ __schema { mutationType { fields { name } } } }', {}, mzjHead),
    ).__schema.mutationType.fields.map((f: any) => f.name);
    expect(mutations.filter((n: string) => /log|access/i.test(n))).toEqual([]);
    const count = await server.db.client.disciplineClueAccessLog.count();
    await expect(server.db.client.disciplineClueAccessLog.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(server.db.client.disciplineClueAccessLog.updateMany({ data: { userId: 'someone-else' } })).rejects.toThrow(/append-only/);
    await expect(server.db.client.$executeRawUnsafe('TRUNCATE "DisciplineClueAccessLog" CASCADE')).rejects.toThrow(/append-only/);
    expect(await server.db.client.disciplineClueAccessLog.count()).toBe(count);
    expect(await server.db.client.disciplineClueAccessLog.count({ where: { userId: 'someone-else' } })).toBe(0);
  });

  it('clue events reach discipline feeds with nothing identifying in them', async () => {
    const feed = `{ activities(kinds: ["discipline.clueReceived", "discipline.clueDisposed"]) { totalCount edges { node { kind summary data } } } }`;
    const seen = ok(await server.gql(feed, {}, mzjDiscipline)).activities;
    expect(seen.totalCount).toBe(4);
    for (const { node } of seen.edges) {
      expect(node.data).toBeNull();
      for (const secret of [subject.name, '张群众', '礼品', '诫勉', '养老服务']) expect(node.summary).not.toContain(secret);
    }
    expect(ok(await server.gql(feed, {}, mzjAdmin)).activities).toEqual({ totalCount: 0, edges: [] });
  });
});
