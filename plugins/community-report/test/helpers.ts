// Shared set-up of the community-report app tests: a server with only this plugin, tokens for the
// agency roles and for community administrators, and a few GraphQL helpers.

import { expect } from 'vitest';
import { signToken } from '@dangjian/server';
import { globalId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';
import { communityReportPlugin } from '../src/index.ts';

export { globalId };

/** Today and days before it as `YYYY-MM-DD` (UTC), always inside the current year when possible. */
export function day(offset = 0): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - offset));
  // Keep "this year" figures stable on the first days of January: never cross into last year.
  if (date.getUTCFullYear() !== now.getUTCFullYear()) return `${now.getUTCFullYear()}-01-01`;
  return date.toISOString().slice(0, 10);
}

export const thisYear = () => new Date().getUTCFullYear();

export interface Fixture {
  server: TestServer;
  rootId: string;
  tokens: {
    root: string;
    mzj: string;
    mzjSecretary: string;
    mzjMember: string;
    kx: string;
  };
  /** Global ids of demo members: two of 市民政局 (in different branches), one of 市科协. */
  members: { mzjA: string; mzjB: string; kx: string };
  names: { mzjA: string; mzjB: string; kx: string };
  orgs: { mzj: string; mzjBranch: string; kx: string };
}

/** Starts a server with only this plugin and the demo dataset, and prepares tokens and ids. */
export async function setUp(onQuery?: (sql: string) => void): Promise<Fixture> {
  const server = await startTestServer({ plugins: [communityReportPlugin], ...(onQuery ? { onQuery } : {}) });
  const db = server.db.client;
  const root = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW' } });
  const memberOf = (code: string, skip = 0) =>
    db.member.findFirstOrThrow({ where: { organization: { code } }, orderBy: { id: 'asc' }, skip, include: { organization: true } });
  const [mzjA, mzjB, kx] = await Promise.all([memberOf('SZJGGW-MZJ-SHJZ'), memberOf('SZJGGW-MZJ-BGS'), memberOf('SZJGGW-KX-XHB')]);
  const orgId = async (code: string) => globalId('Organization', (await db.organization.findUniqueOrThrow({ where: { code } })).id);
  return {
    server,
    rootId: root.id,
    tokens: {
      root: await server.token('SZJGGW', ['ADMIN']),
      mzj: await server.token('SZJGGW-MZJ', ['ADMIN']),
      mzjSecretary: await server.token('SZJGGW-MZJ', ['SECRETARY']),
      mzjMember: await server.token('SZJGGW-MZJ', ['MEMBER']),
      kx: await server.token('SZJGGW-KX', ['ADMIN']),
    },
    members: { mzjA: globalId('Member', mzjA.id), mzjB: globalId('Member', mzjB.id), kx: globalId('Member', kx.id) },
    names: { mzjA: mzjA.name, mzjB: mzjB.name, kx: kx.name },
    orgs: { mzj: await orgId('SZJGGW-MZJ'), mzjBranch: await orgId('SZJGGW-MZJ-SHJZ'), kx: await orgId('SZJGGW-KX') },
  };
}

/** A token for the administrator of one community (a global or raw id), acting in the department of `rootId`. */
export async function communityAdminToken(fx: Fixture, communityGlobalId: string, user = 'community-admin'): Promise<string> {
  const community = Buffer.from(communityGlobalId, 'base64').toString().split(':')[1]!;
  return signToken(fx.server.config, { sub: user, org: fx.rootId, roles: ['COMMUNITY_ADMIN'], community });
}

/** Runs an operation and fails the test on any error. */
export async function ok<T = any>(fx: Fixture, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await fx.server.gql<T>(query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

/** The code (and field, when any) of the first error. */
export function errorOf(result: GqlResult): { code?: string; field?: unknown; state?: unknown } {
  const ext = result.errors?.[0]?.extensions ?? {};
  return {
    code: ext.code,
    ...(ext.field !== undefined ? { field: ext.field } : {}),
    ...(ext.state !== undefined ? { state: ext.state } : {}),
  };
}

/** Creates a community as the top-level admin and returns its global id. */
export async function createCommunity(fx: Fixture, name: string): Promise<string> {
  const data = await ok<{ createCommunity: { id: string } }>(
    fx,
    'mutation ($input: CommunityInput!) { createCommunity(input: $input) { id } }',
    {
      input: {
        name,
        street: '解放街道',
        district: '中心区',
        partyOrganizationName: `${name}党委`,
        contactName: '王书记',
        contactPhone: '0371-12345678',
      },
    },
    fx.tokens.root,
  );
  return data.createCommunity.id;
}

export const REGISTER = `mutation ($input: RegisterWithCommunityInput!) {
  registerWithCommunity(input: $input) { id kind status holderName organizationName certificateNo date community { name } }
}`;

/** Registers a member (personal) or organization with a community, failing on error; returns the registration id. */
export async function register(fx: Fixture, token: string, input: Record<string, unknown>): Promise<string> {
  const data = await ok<{ registerWithCommunity: { id: string } }>(fx, REGISTER, { input: { date: day(30), ...input } }, token);
  return data.registerWithCommunity.id;
}

export const RECORD_SERVICE = `mutation ($input: RecordCommunityServiceInput!) {
  recordCommunityService(input: $input) { id hours status memberName kind date }
}`;

export const PUBLISH = `mutation ($input: PublishCommunityDemandInput!) {
  publishCommunityDemand(input: $input) { id capacity remainingCapacity status community { name } }
}`;
