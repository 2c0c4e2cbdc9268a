import { describe, expect, it } from 'vitest';
import { generateKeyText, keyringFrom, PersonalDataVault } from '@dangjian/db';
import type { Context } from '../context.ts';
import type { Viewer } from '../auth/viewer.ts';
import { openCursor, sealCursor } from './cursor-seal.ts';

function contextOf(vault: PersonalDataVault, viewer: Partial<Viewer> | null): Context {
  const full =
    viewer &&
    ({
      userId: 'u1',
      organizationId: 'o1',
      organizationPath: '/o1/',
      roles: ['ADMIN'],
      communityId: null,
      expiresAt: null,
      issuedAt: null,
      ...viewer,
    } as Viewer);
  return { vault, viewer: full } as unknown as Context;
}

const newVault = () => {
  const keys = generateKeyText('t');
  return new PersonalDataVault(keyringFrom(keys.dataKeys, keys.lookupKey));
};

describe('sealed cursors', () => {
  const vault = newVault();
  const ctx = contextOf(vault, {});
  const raw = Buffer.from('GPC:S:0196-a').toString('base64');

  it('opens what it sealed, for the same connection and viewer', () => {
    const sealed = sealCursor(ctx, 'Query.members', raw);
    expect(sealed.startsWith(raw)).toBe(true);
    expect(openCursor(ctx, 'Query.members', sealed, 'after')).toBe(raw);
    // The same row and viewer always get the same cursor, so a client can compare them.
    expect(sealCursor(ctx, 'Query.members', raw)).toBe(sealed);
  });

  it('refuses, with one and the same error, every cursor it did not issue to this viewer for this list', () => {
    const sealed = sealCursor(ctx, 'Query.members', raw);
    const refusals = [
      () => openCursor(ctx, 'Query.members', raw, 'after'), // hand-made, unsealed
      () => openCursor(ctx, 'Query.meetings', sealed, 'after'), // another list
      () => openCursor(contextOf(vault, { userId: 'u2' }), 'Query.members', sealed, 'after'), // another user
      () => openCursor(contextOf(vault, { organizationId: 'o2' }), 'Query.members', sealed, 'after'), // acting for another organization
      () => openCursor(contextOf(newVault(), {}), 'Query.members', sealed, 'after'), // another deployment's key
      () => openCursor(ctx, 'Query.members', `${Buffer.from('GPC:S:0196-b').toString('base64')}~${sealed.split('~')[1]}`, 'after'), // seal moved
      // One hex digit of the seal changed (to another digit: a seal ending in 0 was accepted unchanged, 1 run in 16).
      () => openCursor(ctx, 'Query.members', `${sealed.slice(0, -1)}${sealed.endsWith('0') ? '1' : '0'}`, 'after'),
      () => openCursor(ctx, 'Query.members', '~', 'after'),
      () => openCursor(ctx, 'Query.members', '', 'after'),
      () => openCursor(ctx, 'Query.members', 42, 'after'),
    ];
    const messages = refusals.map((refuse) => {
      try {
        refuse();
        return 'accepted';
      } catch (error) {
        return JSON.stringify([(error as Error).message, (error as { extensions?: unknown }).extensions]);
      }
    });
    expect(new Set(messages)).toEqual(
      new Set([
        JSON.stringify([
          'after: not a cursor of this list (cursors come from this list’s edges or pageInfo)',
          { field: 'after', code: 'BAD_USER_INPUT' },
        ]),
      ]),
    );
  });
});
