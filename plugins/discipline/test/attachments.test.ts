// Files of inspections, rectification items and confidential clues through the public API: multipart
// upload, the list on the owning object, the download route, and every refusal — including a disabled
// plugin and a clue's file asked for by someone the clue's rules shut out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACH_FILE, get, htmlAsPdf, pdf, upload, type TestServer } from '@dangjian/testing';
import { daysAgo, err, memberIn, ok, startDiscipline } from './support.ts';

const OPEN = `mutation ($input: OpenInspectionInput!) { openInspection(input: $input) { id } }`;
const ADD_PROBLEM = `mutation ($input: AddInspectionProblemInput!) { addInspectionProblem(input: $input) { rectifications { id } } }`;
const SUBMIT = `mutation ($id: ID!, $e: String!) { submitRectification(id: $id, evidence: $e) { status evidence attachments { name } } }`;
const INSPECTION = `query ($id: ID!) { inspection(id: $id) { attachments { id name downloadUrl } } }`;
const ITEM = `query ($id: ID!) { node(id: $id) { ... on Rectification { evidence attachments { id name contentType size downloadUrl } } } }`;
const REGISTER = `mutation ($input: RegisterClueInput!) { registerClue(input: $input) { id } }`;
const CLUE = `query ($id: ID!) { clue(id: $id) { attachments { id name downloadUrl } } }`;
const DELETE = `mutation ($id: ID!) { deleteAttachment(id: $id) { id } }`;
const MISSING = '/files/00000000-0000-7000-8000-000000000000';

