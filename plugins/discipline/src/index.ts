export { disciplinePlugin as default, disciplinePlugin, raiseOverdueRectifications } from './plugin.ts';
