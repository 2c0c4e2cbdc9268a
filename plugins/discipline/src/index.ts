export { disciplinePlugin as default, disciplinePlugin } from './plugin.ts';
