import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Release bookkeeping, checked without a database: versions, changelogs, the README's plugin table and
// the changesets CLI itself (CI runs this suite on Node 20 and on Node 24, so both are proven).

const root = resolve(import.meta.dirname, '..');

interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  workspaces?: string[];
  devDependencies?: Record<string, string>;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const rootManifest = readJson(join(root, 'package.json'));

/** Every workspace package (`dir` relative to the root), from the root's `workspaces` globs (`x/*` or `x`). */
const workspaces = rootManifest.workspaces!.flatMap((pattern) => {
  const dirs = pattern.endsWith('/*')
    ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${pattern.slice(0, -2)}/${d.name}`)
    : [pattern];
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(join(root, dir, 'package.json')) }));
});
/** Packages changesets versions: every workspace package that is not private. */
const released = workspaces.filter((w) => !w.manifest.private && w.manifest.version);

const changesetBin = join(root, 'node_modules/@changesets/cli/bin.js');

describe('versions and changelogs', () => {
  it('finds the published packages (core, db, server and the plugins), and no private one', () => {
    const names = released.map((w) => w.manifest.name);
    expect(names).toEqual(expect.arrayContaining(['@dangjian/core', '@dangjian/db', '@dangjian/server']));
    expect(names.filter((n) => n.startsWith('@dangjian/plugin-')).length).toBe(
      readdirSync(join(root, 'plugins')).filter((d) => existsSync(join(root, 'plugins', d, 'package.json'))).length,
    );
    expect(names).not.toContain('@dangjian/bench');
  });

  it.each(released.map((w) => [w.dir, w] as const))('%s: CHANGELOG.md’s latest entry is the package.json version', (dir, { manifest }) => {
    const path = join(root, dir, 'CHANGELOG.md');
    expect(
      existsSync(path),
      `${dir}/CHANGELOG.md is missing: ${manifest.name} ${manifest.version} needs one (npx changeset version writes it)`,
    ).toBe(true);
    const changelog = readFileSync(path, 'utf8');
    expect(changelog.split('\n')[0], `${dir}/CHANGELOG.md must start with "# ${manifest.name}"`).toBe(`# ${manifest.name}`);
    const headings = [...changelog.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1]!);
    expect(
      headings[0],
      `${dir}/CHANGELOG.md's latest entry is ${headings[0] ?? 'missing'}, but package.json says ${manifest.version}: add a changeset and run npx changeset version`,
    ).toBe(manifest.version);
    const invalid = headings.filter((v) => !semver.valid(v));
    expect(invalid, `${dir}/CHANGELOG.md has headings that are not versions`).toEqual([]);
    const descending = headings.every((v, i) => i === 0 || semver.gt(headings[i - 1]!, v));
    expect(descending, `${dir}/CHANGELOG.md: entries must be newest first, without repeats (${headings.join(', ')})`).toBe(true);
  });
});

