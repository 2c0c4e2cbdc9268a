import type { ServerResponse } from 'node:http';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `Content-Disposition: attachment` with the name twice: an ASCII fallback, and the real (Chinese) name
 * encoded as RFC 5987 `filename*`, which every current browser prefers.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'download';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Headers of every file the server hands out: a download, never rendered (no sniffing, no HTML), never cached by proxies. */
export function downloadHeaders(fileName: string, type: string, length?: number): Record<string, string> {
  return {
    'content-type': type,
    'content-disposition': contentDisposition(fileName),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  };
}

/** A JSON error answer in the shape the GraphQL endpoint uses. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
