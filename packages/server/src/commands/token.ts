import { cliIo, complain } from '../cli-io.ts';
import { ROLES } from '@dangjian/core/auth';
import { openDatabase } from '@dangjian/db';
import { signToken, tokenLifetime } from '../auth.ts';
import type { Config } from '../config.ts';

export interface TokenOptions {
  org?: string;
  roles: string[];
  user?: string;
  expires?: string;
  community?: string;
}

/** `dangjian token --org <id|code> --role ROLE… [--user id] [--expires 8h]`: prints a development JWT. */
export async function token(config: Config, options: TokenOptions): Promise<number> {
  if (config.production) {
    complain('error: dangjian token refuses to run in production (NODE_ENV=production)');
    return 1;
  }
  if (!options.org) {
    complain('error: --org <organization id or code> is required');
    return 2;
  }
  // The token carries role names as the identity provider would: with DANGJIAN_ROLE_MAP the map's names, else
  // the API's own. Any other name, or a lifetime over JWT_MAX_LIFETIME, makes a token the server refuses.
  const roleMap = config.auth.roleMap;
  const roles = options.roles.length ? options.roles : roleMap ? [] : ['MEMBER'];
  if (roles.length === 0) {
    complain(`error: --role is required with DANGJIAN_ROLE_MAP (one of ${[...roleMap!.keys()].join(', ')})`);
    return 2;
  }
  const names = roleMap ? [...roleMap.keys()] : [...ROLES];
  const bad = roles.find((r) => !names.includes(r));
  if (bad) {
    complain(`error: --role ${bad} is not one of ${names.join(', ')}${roleMap ? ' (the names DANGJIAN_ROLE_MAP maps)' : ''}`);
    return 2;
  }
  let lifetime: number;
  try {
    lifetime = tokenLifetime(config, options.expires, '--expires');
  } catch (error) {
    complain(`error: ${(error as Error).message}`);
    return 2;
  }
  const db = await openDatabase(config.database);
  try {
    const org = await db.client.organization.findFirst({
      where: { OR: [{ id: options.org }, { code: options.org }] },
      select: { id: true },
    });
    if (!org) {
      complain(`error: no organization with id or code "${options.org}"`);
      return 1;
    }
    const jwt = await signToken(
      config,
      { sub: options.user ?? 'dev-user', org: org.id, roles, community: options.community },
      `${lifetime}s`,
    );
    cliIo().stdout.write(`${jwt}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
