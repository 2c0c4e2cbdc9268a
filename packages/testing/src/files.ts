// Files through the public API as a client sends and fetches them: a GraphQL multipart request
// (graphql-yoga's File scalar) and a GET of a path beside /graphql with the bearer token.
import type { GqlResult, TestServer } from './server.ts';

/** POSTs an operation with one file variable as a GraphQL multipart request. */
export async function upload<T = any>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  file: { name: string; body: Buffer | string; type?: string },
  token?: string,
  options: { csrf?: boolean } = {},
): Promise<GqlResult<T> & { status: number }> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set(
    '0',
    new Blob([typeof file.body === 'string' ? file.body : new Uint8Array(file.body)], { type: file.type ?? 'application/octet-stream' }),
    file.name,
  );
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.csrf !== false) headers['x-graphql-yoga-csrf'] = '1';
  const res = await fetch(server.url, { method: 'POST', body: form, headers });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as GqlResult<T>) };
  } catch {
    return { status: res.status, errors: [{ message: text }] };
  }
}

/** GETs a path of the server (beside /graphql) with an optional token. */
export function get(server: TestServer, path: string, token?: string): Promise<Response> {
  return fetch(new URL(path, server.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** A PDF of `size` bytes (a real header; the body is padding): accepted by the attachment type check. */
export const pdf = (size: number): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(Math.max(0, size - 9), 0x20)]);

/** An HTML page named like a PDF: refused by the attachment type check. */
export const htmlAsPdf = (): Buffer => Buffer.from('<html><script>alert(1)</script></html>');

/** `attachFile` with what a client lists of the new attachment. */
export const ATTACH_FILE = `mutation ($ownerId: ID!, $file: File!) { attachFile(ownerId: $ownerId, file: $file) { id name contentType size sha256 uploaderId downloadUrl } }`;