describe('discipline: attachments of inspections, rectifications and clues', () => {
  let server: TestServer;
  let org: Awaited<ReturnType<typeof startDiscipline>>['org'];
  let mzjDiscipline: string;
  let shjzSecretary: string;
  let shjzMember: string;
  let kxAdmin: string;
  let inspection: string;
  let item: string;

  beforeAll(async () => {
    ({ server, org } = await startDiscipline());
    mzjDiscipline = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], 'mzj-jw');
    shjzSecretary = await server.token('SZJGGW-MZJ-SHJZ', ['SECRETARY'], 'shjz-sec');
    shjzMember = await server.token('SZJGGW-MZJ-SHJZ', ['MEMBER'], 'shjz-member');
    kxAdmin = await server.token('SZJGGW-KX', ['ADMIN', 'DISCIPLINE'], 'kx-admin');
    inspection = ok(
      await server.gql(
        OPEN,
        { input: { inspectedOrganizationId: org.shjz, date: daysAgo(20), scope: '三会一课落实情况', inspectors: ['王督查'] } },
        mzjDiscipline,
      ),
    ).openInspection.id;
    const problem = ok(
      await server.gql(
        ADD_PROBLEM,
        {
          input: {
            inspectionId: inspection,
            category: 'ORGANIZATIONAL',
            description: '支部委员会未按月召开',
            responsibilities: [{ kind: 'PRIMARY', organizationId: org.shjz }],
            rectifications: [{ measure: '制定年度组织生活计划', deadline: daysAgo(-30) }],
          },
        },
        mzjDiscipline,
      ),
    ).addInspectionProblem;
    item = problem.rectifications[0].id;
  });
  afterAll(() => server?.close());

  it('keeps text evidence and adds files: the inspected branch uploads, both sides list and download', async () => {
    const body = pdf(400 * 1024);
    const up = await upload(server, ATTACH_FILE, { ownerId: item }, { name: '组织生活计划.pdf', body }, shjzSecretary);
    expect(up.errors).toBeUndefined();
    const submitted = ok(await server.gql(SUBMIT, { id: item, e: '已制定计划，见附件' }, shjzSecretary)).submitRectification;
    expect(submitted).toEqual({ status: 'SUBMITTED', evidence: '已制定计划，见附件', attachments: [{ name: '组织生活计划.pdf' }] });
    const seen = ok(await server.gql(ITEM, { id: item }, mzjDiscipline)).node;
    expect(seen.attachments).toEqual([
      {
        id: up.data.attachFile.id,
        name: '组织生活计划.pdf',
        contentType: 'application/pdf',
        size: body.length,
        downloadUrl: up.data.attachFile.downloadUrl,
      },
    ]);
    const res = await get(server, seen.attachments[0].downloadUrl, mzjDiscipline);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);

    const papers = await upload(server, ATTACH_FILE, { ownerId: inspection }, { name: '督查反馈意见.pdf', body: pdf(1000) }, mzjDiscipline);
    expect(papers.errors).toBeUndefined();
    expect(ok(await server.gql(INSPECTION, { id: inspection }, shjzSecretary)).inspection.attachments.map((a: any) => a.name)).toEqual([
      '督查反馈意见.pdf',
    ]);
    expect(await server.db.client.activity.count({ where: { kind: 'discipline.rectificationAttachmentAdded' } })).toBe(1);
  });

  it('refuses too big, not a document, a plain member and another agency (as if missing)', async () => {
    const wrong = await upload(
      server,
      ATTACH_FILE,
      { ownerId: item },
      { name: '证明.pdf', body: htmlAsPdf(), type: 'application/pdf' },
      shjzSecretary,
    );
    expect(err(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    process.env.DANGJIAN_ATTACHMENT_MAX_BYTES = String(64 * 1024);
    try {
      const big = await upload(server, ATTACH_FILE, { ownerId: item }, { name: '证明.pdf', body: pdf(100 * 1024) }, shjzSecretary);
      expect(big.errors?.[0]?.message).toContain('附件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_ATTACHMENT_MAX_BYTES;
    }
    // A plain member does not see rectification items at all: NOT_FOUND, not FORBIDDEN.
    expect(err(await upload(server, ATTACH_FILE, { ownerId: item }, { name: '证明.pdf', body: pdf(100) }, shjzMember)).code).toBe(
      'NOT_FOUND',
    );
    expect(err(await upload(server, ATTACH_FILE, { ownerId: item }, { name: '证明.pdf', body: pdf(100) }, kxAdmin)).code).toBe('NOT_FOUND');
    const [file] = ok(await server.gql(ITEM, { id: item }, mzjDiscipline)).node.attachments;
    const missing = await (await get(server, MISSING, kxAdmin)).text();
    for (const token of [kxAdmin, shjzMember]) {
      const res = await get(server, file.downloadUrl, token);
      expect([res.status, await res.text()]).toEqual([404, missing]);
    }
    expect(await server.db.client.attachment.count({ where: { name: '证明.pdf' } })).toBe(0);
  });

  it('a clue’s files follow the clue: DISCIPLINE of the receiving body only, never its subject, every read logged', async () => {
    const subject = await memberIn(server, 'SZJGGW-MZJ-SHJZ');
    const clue = ok(
      await server.gql(
        REGISTER,
        { input: { channel: 'PUBLIC', subjectMemberId: subject.id, content: '反映其违规收受礼品', receivedAt: daysAgo(3) } },
        mzjDiscipline,
      ),
    ).registerClue.id;
    const mzjAdmin = await server.token('SZJGGW-MZJ', ['ADMIN', 'SECRETARY'], 'mzj-admin');
    const self = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], subject.raw);
    // Only DISCIPLINE writes a clue's files; the others do not even find the clue.
    for (const token of [mzjAdmin, self, kxAdmin]) {
      expect(err(await upload(server, ATTACH_FILE, { ownerId: clue }, { name: '举报信.pdf', body: pdf(500) }, token)).code).toBe(
        'NOT_FOUND',
      );
    }
    const up = await upload(server, ATTACH_FILE, { ownerId: clue }, { name: '关于张某的举报信.pdf', body: pdf(2000) }, mzjDiscipline);
    expect(up.errors).toBeUndefined();
    const activity = await server.db.client.activity.findFirstOrThrow({ where: { kind: 'discipline.clueAttachmentAdded' } });
    expect(activity.summary).not.toContain('张某');

    const listed = ok(await server.gql(CLUE, { id: clue }, mzjDiscipline)).clue.attachments;
    expect(listed.map((a: any) => a.name)).toEqual(['关于张某的举报信.pdf']);
    const res = await get(server, listed[0].downloadUrl, mzjDiscipline);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const log = await server.db.client.disciplineClueAccessLog.findMany({ where: { userId: 'mzj-jw' }, orderBy: { at: 'asc' } });
    const fields = log.flatMap((l) => l.fields);
    expect(fields).toContain('attachments');
    expect(fields).toContain(`attachment:${listed[0].id}`);
    const clueId = log[0]!.clueId;
    expect(
      await server.db.client.auditRecord.count({ where: { operation: 'read:Clue', target: `Clue:${clueId}`, userId: 'mzj-jw' } }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await server.db.client.auditRecord.count({
        where: { operation: 'download:Attachment', target: `Attachment:${listed[0].id}`, userId: 'mzj-jw' },
      }),
    ).toBe(1);

    // Shut out: an ADMIN without DISCIPLINE, the clue's subject, another agency's discipline — as if missing, and nothing logged.
    const missing = await (await get(server, MISSING, mzjAdmin)).text();
    const logged = await server.db.client.disciplineClueAccessLog.count();
    for (const token of [mzjAdmin, self, kxAdmin]) {
      const denied = await get(server, listed[0].downloadUrl, token);
      expect([denied.status, await denied.text()]).toEqual([404, missing]);
      expect(err(await server.gql(DELETE, { id: listed[0].id }, token)).code).toBe('NOT_FOUND');
    }
    expect(await server.db.client.disciplineClueAccessLog.count()).toBe(logged);
    expect(
      await server.db.client.auditRecord.count({ where: { operation: 'download:Attachment', target: `Attachment:${listed[0].id}` } }),
    ).toBe(1);
  });

  it('answers like a missing file once the department disables the plugin', async () => {
    const [file] = ok(await server.gql(ITEM, { id: item }, mzjDiscipline)).node.attachments;
    const root = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    expect((await get(server, file.downloadUrl, mzjDiscipline)).status).toBe(200);
    ok(await server.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: false) { id } }', {}, root));
    const missing = await (await get(server, MISSING, mzjDiscipline)).text();
    const denied = await get(server, file.downloadUrl, mzjDiscipline);
    expect([denied.status, await denied.text()]).toEqual([404, missing]);
    expect(err(await upload(server, ATTACH_FILE, { ownerId: item }, { name: 'x.pdf', body: pdf(100) }, shjzSecretary)).code).toBe(
      'NOT_FOUND',
    );
    expect(err(await server.gql(DELETE, { id: file.id }, shjzSecretary)).code).toBe('NOT_FOUND');
    ok(await server.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: true) { id } }', {}, root));
    expect((await get(server, file.downloadUrl, mzjDiscipline)).status).toBe(200);
  });
});
