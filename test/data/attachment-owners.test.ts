// Core's attachment owners beside meetings: development steps (入党申请书, 政审材料, 志愿书) and organizations'
// reports on assessment tasks — uploaded, listed on the owner, downloaded and refused through the public API.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACH_FILE, get, globalId, htmlAsPdf, pdf, startTestServer, upload, type TestServer } from '@dangjian/testing';

const TIMELINE = `query ($id: ID!) { developmentRecord(id: $id) { timeline { id step attachmentOwnerId attachments { id name size sha256 downloadUrl } } } }`;
const TASK_FILES = `query ($id: ID!) { node(id: $id) { ... on AssessmentTaskAssignment { attachments { id name contentType downloadUrl } } } }`;

describe('attachments on development steps and task reports', () => {
  let server: TestServer;
  let secretary: string;
  let member: string;
  let sibling: string;
  let record: string;
  let assignment: { gid: string; orgCode: string };

  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    member = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-member');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const mzj = await server.db.client.organization.findFirstOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const dev = await server.db.client.developmentRecord.findFirstOrThrow({
      where: { organization: { path: { startsWith: mzj.path } }, entries: { some: { step: 1 } } },
      orderBy: { id: 'asc' },
    });
    record = globalId('DevelopmentRecord', dev.id);
    const a = await server.db.client.assessmentTaskAssignment.findFirstOrThrow({
      where: { organization: { path: { startsWith: mzj.path } } },
      include: { organization: true },
      orderBy: { id: 'asc' },
    });
    assignment = { gid: globalId('AssessmentTaskAssignment', a.id), orgCode: a.organization.code };
  });
  afterAll(() => server?.close());

  it('attaches the application letter to step 1, lists it on the timeline and serves it to the subtree only', async () => {
    const before = (await server.gql(TIMELINE, { id: record }, secretary)).data.developmentRecord.timeline;
    const step1 = before.find((e: { step: number }) => e.step === 1);
    expect(step1.attachments).toEqual([]);
    const body = pdf(300 * 1024);
    const up = await upload(server, ATTACH_FILE, { ownerId: step1.attachmentOwnerId }, { name: '入党申请书.pdf', body }, secretary);
    expect(up.errors).toBeUndefined();
    expect(up.data.attachFile).toMatchObject({ name: '入党申请书.pdf', contentType: 'application/pdf', size: body.length });

    const after = (await server.gql(TIMELINE, { id: record }, member)).data.developmentRecord.timeline;
    const listed = after.find((e: { id: string }) => e.id === step1.id).attachments;
    expect(listed).toEqual([
      {
        id: up.data.attachFile.id,
        name: '入党申请书.pdf',
        size: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
        downloadUrl: `/files/${up.data.attachFile.id}`,
      },
    ]);
    // Other steps have none: the list is per step.
    expect(
      after.filter((e: { id: string }) => e.id !== step1.id).every((e: { attachments: unknown[] }) => e.attachments.length === 0),
    ).toBe(true);

    const res = await get(server, listed[0].downloadUrl, member);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    const outsider = await get(server, listed[0].downloadUrl, sibling);
    const missing = await get(server, '/files/00000000-0000-7000-8000-000000000000', sibling);
    expect([outsider.status, await outsider.text()]).toEqual([404, await missing.text()]);
    expect(await server.db.client.activity.count({ where: { kind: 'development.attachmentAdded', subjectId: step1.id } })).toBe(1);
  });

  it('refuses a step’s file that is too big, not a document, from a plain member or from outside the subtree', async () => {
    const timeline = (await server.gql(TIMELINE, { id: record }, secretary)).data.developmentRecord.timeline;
    const ownerId = timeline.at(-1).attachmentOwnerId;
    const wrong = await upload(
      server,
      ATTACH_FILE,
      { ownerId },
      { name: '政审材料.pdf', body: htmlAsPdf(), type: 'application/pdf' },
      secretary,
    );
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    process.env.DANGJIAN_ATTACHMENT_MAX_BYTES = String(50 * 1024);
    try {
      const big = await upload(server, ATTACH_FILE, { ownerId }, { name: '入党志愿书.pdf', body: pdf(80 * 1024) }, secretary);
      expect(big.errors?.[0]?.message).toContain('附件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_ATTACHMENT_MAX_BYTES;
    }
    const plain = await upload(server, ATTACH_FILE, { ownerId }, { name: 'a.pdf', body: pdf(100) }, member);
    expect(plain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const outsider = await upload(server, ATTACH_FILE, { ownerId }, { name: 'a.pdf', body: pdf(100) }, sibling);
    expect(outsider.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A type that carries no files is an input error, not a missing record.
    const m = await server.db.client.member.findFirstOrThrow();
    const notOwner = await upload(server, ATTACH_FILE, { ownerId: globalId('Member', m.id) }, { name: 'a.pdf', body: pdf(100) }, secretary);
    expect(notOwner.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
    expect(await server.db.client.attachment.count({ where: { name: { in: ['政审材料.pdf', '入党志愿书.pdf', 'a.pdf'] } } })).toBe(0);
  });

  it('attaches evidence to an organization’s task report, listed on the assignment', async () => {
    const writer = await server.token(assignment.orgCode, ['SECRETARY'], 'task-secretary');
    const sheet = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);
    const up = await upload(server, ATTACH_FILE, { ownerId: assignment.gid }, { name: '活动照片.jpg', body: sheet }, writer);
    expect(up.errors).toBeUndefined();
    const listed = (await server.gql(TASK_FILES, { id: assignment.gid }, secretary)).data.node.attachments;
    expect(listed).toEqual([
      { id: up.data.attachFile.id, name: '活动照片.jpg', contentType: 'image/jpeg', downloadUrl: up.data.attachFile.downloadUrl },
    ]);
    expect((await get(server, up.data.attachFile.downloadUrl, sibling)).status).toBe(404);
    expect(
      (await upload(server, ATTACH_FILE, { ownerId: assignment.gid }, { name: 'x.pdf', body: pdf(100) }, sibling)).errors?.[0]?.extensions
        ?.code,
    ).toBe('NOT_FOUND');
  });
});
