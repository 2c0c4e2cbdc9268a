import { describe, expect, it } from 'vitest';
import { printSchema } from 'graphql';
import type { Builder } from '../builder.ts';
import { definePlugin, PluginDefinitionError, type AnyPlugin } from './define.ts';
import { orderPlugins, PluginRegistryError } from './order.ts';
import { createSchemaSet } from './schema-set.ts';

const noop = () => {};
const plugin = (
  id: string,
  version: string,
  requires: Record<string, string> = { core: '^1.0.0' },
  register: (b: Builder) => void = noop,
): AnyPlugin => definePlugin({ id, version, description: id, requires, events: [], register });

describe('definePlugin', () => {
  it('returns a frozen definition', () => {
    const p = definePlugin({
      id: 'a-b',
      version: '1.0.0',
      description: 'x',
      requires: { core: '^1' },
      events: ['a-b.done'],
      register: noop,
    });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.requires)).toBe(true);
    expect(() => ((p as { id: string }).id = 'x')).toThrow();
  });

  it('rejects malformed ids, versions and events, naming the plugin', () => {
    expect(() => plugin('Bad_Id', '1.0.0')).toThrow(PluginDefinitionError);
    expect(() => plugin('core', '1.0.0')).toThrow(/kebab-case and not "core"/);
    expect(() => plugin('ok', 'one')).toThrow(/plugin ok: version "one"/);
    expect(() => definePlugin({ id: 'ok', version: '1.0.0', description: '', requires: {}, events: ['other.x'], register: noop })).toThrow(
      /event "other.x" must be named "ok.<event>"/,
    );
  });
});

describe('plugin registry', () => {
  it('orders plugins after what they require', () => {
    const ordered = orderPlugins(
      [plugin('c', '1.0.0', { b: '^1.0.0' }), plugin('a', '1.0.0'), plugin('b', '1.0.0', { a: '1.x' })],
      '1.0.0',
    );
    expect(ordered.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('fails when a required plugin is missing, naming both', () => {
    expect(() => orderPlugins([plugin('brand-stats', '1.0.0', { 'party-brand': '^2.0.0' })], '1.0.0')).toThrow(
      new PluginRegistryError('plugin brand-stats@1.0.0 requires party-brand ^2.0.0, which is not loaded'),
    );
  });

  it('fails when a version is out of range, naming both sides and versions', () => {
    expect(() => orderPlugins([plugin('a', '1.4.0'), plugin('b', '2.0.0', { a: '^2.0.0' })], '1.0.0')).toThrow(
      'plugin b@2.0.0 requires a ^2.0.0, but a@1.4.0 is loaded',
    );
  });

  it('checks core’s own version like a plugin’s', () => {
    expect(() => orderPlugins([plugin('a', '1.0.0', { core: '^2.0.0' })], '1.3.0')).toThrow(
      'plugin a@1.0.0 requires core ^2.0.0, but core@1.3.0 is loaded',
    );
  });

  it('fails on a cycle, naming the loop', () => {
    expect(() =>
      orderPlugins([plugin('a', '1.0.0', { b: '*' }), plugin('b', '1.0.0', { c: '*' }), plugin('c', '1.0.0', { a: '*' })], '1.0.0'),
    ).toThrow('plugins require each other in a cycle: a → b → c → a');
  });

  it('fails on a plugin loaded twice', () => {
    expect(() => orderPlugins([plugin('a', '1.0.0'), plugin('a', '1.1.0')], '1.0.0')).toThrow('plugin a is loaded twice (1.0.0 and 1.1.0)');
  });

  it('fails when two plugins define the same type, naming both', () => {
    const defineThing = (b: Builder) => {
      b.objectRef<{ x: string }>('Thing').implement({
        description: 't',
        fields: (t) => ({ x: t.exposeString('x', { description: 'x' }) }),
      });
      b.queryField(`thing${Math.random().toString(36).slice(2, 6)}`, (t) =>
        t.field({ type: 'String', description: 'd', resolve: () => 'x' }),
      );
    };
    const error = (() => {
      try {
        createSchemaSet([plugin('first', '1.0.0', undefined, defineThing), plugin('second', '1.0.0', undefined, defineThing)], {
          coreVersion: '1.0.0',
        });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(PluginRegistryError);
    expect(error?.message).toMatch(/^plugin second defines Thing, which plugin first already defines/);
  });

  it('fails when two plugins define the same field, naming both', () => {
    const addField = (b: Builder) => b.queryField('sharedName', (t) => t.string({ description: 'd', resolve: () => 'x' }));
    expect(() =>
      createSchemaSet([plugin('first', '1.0.0', undefined, addField), plugin('second', '1.0.0', undefined, addField)], {
        coreVersion: '1.0.0',
      }),
    ).toThrow(/^plugin second defines Query.sharedName, which plugin first already defines/);
  });

  it('fails when a plugin redefines a core field, naming core', () => {
    const clash = (b: Builder) => b.queryField('organizations', (t) => t.string({ description: 'd', resolve: () => 'x' }));
    expect(() => createSchemaSet([plugin('rogue', '1.0.0', undefined, clash)], { coreVersion: '1.0.0' })).toThrow(
      /plugin rogue defines Query.organizations, which core already defines/,
    );
  });

  it('derives one schema per enabled set, cached, hiding what disabled plugins contributed', () => {
    const a = plugin('aa', '1.0.0', undefined, (b) => {
      b.objectRef<{ n: number }>('AaThing').implement({ description: 'a', fields: (t) => ({ n: t.exposeInt('n', { description: 'n' }) }) });
      b.queryField('aaThings', (t) => t.field({ type: ['AaThing' as never], description: 'a', resolve: () => [] as never }));
    });
    const set = createSchemaSet([a], { coreVersion: '1.0.0' });
    expect(set.owners.get('AaThing')).toBe('aa');
    expect(set.owners.get('Query.aaThings')).toBe('aa');
    const without = set.schemaFor([]);
    const withA = set.schemaFor(['aa']);
    expect(printSchema(without)).not.toMatch(/AaThing|aaThings/);
    expect(printSchema(withA)).toMatch(/aaThings: \[AaThing!\]!/);
    expect(set.schemaFor([])).toBe(without);
    expect(set.derived).toBe(2);
  });
});
