import { describe, expect, it } from 'vitest';
import { definePlugin, PluginDefinitionError } from '../plugin/define.ts';
import type { AttachmentOwnerDefinition } from './attachment-owner.ts';
import { loadedAttachmentOwners } from './core-attachment-owners.ts';

const owner = (type: string, prefix: string): AttachmentOwnerDefinition => ({
  type,
  events: { added: `${prefix}.fileAdded`, deleted: `${prefix}.fileDeleted` },
  find: async () => null,
});
const plugin = (id: string, owners: AttachmentOwnerDefinition[]) =>
  definePlugin({
    id,
    version: '1.0.0',
    description: id,
    requires: {},
    events: [`${id}.fileAdded`, `${id}.fileDeleted`],
    attachmentOwners: owners,
    register: () => {},
  });

describe('attachment owners', () => {
  it('assembles core’s owners and each loaded plugin’s, with the plugin that declared them', () => {
    const owners = loadedAttachmentOwners([plugin('honor-roll', [owner('HonorRoll', 'honor-roll')])]);
    expect([...owners.keys()]).toEqual(['Meeting', 'DevelopmentEntry', 'AssessmentTaskAssignment', 'HonorRoll']);
    expect(owners.get('Meeting')?.plugin).toBeNull();
    expect(owners.get('HonorRoll')?.plugin).toBe('honor-roll');
  });

  it('stops on a type declared twice, naming both declarers', () => {
    expect(() => loadedAttachmentOwners([plugin('meeting-plus', [owner('Meeting', 'meeting-plus')])])).toThrow(
      'attachment owner Meeting is declared by core and by plugin meeting-plus',
    );
    expect(() => loadedAttachmentOwners([plugin('a', [owner('Paper', 'a')]), plugin('b', [owner('Paper', 'b')])])).toThrow(
      'attachment owner Paper is declared by plugin a and by plugin b',
    );
  });

  it('refuses a plugin owner recording events the plugin did not declare', () => {
    expect(() => plugin('c', [owner('Paper', 'other')])).toThrow(PluginDefinitionError);
    expect(() => plugin('c', [owner('Paper', 'other')])).toThrow(/attachment owner Paper records undeclared event "other.fileAdded"/);
  });
});
