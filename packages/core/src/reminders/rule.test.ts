import { describe, expect, it } from 'vitest';
import { definePlugin, PluginDefinitionError } from '../plugin/define.ts';
import { checkReminderRules, dedupKey, type ReminderRule } from './rule.ts';
import { thresholdsOf } from './settings.ts';

const rule = (id: string, defaults = [7]): ReminderRule<null> => ({
  id,
  description: 'test',
  unit: 'DAYS',
  defaults,
  load: async () => null,
  evaluate: () => [],
});

describe('reminder rule contract', () => {
  it('keys a notification by rule, subject, threshold and address', () => {
    const reminder = { subjectType: 'Member', subjectId: 'm1', threshold: '30d@2027-01-20' };
    expect(dedupKey('core.x', reminder, { organizationId: 'b1', role: 'SECRETARY' })).toBe('core.x|Member:m1|30d@2027-01-20|b1/SECRETARY');
    expect(dedupKey('core.x', reminder, { organizationId: 'b1', userId: 'u1' })).toBe('core.x|Member:m1|30d@2027-01-20|user:u1');
  });
  it('checks rule ids, duplicates and thresholds', () => {
    expect(() => checkReminderRules('discipline', [rule('discipline.due')])).not.toThrow();
    expect(() => checkReminderRules('discipline', [rule('other.due')])).toThrow(/must be named "discipline.<camelCaseName>"/);
    expect(() => checkReminderRules('discipline', [rule('discipline.due'), rule('discipline.due')])).toThrow(/declared twice/);
    expect(() => checkReminderRules('discipline', [rule('discipline.due', [0])])).toThrow(/below 1/);
  });
  it('is checked by definePlugin', () => {
    const base = { id: 'demo', version: '1.0.0', description: 'd', requires: {}, events: [], register: () => {} };
    expect(definePlugin({ ...base, reminders: [rule('demo.due')] }).reminders).toHaveLength(1);
    expect(() => definePlugin({ ...base, reminders: [rule('core.due')] })).toThrow(PluginDefinitionError);
  });
  it('uses a department’s thresholds when valid, else the defaults, largest first', () => {
    const r = rule('core.x', [3, 6]);
    expect(thresholdsOf(r, {})).toEqual([6, 3]);
    expect(thresholdsOf(r, { 'core.x': [1, 12] })).toEqual([12, 1]);
    expect(thresholdsOf(r, { 'core.x': [0] })).toEqual([6, 3]);
    expect(thresholdsOf(r, null)).toEqual([6, 3]);
  });
});
