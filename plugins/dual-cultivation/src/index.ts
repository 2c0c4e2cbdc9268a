export { dualCultivationPlugin as default, dualCultivationPlugin } from './plugin.ts';
