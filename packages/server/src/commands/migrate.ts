import { complain, say } from '../cli-io.ts';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { migrateDeploy, migrateDev, migrateStatus, openDatabase, projectMigrationPaths, repoRoot } from '@dangjian/db';
import { syncPluginSchemas } from '@dangjian/db/sync-plugin-schemas';
import type { Config } from '../config.ts';

/** `dangjian migrate deploy|status|dev`; returns the process exit code. */
export async function migrate(
  config: Config,
  action: string | undefined,
  options: { name?: string; createOnly?: boolean },
): Promise<number> {
  const db = await openDatabase(config.database);
  try {
    switch (action) {
      case 'deploy': {
        const { applied } = await migrateDeploy(db, projectMigrationPaths);
        say(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'no pending migrations');
        return 0;
      }
      case 'status': {
        const status = await migrateStatus(db, projectMigrationPaths);
        for (const m of status.migrations) say(`${m.state.padEnd(15)} ${m.name}${m.appliedAt ? `  (${m.appliedAt.toISOString()})` : ''}`);
        say(status.upToDate ? 'database is up to date' : 'database is NOT up to date');
        return status.upToDate ? 0 : 1;
      }
      case 'dev': {
        if (!options.name) {
          complain('migrate dev needs --name <name>');
          return 2;
        }
        // Plugins own their models; bring their current files in before diffing.
        syncPluginSchemas(repoRoot);
        const result = await migrateDev(db, projectMigrationPaths, options.name, { createOnly: options.createOnly });
        for (const warning of result.warnings) complain(`warning: ${warning}`);
        say(result.created ? `created prisma/migrations/${result.created}` : 'schema matches the migrations: nothing to create');
        if (result.applied.length) say(`applied: ${result.applied.join(', ')}`);
        // As `prisma migrate dev` does: the client must know the new models at once.
        if (result.created) {
          const generated = spawnSync(process.execPath, [join(repoRoot, 'packages/db/scripts/generate.js')], { stdio: 'inherit' });
          if (generated.status !== 0) return 1;
        }
        return 0;
      }
      default:
        complain('usage: dangjian migrate deploy | status | dev --name <name> [--create-only]');
        return 2;
    }
  } finally {
    await db.close();
  }
}
