// A service record's proof through the public API: uploaded by the agency or the community's
// administrator, listed on the record, downloaded by those who see the record, refused otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACH_FILE, get, htmlAsPdf, pdf, upload } from '@dangjian/testing';
import { communityAdminToken, createCommunity, day, errorOf, type Fixture, ok, RECORD_SERVICE, register, setUp } from './helpers.ts';

const FILES = `query ($id: ID!) { node(id: $id) { ... on CommunityServiceRecord { attachments { id name contentType size downloadUrl } } } }`;
const DELETE = `mutation ($id: ID!) { deleteAttachment(id: $id) { id } }`;
const MISSING = '/files/00000000-0000-7000-8000-000000000000';

describe('community-report: files of a service record', () => {
  let fx: Fixture;
  let record: string;
  let xingfuAdmin: string;
  let hepingAdmin: string;

  beforeAll(async () => {
    fx = await setUp();
    const xingfu = await createCommunity(fx, '幸福社区');
    const heping = await createCommunity(fx, '和平社区');
    xingfuAdmin = await communityAdminToken(fx, xingfu, 'xingfu-admin');
    hepingAdmin = await communityAdminToken(fx, heping, 'heping-admin');
    await register(fx, fx.tokens.mzj, { communityId: xingfu, memberId: fx.members.mzjA });
    record = (
      await ok(
        fx,
        RECORD_SERVICE,
        {
          input: { memberId: fx.members.mzjA, communityId: xingfu, kind: 'ENVIRONMENT', date: day(1), hours: '2', description: '清理楼道' },
        },
        fx.tokens.mzj,
      )
    ).recordCommunityService.id;
  });
  afterAll(() => fx?.server.close());

  it('the agency and the community attach proof; both list and download it', async () => {
    const sheet = pdf(200 * 1024);
    const up = await upload(fx.server, ATTACH_FILE, { ownerId: record }, { name: '签到表.pdf', body: sheet }, fx.tokens.mzjSecretary);
    expect(up.errors).toBeUndefined();
    const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500)]);
    const fromCommunity = await upload(fx.server, ATTACH_FILE, { ownerId: record }, { name: '服务照片.png', body: photo }, xingfuAdmin);
    expect(fromCommunity.errors).toBeUndefined();
    for (const token of [fx.tokens.mzjMember, xingfuAdmin]) {
      const listed = (await ok(fx, FILES, { id: record }, token)).node.attachments;
      expect(listed.map((a: { name: string; contentType: string }) => [a.name, a.contentType])).toEqual([
        ['签到表.pdf', 'application/pdf'],
        ['服务照片.png', 'image/png'],
      ]);
    }
    const res = await get(fx.server, up.data.attachFile.downloadUrl, xingfuAdmin);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(sheet)).toBe(true);
    expect(await fx.server.db.client.activity.count({ where: { kind: 'community-report.serviceAttachmentAdded' } })).toBe(2);
  });

  it('refuses too big, not a document, a plain member, another agency or community, and a disabled plugin', async () => {
    expect(errorOf(await upload(fx.server, ATTACH_FILE, { ownerId: record }, { name: 'x.pdf', body: htmlAsPdf() }, fx.tokens.mzj))).toEqual(
      {
        code: 'BAD_USER_INPUT',
        field: 'file',
      },
    );
    process.env.DANGJIAN_ATTACHMENT_MAX_BYTES = String(10 * 1024);
    try {
      const big = await upload(fx.server, ATTACH_FILE, { ownerId: record }, { name: 'x.pdf', body: pdf(20 * 1024) }, fx.tokens.mzj);
      expect(big.errors?.[0]?.message).toContain('附件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_ATTACHMENT_MAX_BYTES;
    }
    const small = { name: 'x.pdf', body: pdf(100) };
    expect(errorOf(await upload(fx.server, ATTACH_FILE, { ownerId: record }, small, fx.tokens.mzjMember))).toEqual({ code: 'FORBIDDEN' });
    for (const outsider of [fx.tokens.kx, hepingAdmin]) {
      expect(errorOf(await upload(fx.server, ATTACH_FILE, { ownerId: record }, small, outsider))).toEqual({ code: 'NOT_FOUND' });
    }
    expect(await fx.server.db.client.attachment.count({ where: { name: 'x.pdf' } })).toBe(0);

    const [file] = (await ok(fx, FILES, { id: record }, fx.tokens.mzj)).node.attachments;
    const missing = await (await get(fx.server, MISSING, fx.tokens.kx)).text();
    for (const outsider of [fx.tokens.kx, hepingAdmin]) {
      const res = await get(fx.server, file.downloadUrl, outsider);
      expect([res.status, await res.text()]).toEqual([404, missing]);
      expect(errorOf(await fx.server.gql(DELETE, { id: file.id }, outsider))).toEqual({ code: 'NOT_FOUND' });
    }

    await ok(fx, 'mutation { setPluginEnabled(pluginId: "community-report", enabled: false) { id } }', {}, fx.tokens.root);
    const disabled = await get(fx.server, file.downloadUrl, fx.tokens.mzj);
    expect([disabled.status, await disabled.text()]).toEqual([404, missing]);
    expect(errorOf(await fx.server.gql(DELETE, { id: file.id }, fx.tokens.mzj))).toEqual({ code: 'NOT_FOUND' });
    await ok(fx, 'mutation { setPluginEnabled(pluginId: "community-report", enabled: true) { id } }', {}, fx.tokens.root);
    expect((await fx.server.gql(DELETE, { id: file.id }, fx.tokens.mzj)).errors).toBeUndefined();
    expect(await fx.server.db.client.activity.count({ where: { kind: 'community-report.serviceAttachmentDeleted' } })).toBe(1);
  });
});
