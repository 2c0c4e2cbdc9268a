import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** 纪检监督 — inspections, rectification and confidential clue handling. */
export const disciplinePlugin = definePlugin({
  id: 'discipline',
  version,
  description: '纪检监督 — inspections, rectification and confidential clue handling',
  requires: { core: '^1.0.0' },
  events: [],
  register() {},
});
