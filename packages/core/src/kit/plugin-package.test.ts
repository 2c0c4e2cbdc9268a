import { describe, expect, it } from 'vitest';
import { requiresFrom } from './plugin-package.ts';

describe('requiresFrom', () => {
  it("reads core and plugins from a package's peer dependencies, with their ranges", () => {
    const peerDependencies = {
      '@dangjian/core': '^1.0.0',
      '@dangjian/plugin-party-brand': '^1.1.0',
      graphql: '^16.0.0',
      '@dangjian/db': '1.0.0',
    };
    expect(requiresFrom({ peerDependencies })).toEqual({ core: '^1.0.0', 'party-brand': '^1.1.0' });
  });

  it('requires nothing without peer dependencies', () => {
    expect(requiresFrom({})).toEqual({});
  });
});