describe('README plugin table', () => {
  /** Rows of the table under `## Plugins`: the package's name, the folder its link points to, the version cell. */
  function pluginTable(): { name: string; dir: string | null; version: string }[] {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.split(/^## Plugins\s*$/m)[1]?.split(/^## /m)[0] ?? '';
    // The first table of the section (the plugin guide below it has tables of its own).
    const all = section.split('\n');
    const start = all.findIndex((l) => l.startsWith('|'));
    const end = all.findIndex((l, i) => i > start && !l.startsWith('|'));
    const lines = start < 0 ? [] : all.slice(start, end < 0 ? undefined : end);
    const header = lines[0]?.split('|').map((c) => c.trim()) ?? [];
    const col = (name: string) => header.indexOf(name);
    expect(col('package'), 'README.md: the ## Plugins table needs "package" and "version" columns').toBeGreaterThan(0);
    expect(col('version')).toBeGreaterThan(0);
    return lines.slice(2).map((line) => {
      const cells = line.split('|').map((c) => c.trim());
      const pkg = cells[col('package')]!;
      const link = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(pkg);
      return { name: link ? link[1]! : pkg.replace(/`/g, ''), dir: link ? dirname(link[2]!) : null, version: cells[col('version')]! };
    });
  }

  it('lists every plugin package with its package.json name and version', () => {
    const rows = pluginTable();
    const plugins = workspaces.filter((w) => w.dir.startsWith('plugins/'));
    const problems: string[] = [];
    for (const { dir, manifest } of plugins) {
      const row = rows.find((r) => r.name === manifest.name);
      if (!row) problems.push(`add a row for ${manifest.name} ${manifest.version} (${dir})`);
      else {
        if (row.version !== manifest.version)
          problems.push(`${manifest.name}: change the version cell from ${row.version} to ${manifest.version} (${dir}/package.json)`);
        if (row.dir !== null && row.dir !== dir) problems.push(`${manifest.name}: its link points into ${row.dir}, the package is ${dir}`);
      }
    }
    for (const row of rows) {
      if (!plugins.some((p) => p.manifest.name === row.name))
        problems.push(`remove the row for ${row.name}: there is no such package in plugins/`);
      if (rows.filter((r) => r.name === row.name).length > 1) problems.push(`${row.name} is listed more than once`);
    }
    expect(problems, `README.md, ## Plugins table:\n  ${[...new Set(problems)].join('\n  ')}`).toEqual([]);
  });
});

describe('changesets CLI on this Node', () => {
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [changesetBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });

  it(`runs (changeset --version is the pinned one) on Node ${process.version}`, () => {
    const result = run(root, '--version');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(rootManifest.devDependencies!['@changesets/cli']);
  });

  // `status` and `version` on a copy of the workspace's manifests, changelogs and pending changesets, in a
  // throw-away git repository (they need a "main" branch and write files): the real configuration,
  // plus a minor changeset of core to see what it does to the packages depending on core.
  describe('status and version on a copy of the workspace', () => {
    let dir: string;
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: dir,
        stdio: 'pipe',
      });
    const manifest = (d: string) =>
      JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')) as Manifest & Record<string, Record<string, string>>;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dangjian-release-'));
      await writeFile(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
      await cp(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
      for (const w of workspaces) {
        await mkdir(join(dir, w.dir), { recursive: true });
        for (const file of ['package.json', 'CHANGELOG.md'])
          if (existsSync(join(root, w.dir, file))) await cp(join(root, w.dir, file), join(dir, w.dir, file));
      }
      // The changelog generator named in the config is resolved from here.
      await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      await writeFile(join(dir, '.gitignore'), 'node_modules\n');
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'copy');
      await writeFile(join(dir, '.changeset/release-test-core.md'), '---\n"@dangjian/core": minor\n---\n\nrelease test: a core addition\n');
    }, 60_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('status reads the configuration and the pending changesets', async () => {
      const result = run(dir, 'status', '--output=status.json');
      expect(result.status, result.stdout + result.stderr).toBe(0);
      const plan = JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')) as { releases: { name: string; type: string }[] };
      expect(plan.releases).toContainEqual(expect.objectContaining({ name: '@dangjian/core', type: 'minor' }));
      const names = plan.releases.map((r) => r.name);
      // A private package (test support) may follow core's exact version in the plan; it is never published.
      const privateNames = new Set(workspaces.filter((w) => w.manifest.private).map((w) => w.manifest.name));
      for (const name of names.filter((n) => !privateNames.has(n)))
        expect(
          released.map((w) => w.manifest.name),
          `${name} is not a published package`,
        ).toContain(name);
    }, 60_000);

    it('version bumps the versions and writes CHANGELOG entries; a minor core release forces no plugin major', () => {
      const before = Object.fromEntries(released.map((w) => [w.dir, w.manifest.version!]));
      const result = run(dir, 'version');
      expect(result.status, result.stdout + result.stderr).toBe(0);
      const core = manifest('packages/core');
      expect(core.version).toBe(semver.inc(before['packages/core']!, 'minor'));
      const coreLog = readFileSync(join(dir, 'packages/core/CHANGELOG.md'), 'utf8');
      expect(coreLog).toMatch(
        new RegExp(
          `^# @dangjian/core\\n\\n## ${core.version!.replace(/\./g, '\\.')}\\n\\n### Minor Changes\\n\\n- release test: a core addition`,
        ),
      );
      // A pending changeset may ask for a major of its own package (a deliberate breaking release): only a
      // major nobody asked for — forced by core's minor through a dependency — is the fault this looks for.
      const askedMajor = new Set(
        readdirSync(join(root, '.changeset'))
          .filter((f) => f.endsWith('.md') && f !== 'README.md')
          .flatMap((f) => [...readFileSync(join(root, '.changeset', f), 'utf8').matchAll(/^"([^"]+)":\s*major\s*$/gm)].map((m) => m[1]!)),
      );
      for (const w of released) {
        const now = manifest(w.dir);
        if (!askedMajor.has(w.manifest.name))
          expect(semver.major(now.version!), `${w.manifest.name} went to a new major`).toBe(semver.major(before[w.dir]!));
        // Every exact pin of core follows it, so npm keeps linking the workspace copy.
        for (const deps of [now.dependencies, now.devDependencies])
          if (deps?.['@dangjian/core']) expect(deps['@dangjian/core']).toBe(core.version);
        if (now.version !== before[w.dir])
          expect(readFileSync(join(dir, w.dir, 'CHANGELOG.md'), 'utf8')).toContain(`\n## ${now.version}\n`);
      }
      expect(manifest('bench').version, 'bench is private: never versioned').toBe(
        workspaces.find((w) => w.dir === 'bench')!.manifest.version,
      );
      expect(existsSync(join(dir, 'bench/CHANGELOG.md'))).toBe(false);
    }, 60_000);
  });
});
