/** The secrets our server runs with in the benchmark, and the bearer token every request of ours carries. */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';

/** Our servers verify the benchmark's tokens with it. */
export const JWT_SECRET = 'bench-only-secret-0123456789abcdef0123456789';
/** Production needs keys for national IDs at rest; fixed ones derived from a name (bench data is synthetic). */
const benchKey = (name: string) => createHash('sha256').update(`dangjian-bench:${name}`).digest('base64');
export const DATA_KEYS = { DANGJIAN_DATA_KEYS: `bench1:${benchKey('data')}`, DANGJIAN_LOOKUP_KEY: benchKey('lookup') };

/** HTTP headers sent with every request of a contender. */
export type Headers = Record<string, string>;

/** An ADMIN of the working committee: the widest view, so every scenario reads the whole tree. */
export async function bearerHeaders(rootId: string): Promise<Headers> {
  const jwt = await new SignJWT({ org: rootId, roles: ['ADMIN'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuer('dangjian')
    .setAudience('dangjian-api')
    .setIssuedAt()
    .setExpirationTime('4h')
    .sign(new TextEncoder().encode(JWT_SECRET));
  return { authorization: `Bearer ${jwt}`, 'x-dangjian-csrf': '1' };
}

/** The token alone, as a graphql-ws client sends it in its connection parameters. */
export const tokenOf = (headers: Headers): string => headers.authorization!.slice('Bearer '.length);

/** Relay global ID, as our server and the peers both expect. */
export const globalId = (type: string, id: string): string => Buffer.from(`${type}:${id}`).toString('base64');
