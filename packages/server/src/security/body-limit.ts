import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Refuses a request body over the limit (413) before it is read, and a body of unknown length (411):
 * a chunked upload could otherwise stream without end into the parser.
 */
export function bodyLimit(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
  const length = req.headers['content-length'];
  const refuse = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'LENGTH_REQUIRED' } }] }));
    req.resume();
    return false;
  };
  if (length === undefined) return req.headers['transfer-encoding'] ? refuse(411, 'a request body needs a Content-Length') : true;
  if (!/^\d+$/.test(length) || Number(length) > maxBytes) return refuse(413, `request body over ${maxBytes} bytes`);
  return true;
}
