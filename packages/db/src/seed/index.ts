// Public surface of the seed: dataset builders (pure) and the inserter.

export { buildDemoDataset, buildScaleDataset, DEFAULT_SEED, emptyDataset, type DemoOptions, type ScaleOptions } from './dataset.ts';
export { insertDataset, isSeeded, type InsertOptions } from './insert.ts';
export { Random, weightedTable, type WeightedTable } from './random.ts';
export type * from './types.ts';
