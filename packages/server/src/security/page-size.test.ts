import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { oversizedPage } from './page-size.ts';

describe('oversizedPage', () => {
  it('names the first literal page argument over the maximum or below zero', () => {
    expect(oversizedPage(parse('{ organizations(first: 10) { edges { node { members(last: 101) { totalCount } } } } }'), {}, 100)).toBe('members.last');
    expect(oversizedPage(parse('{ organizations(first: -1) { totalCount } }'), {}, 100)).toBe('organizations.first');
    expect(oversizedPage(parse('{ organizations(first: 100) { totalCount } }'), {}, 100)).toBeNull();
  });

  it('reads variables of each request, though the document is walked once', () => {
    const document = parse('query ($n: Int, $m: Int) { organizations(first: $n) { edges { node { members(first: $m) { totalCount } } } } }');
    expect(oversizedPage(document, { n: 5, m: 5 }, 100)).toBeNull();
    expect(oversizedPage(document, { n: 5, m: 500 }, 100)).toBe('members.first');
    expect(oversizedPage(document, { n: 1000, m: 5 }, 100)).toBe('organizations.first');
    expect(oversizedPage(document, undefined, 100)).toBeNull();
  });

  it('finds page arguments inside fragments', () => {
    const document = parse('{ organizations(first: 1) { ...f } } fragment f on OrganizationConnection { edges { node { children { members(first: 200) { totalCount } } } } }');
    expect(oversizedPage(document, {}, 100)).toBe('members.first');
  });
});
