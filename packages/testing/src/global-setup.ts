import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoDataset, generateKeyText, insertDataset, keyringFrom, PersonalDataVault } from '@dangjian/db';
import { writeTestDatabaseTemplate } from '@dangjian/db/testing';
import type { TestProject } from 'vitest/node';
import type { TestDatabaseTemplates } from './templates.ts';

/**
 * Vitest global setup of the application tests: initializes, migrates and seeds the embedded database once
 * per run, so that each test file copies it instead of doing the same work again (`startTestServer`). On
 * PostgreSQL every test file still migrates and seeds a schema of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const target = project.config.env?.DANGJIAN_TEST_DATABASE;
  if (target && target !== 'embedded') {
    project.provide('dangjianTemplates', null);
    return async () => {};
  }
  const dir = await mkdtemp(join(tmpdir(), 'dangjian-test-templates-'));
  const keys = generateKeyText('test');
  const today = new Date();
  const templates: TestDatabaseTemplates = { empty: join(dir, 'empty.tar'), demo: join(dir, 'demo.tar'), keys, today: today.toISOString() };
  const vault = new PersonalDataVault(keyringFrom(keys.dataKeys, keys.lookupKey));
  await writeTestDatabaseTemplate(templates.empty);
  await writeTestDatabaseTemplate(templates.demo, (db) => insertDataset(db.client, buildDemoDataset({ today }), vault), templates.empty);
  project.provide('dangjianTemplates', templates);
  return () => rm(dir, { recursive: true, force: true });
}
