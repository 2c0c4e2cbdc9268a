import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@dangjian/db';

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `/healthz`: the process is alive. `/readyz`: the database answers within a second — a load
 * balancer takes the process out of rotation otherwise, and while it shuts down.
 */
export function healthHandler(db: Database, isShuttingDown: () => boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = req.url?.split('?')[0];
    if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/readyz') {
      if (isShuttingDown()) {
        send(res, 503, { status: 'shutting down' });
        return true;
      }
      try {
        await Promise.race([db.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref())]);
        send(res, 200, { status: 'ready', database: db.kind });
      } catch {
        send(res, 503, { status: 'database unreachable', database: db.kind });
      }
      return true;
    }
    return false;
  };
}
