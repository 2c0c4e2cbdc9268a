// Brings each plugin's Prisma models (plugins/<id>/prisma/<id>.prisma, owned by the plugin) into the
// one multi-file schema under prisma/schema/, so there is one client and one migration history.
// Files there other than base.prisma, core.prisma and core-*.prisma (further core models) belong to plugins;
// a plugin's removed file goes too.
import { copyFileSync, existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const CORE_FILES = new Set(['base.prisma', 'core.prisma']);
const isCoreFile = (file) => CORE_FILES.has(file) || file.startsWith('core-');

/** Syncs plugin schema files into `<root>/prisma/schema`; returns the plugin files now there. */
export function syncPluginSchemas(root) {
  const target = join(root, 'prisma', 'schema');
  const pluginsDir = join(root, 'plugins');
  const wanted = new Map();
  if (existsSync(pluginsDir)) {
    for (const plugin of readdirSync(pluginsDir)) {
      const dir = join(pluginsDir, plugin, 'prisma');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.prisma'))) {
        if (isCoreFile(file) || wanted.has(file)) throw new Error(`plugin ${plugin}: schema file name ${file} is taken`);
        wanted.set(file, join(dir, file));
      }
    }
  }
  for (const file of readdirSync(target)) {
    if (file.endsWith('.prisma') && !isCoreFile(file) && !wanted.has(file)) unlinkSync(join(target, file));
  }
  for (const [file, source] of wanted) {
    const dest = join(target, file);
    if (!existsSync(dest) || readFileSync(dest, 'utf8') !== readFileSync(source, 'utf8')) copyFileSync(source, dest);
  }
  return [...wanted.keys()].sort();
}
