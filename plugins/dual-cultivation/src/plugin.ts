import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** 双培双带 — cultivating members into leaders of prosperity and capable people into members. */
export const dualCultivationPlugin = definePlugin({
  id: 'dual-cultivation',
  version,
  description: '双培双带 — cultivating members into leaders of prosperity and capable people into members',
  requires: { core: '^1.0.0' },
  events: [],
  register() {},
});
