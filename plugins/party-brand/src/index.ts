export { partyBrandPlugin as default, partyBrandPlugin } from './plugin.ts';
