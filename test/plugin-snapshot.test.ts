import { Kind, parse, print, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CORE_VERSION, createSchemaSet, definePlugin, type Builder } from '@dangjian/core';
import { checkCoreSnapshot, checkSnapshot, coreSdl, pluginSdl } from '@dangjian/server';

/** A plugin whose schema and version a test can vary. */
function notices(version: string, withAuthor: boolean, withDate = false) {
  return definePlugin({
    id: 'notices',
    version,
    description: '通知 (test fixture)',
    requires: { core: '^1.0.0' },
    events: [],
    register(builder: Builder) {
      builder.objectRef<{ title: string }>('Notice').implement({
        description: '通知',
        fields: (t) => ({
          title: t.exposeString('title', { description: '标题' }),
          ...(withAuthor ? { author: t.string({ description: '发布人', resolve: () => 'x' }) } : {}),
          ...(withDate ? { date: t.string({ description: '日期', resolve: () => '2024-01-01' }) } : {}),
        }),
      });
      builder.queryField('notices', (t) => t.field({ type: ['Notice' as never], description: '通知列表', resolve: () => [] as never }));
      builder.prismaObjectField('Organization', 'noticeCount', (t) => t.int({ description: '通知数', resolve: () => 0 }));
    },
  });
}

const setOf = (plugin: ReturnType<typeof notices>) => createSchemaSet([plugin], { coreVersion: CORE_VERSION });

describe('plugin schema snapshots and versioning', () => {
  const released = pluginSdl(setOf(notices('1.0.0', true)), notices('1.0.0', true));

  it('prints the plugin’s own types and its extensions of core types under a version header', () => {
    expect(released).toMatch(/^# notices 1\.0\.0\n/);
    expect(released).toContain('type Notice {');
    expect(released).toMatch(/extend type Organization \{\n(.|\n)*noticeCount: Int!/);
    expect(released).toMatch(/extend type Query \{\n(.|\n)*notices: \[Notice!\]!/);
    expect(released).not.toMatch(/organizations|Member/);
  });

  it('accepts the unchanged schema, and an addition with a minor bump', async () => {
    expect(await checkSnapshot(setOf(notices('1.0.0', true)), notices('1.0.0', true), released)).toMatchObject({
      changed: false,
      problem: null,
    });
    const added = await checkSnapshot(setOf(notices('1.1.0', true, true)), notices('1.1.0', true, true), released);
    expect(added).toMatchObject({ changed: true, breaking: [], problem: null });
  });

  it('refuses a change without a version bump', async () => {
    const same = await checkSnapshot(setOf(notices('1.0.0', true, true)), notices('1.0.0', true, true), released);
    expect(same.problem).toMatch(/still version 1\.0\.0/);
  });

  it('refuses a breaking change without a new major version, and accepts it with one', async () => {
    const minor = await checkSnapshot(setOf(notices('1.1.0', false)), notices('1.1.0', false), released);
    expect(minor.breaking).toEqual([expect.stringMatching(/author.*removed/i)]);
    expect(minor.problem).toMatch(/breaking changes to its 1\.0\.0 schema without a new major version/);
    const major = await checkSnapshot(setOf(notices('2.0.0', false)), notices('2.0.0', false), released);
    expect(major.problem).toBeNull();
  });
});

describe('core schema snapshot and versioning', () => {
  const set = createSchemaSet([], { coreVersion: CORE_VERSION });
  const released = coreSdl(set, '1.1.0');
  const header = '# core 1.1.0\n\n';
  /** The released snapshot with one field of one type taken out (so the code now adds it). */
  const without = (type: string, field: string) =>
    header +
    print(
      visit(parse(released.slice(header.length)), {
        [Kind.OBJECT_TYPE_DEFINITION]: (node) =>
          node.name.value === type ? { ...node, fields: node.fields?.filter((f) => f.name.value !== field) } : undefined,
      }),
    );
  /** The released snapshot with a query field the code no longer has (so the code removed it). */
  const withRetiredField = released.replace(/\ntype Query \{\n/, '\ntype Query {\n  retiredReport: String\n');

  it('prints core’s schema without plugins under a version header', () => {
    expect(released).toMatch(/^# core 1\.1\.0\n\n/);
    expect(released).toContain('type Member implements Node {');
    expect(released).not.toMatch(/Brand|Talent|Clue|Community/);
  });

  it('accepts the unchanged schema, and an addition with a minor bump', async () => {
    expect(await checkCoreSnapshot(set, released, '1.1.0')).toMatchObject({ changed: false, problem: null });
    const added = await checkCoreSnapshot(set, without('Member', 'version'), '1.2.0');
    expect(added).toMatchObject({ changed: true, breaking: [], problem: null });
  });

  it('refuses a change without a version bump', async () => {
    const same = await checkCoreSnapshot(set, without('Member', 'version'), '1.1.0');
    expect(same.problem).toMatch(/core changed its schema but is still version 1\.1\.0/);
  });

  it('refuses a breaking change without a new major version, and accepts it with one', async () => {
    const minor = await checkCoreSnapshot(set, withRetiredField, '1.2.0');
    expect(minor.breaking).toEqual([expect.stringMatching(/retiredReport.*removed/i)]);
    expect(minor.problem).toMatch(/core 1\.2\.0 makes breaking changes to its 1\.1\.0 schema without a new major version/);
    expect((await checkCoreSnapshot(set, withRetiredField, '2.0.0')).problem).toBeNull();
  });

  it('refuses a snapshot without a header', async () => {
    expect((await checkCoreSnapshot(set, released.slice(header.length), '1.1.0')).problem).toMatch(/no "# core <version>" header/);
  });
});
