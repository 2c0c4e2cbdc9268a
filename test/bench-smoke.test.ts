import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/**
 * The benchmark's smoke mode (`npm run bench -- --smoke`): every scenario and contender for about a
 * second on a tiny dataset. It fails when a contender gives a different answer from ours, or when a
 * subscriber misses an event — so a broken peer or a broken server shows up here, not at bench time.
 */
describe('benchmark smoke mode', () => {
  it('runs every scenario and every contender agrees on the answers', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], {
      cwd: root,
      // The suite's own database settings must not leak into the benchmark's servers.
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', NODE_ENV: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(output, output).not.toContain('CHECK FAILED');
    expect(code, output).toBe(0);
    // Our server answered and was compared: on PostgreSQL against the peers, or on its own on PGlite.
    expect(output).toMatch(/check ok: s1: ours returns the same answer as ours/);
    // Scenario 1t: the query as a trusted document answers as the text does, and the ratio is printed.
    expect(output).toContain('check ok: s1t: ours-trusted returns the same answer as ours');
    expect(output).toMatch(/s1t: trusted document ÷ text: [\d.]+× throughput/);
    if (output.includes('s1: yoga returns')) {
      for (const peer of ['yoga', 'apollo', 'mercurius']) expect(output).toContain(`check ok: s1: ${peer} returns the same answer as ours`);
      expect(output).toContain('check ok: s2: yoga returns the same answer as ours');
      for (const peer of ['yoga', 'yoga-naive']) expect(output).toContain(`check ok: s2n: ${peer} returns the same answer as ours`);
      expect(output).toMatch(/check ok: subscriptions ours n=\d+: every subscriber got every event/);
    }
    expect(output).toContain('all checks passed');
    // 179 s in an idle-machine `npm test` (every scenario and contender, 0.3 s rounds, beside the suite's
    // busiest files, which start with it); 170 s was not enough in CI before. A smoke check, not a timing.
  }, 420_000);
});
