import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@dangjian/testing';
import { get, upload, xlsx } from './helpers.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const ATTACH = `mutation ($ownerId: ID!, $file: File!) { attachFile(ownerId: $ownerId, file: $file) { id name contentType size sha256 uploaderId downloadUrl } }`;
const LIST = `query ($id: ID!) { meeting(id: $id) { attachments { id name contentType size sha256 uploaderId createdAt downloadUrl } } }`;
const DELETE = `mutation ($id: ID!) { deleteAttachment(id: $id) { id } }`;

/** A PDF of `size` bytes (a real header; the body is padding). */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 0x20)]);

describe('attachments on meetings', () => {
  let server: TestServer;
  let secretary: string;
  let reader: string;
  let sibling: string;
  let meeting: string;
  beforeAll(async () => {
    server = await startTestServer();
    secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    reader = await server.token('SZJGGW-MZJ', ['MEMBER'], 'mzj-reader');
    sibling = await server.token('SZJGGW-KX', ['ADMIN'], 'kx-admin');
    const m = await server.db.client.meeting.findFirstOrThrow({ where: { organization: { code: 'SZJGGW-MZJ-SHJZ' } } });
    meeting = gid('Meeting', m.id);
  });
  afterAll(() => server?.close());

  it('uploads a file in chunks, lists it on the meeting, and serves it back intact under its Chinese name', async () => {
    const body = pdf(700 * 1024);
    const up = await upload(server, ATTACH, { ownerId: meeting }, { name: '支部党员大会会议记录.pdf', body, type: 'text/html' }, secretary);
    expect(up.errors).toBeUndefined();
    const a = up.data.attachFile;
    expect(a).toMatchObject({
      name: '支部党员大会会议记录.pdf',
      contentType: 'application/pdf',
      size: body.length,
      uploaderId: 'mzj-secretary',
    });
    expect(a.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await server.db.client.attachmentChunk.count({ where: { attachmentId: a.id } })).toBe(3);

    const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    expect(
      (await upload(server, ATTACH, { ownerId: meeting }, { name: '合影.png', body: photo }, secretary)).data.attachFile.contentType,
    ).toBe('image/png');
    const sheet = await xlsx(['签到'], [['张三']]);
    expect(
      (await upload(server, ATTACH, { ownerId: meeting }, { name: '签到表.xlsx', body: sheet }, secretary)).data.attachFile.contentType,
    ).toContain('spreadsheetml');

    const list = await server.gql(LIST, { id: meeting }, reader);
    expect(list.data.meeting.attachments.map((x: { name: string }) => x.name)).toEqual([
      '支部党员大会会议记录.pdf',
      '合影.png',
      '签到表.xlsx',
    ]);

    const res = await get(server, a.downloadUrl, reader);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="__________.pdf"; filename*=UTF-8''${encodeURIComponent('支部党员大会会议记录.pdf')}`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(
      await server.db.client.auditRecord.count({
        where: { operation: 'download:Attachment', target: `Attachment:${a.id}`, userId: 'mzj-reader' },
      }),
    ).toBe(1);
  });

  it('refuses files that are too big, of the wrong type, or for records outside the subtree', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const wrong = await upload(server, ATTACH, { ownerId: meeting }, { name: 'evil.pdf', body: html, type: 'application/pdf' }, secretary);
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    process.env.DANGJIAN_ATTACHMENT_MAX_BYTES = String(100 * 1024);
    try {
      const big = await upload(server, ATTACH, { ownerId: meeting }, { name: 'big.pdf', body: pdf(200 * 1024) }, secretary);
      expect(big.errors?.[0]?.message).toContain('附件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_ATTACHMENT_MAX_BYTES;
    }
    const outsider = await upload(server, ATTACH, { ownerId: meeting }, { name: 'x.pdf', body: pdf(100) }, sibling);
    expect(outsider.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(
      (await upload(server, ATTACH, { ownerId: meeting }, { name: 'x.pdf', body: pdf(100) }, reader)).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    // Nothing of a refused upload stays.
    expect(await server.db.client.attachment.count({ where: { name: { in: ['evil.pdf', 'big.pdf', 'x.pdf'] } } })).toBe(0);
  });

  it('answers an outsider’s download like a missing file, and deletes with a record', async () => {
    const [first] = (await server.gql(LIST, { id: meeting }, secretary)).data.meeting.attachments;
    const outsider = await get(server, first.downloadUrl, sibling);
    const missing = await get(server, '/files/00000000-0000-7000-8000-000000000000', sibling);
    expect([outsider.status, await outsider.text()]).toEqual([missing.status, await missing.text()]);
    expect(outsider.status).toBe(404);
    expect((await get(server, first.downloadUrl)).status).toBe(401);

    expect((await server.gql(DELETE, { id: first.id }, sibling)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const deleted = await server.gql(DELETE, { id: first.id }, secretary);
    expect(deleted.errors).toBeUndefined();
    expect((await get(server, first.downloadUrl, secretary)).status).toBe(404);
    expect(await server.db.client.attachmentChunk.count({ where: { attachmentId: first.id } })).toBe(0);
    const row = await server.db.client.attachment.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.deletedBy).toBe('mzj-secretary');
    expect(await server.db.client.activity.count({ where: { kind: 'meeting.attachmentDeleted' } })).toBe(1);
    expect(
      await server.db.client.auditRecord.count({ where: { operation: { contains: 'deleteAttachment' }, userId: 'mzj-secretary' } }),
    ).toBe(1);
    expect((await server.gql(LIST, { id: meeting }, secretary)).data.meeting.attachments).toHaveLength(2);
  });
});
