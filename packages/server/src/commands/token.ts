import { ROLES, type Role } from '@dangjian/core';
import { openDatabase } from '@dangjian/db';
import { signToken } from '../auth.ts';
import type { Config } from '../config.ts';

export interface TokenOptions {
  org?: string;
  roles: string[];
  user?: string;
  expires?: string;
  community?: string;
}

/** `dangjian token --org <id|code> --role ROLE… [--user id]`: prints a development JWT. */
export async function token(config: Config, options: TokenOptions): Promise<number> {
  if (config.production) {
    console.error('error: dangjian token refuses to run in production (NODE_ENV=production)');
    return 1;
  }
  if (!options.org) {
    console.error('error: --org <organization id or code> is required');
    return 2;
  }
  const roles = options.roles.length ? options.roles : ['MEMBER'];
  const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (bad) {
    console.error(`error: --role ${bad} is not one of ${ROLES.join(', ')}`);
    return 2;
  }
  const db = await openDatabase(config.database);
  try {
    const org = await db.client.organization.findFirst({ where: { OR: [{ id: options.org }, { code: options.org }] }, select: { id: true } });
    if (!org) {
      console.error(`error: no organization with id or code "${options.org}"`);
      return 1;
    }
    const jwt = await signToken(config, { sub: options.user ?? 'dev-user', org: org.id, roles: roles as Role[], community: options.community }, options.expires ?? '8h');
    process.stdout.write(`${jwt}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
