import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** 社区报到 — agency organizations and members registering and serving in residential communities. */
export const communityReportPlugin = definePlugin({
  id: 'community-report',
  version,
  description: '社区报到 — agency organizations and members registering and serving in residential communities',
  requires: { core: '^1.0.0' },
  events: [],
  register() {},
});
