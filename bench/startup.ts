/**
 * Start-up benchmark: wall-clock time from spawning `dangjian start` to its ready line, on a fresh
 * embedded data directory (migrate + seed) and then on the existing one (restart), plus idle RSS.
 * Run: node --import tsx bench/startup.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '../packages/server/bin/dangjian.js');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function startOnce(dataDir: string): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, DANGJIAN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development' },
  });
  let output = '';
  const ms = await new Promise<number>((res, rej) => {
    child.stdout.on('data', (d) => {
      output += d;
      if (output.includes('ready at')) res(performance.now() - started);
    });
    child.stderr.on('data', (d) => (output += d));
    child.on('close', () => rej(new Error(output)));
  });
  await new Promise((r) => setTimeout(r, 2000));
  const rss = rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  return { ms: Math.round(ms), rss };
}

const dir = mkdtempSync(join(tmpdir(), 'dangjian-bench-'));
try {
  const first = await startOnce(dir);
  console.log(`first start (migrate + seed + serve): ${first.ms} ms, idle RSS ${first.rss} MB`);
  const restarts: number[] = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const r = await startOnce(dir);
    restarts.push(r.ms);
    rss = r.rss;
  }
  restarts.sort((a, b) => a - b);
  console.log(`restart on existing data (3 runs): median ${restarts[1]} ms, max ${restarts[2]} ms, idle RSS ${rss} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
