import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, orgId } from '@dangjian/testing';

const VIEWER = `{ viewer { userId roles expiresAt organization { code name } plugins { id version } permissions {
  manageOrganizations manageMembers manageCadresAndMeetings readClearPersonalData readPersonalDataAudit enablePlugins revokeSessions } } }`;

describe('viewer and organization(code:) — what a frontend asks first', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers null without a token, not an error', async () => {
    expect(await server.gql('{ viewer { userId } }')).toEqual({ data: { viewer: null } });
  });

  it('names the user, the organization acted for, roles, the department’s plugins and permissions', async () => {
    const token = await server.token('SZJGGW-MZJ', ['SECRETARY', 'AUDITOR'], 'mzj-secretary');
    const { data, errors } = await server.gql(VIEWER, {}, token);
    expect(errors).toBeUndefined();
    expect(data.viewer).toMatchObject({
      userId: 'mzj-secretary',
      roles: ['SECRETARY', 'AUDITOR'],
      organization: { code: 'SZJGGW-MZJ', name: expect.stringContaining('民政局') },
      permissions: {
        manageOrganizations: false,
        manageMembers: true,
        manageCadresAndMeetings: true,
        readClearPersonalData: true,
        readPersonalDataAudit: true,
        enablePlugins: false,
        revokeSessions: false,
      },
    });
    expect(new Date(data.viewer.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const installed = server.app.schemas.plugins.map((p) => ({ id: p.id, version: p.version }));
    expect(data.viewer.plugins).toEqual(installed);
  });

  it('carries the booleans of enabled plugins, which go with the plugin', async () => {
    const discipline = await server.token('SZJGGW-MZJ', ['DISCIPLINE'], 'mzj-discipline');
    const secretary = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    const ask = (token: string) => server.gql('{ viewer { permissions { readDisciplineClues readInspections } } }', {}, token);
    expect((await ask(discipline)).data.viewer.permissions).toEqual({ readDisciplineClues: true, readInspections: true });
    expect((await ask(secretary)).data.viewer.permissions).toEqual({ readDisciplineClues: false, readInspections: true });
    const root = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    await server.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: false) { enabled } }', {}, root);
    try {
      expect((await ask(discipline)).errors?.[0]?.message).toContain('readDisciplineClues');
    } finally {
      await server.gql('mutation { setPluginEnabled(pluginId: "discipline", enabled: true) { enabled } }', {}, root);
    }
  });

  it('lets only an ADMIN acting for the top-level organization enable plugins, and lists what the department enabled', async () => {
    const root = await server.token('SZJGGW', ['ADMIN'], 'root-admin');
    const branchAdmin = await server.token('SZJGGW-MZJ', ['ADMIN'], 'mzj-admin');
    expect((await server.gql(VIEWER, {}, root)).data.viewer.permissions).toMatchObject({
      enablePlugins: true,
      revokeSessions: true,
      manageOrganizations: true,
      readPersonalDataAudit: false,
    });
    expect((await server.gql(VIEWER, {}, branchAdmin)).data.viewer.permissions).toMatchObject({
      enablePlugins: false,
      revokeSessions: false,
      manageOrganizations: true,
    });
    const off = await server.gql('mutation { setPluginEnabled(pluginId: "party-brand", enabled: false) { enabled } }', {}, root);
    expect(off.errors).toBeUndefined();
    try {
      const ids = (await server.gql('{ viewer { plugins { id } } }', {}, branchAdmin)).data.viewer.plugins.map((p: { id: string }) => p.id);
      expect(ids).not.toContain('party-brand');
      expect(ids.length).toBe(server.app.schemas.plugins.length - 1);
    } finally {
      await server.gql('mutation { setPluginEnabled(pluginId: "party-brand", enabled: true) { enabled } }', {}, root);
    }
  });

  it('finds an organization by code inside the subtree; a sibling’s code answers like a missing one', async () => {
    const token = await server.token('SZJGGW-MZJ', ['MEMBER']);
    const byCode = (code: string) => server.gql('query ($code: String!) { organization(code: $code) { id code } }', { code }, token);
    expect((await byCode('SZJGGW-MZJ-SHJZ')).data.organization).toEqual({
      id: await orgId(server.db, 'SZJGGW-MZJ-SHJZ'),
      code: 'SZJGGW-MZJ-SHJZ',
    });
    expect(await byCode('SZJGGW-KX')).toEqual({ data: { organization: null } });
    expect(await byCode('NO-SUCH-CODE')).toEqual({ data: { organization: null } });
    const both = await server.gql(
      'query ($id: ID, $code: String) { organization(id: $id, code: $code) { id } }',
      { id: await orgId(server.db, 'SZJGGW-MZJ'), code: 'SZJGGW-MZJ' },
      token,
    );
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const neither = await server.gql('{ organization { id } }', {}, token);
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
