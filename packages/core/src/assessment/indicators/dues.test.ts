import { describe, expect, it } from 'vitest';
import { commonSubtree } from './dues.ts';

describe('commonSubtree', () => {
  it('reads one subtree: the nearest common ancestor of several paths', () => {
    expect(commonSubtree(['/a/b/c/', '/a/b/d/e/', '/a/b/'])).toEqual(['/a/b/']);
    expect(commonSubtree(['/a/bc/', '/a/bd/'])).toEqual(['/a/']);
    expect(commonSubtree(['/a/b/'])).toEqual(['/a/b/']);
    expect(commonSubtree([])).toEqual([]);
  });
  it('keeps the paths of different departments as they are', () => {
    expect(commonSubtree(['/a/b/', '/x/y/'])).toEqual(['/a/b/', '/x/y/']);
  });
});
