/** Drives bench/lib/load-ws.ts, the subscription client process, over IPC. */
import { fork } from 'node:child_process';
import type { WsCommand } from '../lib/load-ws.ts';
import { repoRoot } from '../lib/proc.ts';
import { loadWsScript } from '../setup/paths.ts';
import type { Json } from './http-load.ts';

export interface WsDriver {
  send(cmd: WsCommand): void;
  /** The next message of this type from the client (an `error` message from it throws). */
  next<T = Json>(type: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Forks a client process and resolves once it is ready for commands. */
export function wsDriver(): Promise<WsDriver> {
  const child = fork(loadWsScript, [], { execArgv: ['--import', 'tsx'], cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queue: Json[] = [];
  let waiter: (() => void) | null = null;
  child.on('message', (m) => {
    queue.push(m);
    waiter?.();
  });
  const driver: WsDriver = {
    send: (cmd) => child.send(cmd),
    async next(type, timeoutMs = 600_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((m) => m.type === type || m.type === 'error');
        if (index >= 0) {
          const [m] = queue.splice(index, 1);
          if (m.type === 'error') throw new Error(`subscription client: ${m.message}`);
          return m;
        }
        if (Date.now() > until) throw new Error(`subscription client: no ${type} within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 1000);
        });
      }
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send({ type: 'close' });
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  return driver.next('ready').then(() => driver);
}
