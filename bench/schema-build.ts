/**
 * Schema build cost: the start-up build of every installed plugin (one incremental build per plugin,
 * which also tells who contributed what), and deriving a department's schema for a new enabled set
 * (cached afterwards). Run: node --import tsx bench/schema-build.ts
 */
import { CORE_VERSION, createSchemaSet } from '@dangjian/core';
import { discoverPlugins } from '@dangjian/server';

const plugins = await discoverPlugins();
const runs: number[] = [];
let set = createSchemaSet(plugins, { coreVersion: CORE_VERSION });
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  set = createSchemaSet(plugins, { coreVersion: CORE_VERSION });
  runs.push(performance.now() - t);
}
runs.sort((a, b) => a - b);
const ids = set.plugins.map((p) => p.id);
const derive: number[] = [];
for (let i = 0; i < ids.length; i++) {
  const subset = ids.filter((_, j) => j !== i);
  const t = performance.now();
  set.schemaFor(subset);
  derive.push(performance.now() - t);
}
derive.sort((a, b) => a - b);
const t = performance.now();
set.schemaFor(ids.slice(1));
const cached = performance.now() - t;
console.log(`plugins: ${ids.join(', ')}`);
console.log(`start-up build (core + ${ids.length} plugins): median ${runs[2]!.toFixed(0)} ms over 5 runs`);
console.log(
  `derive a department schema for a new enabled set: median ${derive[Math.floor(derive.length / 2)]!.toFixed(1)} ms; cached: ${cached.toFixed(3)} ms`,
);
