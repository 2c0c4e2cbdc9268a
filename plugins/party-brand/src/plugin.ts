import { createRequire } from 'node:module';
import { definePlugin } from '@dangjian/core';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** 党建品牌 — one branch, one brand (一个支部一个品牌). */
export const partyBrandPlugin = definePlugin({
  id: 'party-brand',
  version,
  description: '党建品牌 — one branch, one brand (一个支部一个品牌)',
  requires: { core: '^1.0.0' },
  events: [],
  register() {},
});
