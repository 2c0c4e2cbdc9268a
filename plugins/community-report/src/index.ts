export { communityReportPlugin as default, communityReportPlugin } from './plugin.ts';
