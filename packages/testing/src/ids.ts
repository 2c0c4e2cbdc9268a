import type { Database } from '@dangjian/db';

/** The Relay global ID of a row, as the API encodes it. */
export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

/** Global ID of the organization with this code in the test database. */
export async function orgId(db: Database, code: string): Promise<string> {
  const org = await db.client.organization.findUniqueOrThrow({ where: { code }, select: { id: true } });
  return globalId('Organization', org.id);
}
