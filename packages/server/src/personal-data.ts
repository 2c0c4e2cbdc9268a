import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateKeyText, keyringFrom, PersonalDataVault } from '@dangjian/db';
import type { Config } from './config.ts';

const memoryVaults = new Map<string, PersonalDataVault>();

/**
 * The vault protecting national IDs. Production takes its keys from DANGJIAN_DATA_KEYS and
 * DANGJIAN_LOOKUP_KEY (config refuses to start without them). Development without them generates a pair
 * once and keeps it beside the data, like the development JWT secret: losing that file makes the IDs in
 * that database unreadable, which is the point of encrypting them. An in-memory database gets in-memory keys.
 */
export function openVault(config: Config): PersonalDataVault {
  if (config.dataKeys) return new PersonalDataVault(config.dataKeys);
  if (config.production) throw new Error('DANGJIAN_DATA_KEYS is required in production');
  const embeddedDir = config.database.kind === 'embedded' ? config.database.dataDir : null;
  if (embeddedDir?.startsWith('memory://')) {
    // One in-memory database, one pair of keys, however many times this process asks (seed, then serve).
    let vault = memoryVaults.get(embeddedDir);
    if (!vault) {
      const text = generateKeyText('dev');
      vault = new PersonalDataVault(keyringFrom(text.dataKeys, text.lookupKey));
      memoryVaults.set(embeddedDir, vault);
    }
    return vault;
  }
  const file = join(embeddedDir ?? join(process.cwd(), '.data'), 'dev-data-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${JSON.stringify(generateKeyText('dev'), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process starting at the same moment wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const text = JSON.parse(readFileSync(file, 'utf8')) as {
    dataKeys: string;
    lookupKey: string;
  };
  return new PersonalDataVault(keyringFrom(text.dataKeys, text.lookupKey));
}
