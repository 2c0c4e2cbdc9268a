// A brand evaluation's materials through the public API: multipart upload with the evaluation's
// `attachmentOwnerId`, the list on the evaluation, the download, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACH_FILE, get, htmlAsPdf, pdf, startTestServer, upload, type TestServer } from '@dangjian/testing';
import { partyBrandPlugin } from '../src/index.ts';
import { brandClient, errorOf, idOf } from './helpers.ts';

const YEAR = new Date().getUTCFullYear();
const EVALUATE = `mutation ($b: ID!, $input: EvaluateBrandInput!) { evaluateBrand(brandId: $b, input: $input) { year attachmentOwnerId attachments { id } } }`;
const EVALUATIONS = `query ($id: ID!) { brand(id: $id) { evaluations { year attachments { id name contentType size downloadUrl } } } }`;
const MISSING = '/files/00000000-0000-7000-8000-000000000000';

describe('party-brand: files of a brand evaluation', () => {
  let server: TestServer;
  let committeeAdmin: string; // 市民政局机关党委, above the brand's branch
  let committeeSecretary: string;
  let branchMember: string; // of 养老服务处党支部, whose brand it is
  let siblingAdmin: string; // 办公室党支部: sees nothing of the brand
  let brand: string;
  let ownerId: string;

  beforeAll(async () => {
    server = await startTestServer({ plugins: [partyBrandPlugin] });
    committeeAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    committeeSecretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    branchMember = await server.token('SZJGGW-MZJ-YLFW', ['MEMBER'], 'ylfw-member');
    siblingAdmin = await server.token('SZJGGW-MZJ-BGS', ['ADMIN'], 'bgs-admin');
    const api = brandClient(server);
    const branchSecretary = await server.token('SZJGGW-MZJ-YLFW', ['SECRETARY'], 'ylfw-secretary');
    brand = idOf(await api.create(branchSecretary, 'SZJGGW-MZJ-YLFW', { name: '养老有我' }), 'createBrand');
    expect((await api.step(branchSecretary, 'submitBrand', brand)).errors).toBeUndefined();
    expect((await api.step(committeeAdmin, 'approveBrand', brand, '同意')).errors).toBeUndefined();
    const evaluated = await server.gql(
      EVALUATE,
      { b: brand, input: { year: YEAR, integration: 80, innovation: 70, effect: 90, publicity: 60 } },
      committeeAdmin,
    );
    expect(evaluated.errors).toBeUndefined();
    expect(evaluated.data.evaluateBrand.attachments).toEqual([]);
    ownerId = evaluated.data.evaluateBrand.attachmentOwnerId;
  });
  afterAll(() => server?.close());

  it('attaches the score sheet, lists it on the evaluation and serves it to the brand’s subtree', async () => {
    const body = pdf(300 * 1024);
    const up = await upload(server, ATTACH_FILE, { ownerId }, { name: '品牌测评表.pdf', body }, committeeAdmin);
    expect(up.errors).toBeUndefined();
    const [evaluation] = (await server.gql(EVALUATIONS, { id: brand }, branchMember)).data.brand.evaluations;
    expect(evaluation.attachments).toEqual([
      {
        id: up.data.attachFile.id,
        name: '品牌测评表.pdf',
        contentType: 'application/pdf',
        size: body.length,
        downloadUrl: up.data.attachFile.downloadUrl,
      },
    ]);
    const res = await get(server, up.data.attachFile.downloadUrl, branchMember);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(await server.db.client.activity.count({ where: { kind: 'party-brand.evaluationAttachmentAdded' } })).toBe(1);
  });

  it('refuses too big, not a document, a non-ADMIN, an outsider and a disabled plugin', async () => {
    expect(errorOf(await upload(server, ATTACH_FILE, { ownerId }, { name: 'x.pdf', body: htmlAsPdf() }, committeeAdmin))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'file',
    });
    process.env.DANGJIAN_ATTACHMENT_MAX_BYTES = String(10 * 1024);
    try {
      const big = await upload(server, ATTACH_FILE, { ownerId }, { name: 'x.pdf', body: pdf(20 * 1024) }, committeeAdmin);
      expect(big.errors?.[0]?.message).toContain('附件超过大小上限');
    } finally {
      delete process.env.DANGJIAN_ATTACHMENT_MAX_BYTES;
    }
    expect(errorOf(await upload(server, ATTACH_FILE, { ownerId }, { name: 'x.pdf', body: pdf(100) }, committeeSecretary))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(errorOf(await upload(server, ATTACH_FILE, { ownerId }, { name: 'x.pdf', body: pdf(100) }, siblingAdmin))).toEqual({
      code: 'NOT_FOUND',
    });
    expect(await server.db.client.attachment.count({ where: { name: 'x.pdf' } })).toBe(0);

    const [file] = (await server.gql(EVALUATIONS, { id: brand }, committeeAdmin)).data.brand.evaluations[0].attachments;
    const missing = await (await get(server, MISSING, siblingAdmin)).text();
    const outsider = await get(server, file.downloadUrl, siblingAdmin);
    expect([outsider.status, await outsider.text()]).toEqual([404, missing]);

    const root = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    const off = await server.gql('mutation { setPluginEnabled(pluginId: "party-brand", enabled: false) { id } }', {}, root);
    expect(off.errors).toBeUndefined();
    const disabled = await get(server, file.downloadUrl, committeeAdmin);
    expect([disabled.status, await disabled.text()]).toEqual([404, missing]);
    expect(errorOf(await upload(server, ATTACH_FILE, { ownerId }, { name: 'x.pdf', body: pdf(100) }, committeeAdmin))).toEqual({
      code: 'NOT_FOUND',
    });
  });
});
