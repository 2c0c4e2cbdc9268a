import { AssessmentRuleKind } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { InputError } from '../errors/errors.ts';
import { formatHundredths, isParameterText, isPointsText, toHundredths } from '../assessment/points.ts';
import { ruleProblems, type Rule, type Step } from '../assessment/rules.ts';

/** A rule's input as the client wrote it (decimal texts). */
export interface RuleInputShape {
  kind: AssessmentRuleKind;
  target?: string | null;
  steps?: readonly { atLeast: string; points: string }[] | null;
  perOccurrence?: string | null;
  floor?: string | null;
  threshold?: string | null;
  cap?: string | null;
}

/** The rule's columns of an item row. */
export interface RuleColumns {
  rule: AssessmentRuleKind;
  target: string | null;
  steps: { atLeast: string; points: string }[] | undefined;
  perOccurrence: string | null;
  floor: string | null;
  threshold: string | null;
  cap: string | null;
}

/**
 * Checks a rule's parameters (each present for its kind, exact decimals, within the item's points) and
 * returns the rule in hundredths and its columns; errors name the field under `field` (`input.items[2].rule.target`).
 */
export function parseRule(
  input: RuleInputShape,
  maxPoints: number,
  totalPoints: number,
  field: string,
): { rule: Rule; columns: RuleColumns } {
  const need = (name: keyof RuleInputShape & string, points: boolean): number => {
    const value = input[name] as string | null | undefined;
    if (value === null || value === undefined) throw new InputError(`${field}.${name}`, `is required for a ${input.kind} rule`);
    if (!(points ? isPointsText(value) : isParameterText(value)))
      throw new InputError(
        `${field}.${name}`,
        points ? 'must be points ≥ 0 with at most two decimals' : 'must be a number with at most two decimals',
      );
    return toHundredths(value);
  };
  let rule: Rule;
  switch (input.kind) {
    case 'PROPORTIONAL':
      rule = { kind: 'PROPORTIONAL', target: need('target', false) };
      break;
    case 'STEPPED': {
      if (!input.steps?.length) throw new InputError(`${field}.steps`, 'needs at least one step for a STEPPED rule');
      const steps: Step[] = input.steps.map((step, i) => {
        if (!isParameterText(step.atLeast))
          throw new InputError(`${field}.steps[${i}].atLeast`, 'must be a number with at most two decimals');
        if (!isPointsText(step.points)) throw new InputError(`${field}.steps[${i}].points`, 'must be points ≥ 0 with at most two decimals');
        return { atLeast: toHundredths(step.atLeast), points: toHundredths(step.points) };
      });
      rule = { kind: 'STEPPED', steps };
      break;
    }
    case 'DEDUCTION':
      rule = { kind: 'DEDUCTION', perOccurrence: need('perOccurrence', true), floor: need('floor', true) };
      break;
    case 'VETO':
      rule = { kind: 'VETO', threshold: need('threshold', false), cap: need('cap', true) };
      break;
  }
  const problem = ruleProblems(rule, maxPoints, totalPoints)[0];
  if (problem) throw new InputError(`${field}.${problem[0].slice('rule.'.length)}`, problem[1]);
  return { rule, columns: ruleColumns(rule) };
}

/** A rule as stored: decimal texts with two places in the columns of its kind, null elsewhere. */
export function ruleColumns(rule: Rule): RuleColumns {
  const f = (v: number | undefined) => (v === undefined ? null : formatHundredths(v));
  return {
    rule: rule.kind,
    target: f(rule.kind === 'PROPORTIONAL' ? rule.target : undefined),
    steps:
      rule.kind === 'STEPPED'
        ? rule.steps.map((s) => ({ atLeast: formatHundredths(s.atLeast), points: formatHundredths(s.points) }))
        : undefined,
    perOccurrence: f(rule.kind === 'DEDUCTION' ? rule.perOccurrence : undefined),
    floor: f(rule.kind === 'DEDUCTION' ? rule.floor : undefined),
    threshold: f(rule.kind === 'VETO' ? rule.threshold : undefined),
    cap: f(rule.kind === 'VETO' ? rule.cap : undefined),
  };
}

/** 计分规则 (AssessmentRule): the rule type shown on items and scorecards, and its input. */
export function registerAssessmentRule(builder: Builder) {
  const Kind = builder.enumType(AssessmentRuleKind, {
    name: 'AssessmentRuleKind',
    description: '计分规则 — how an item’s raw value becomes points',
    values: {
      PROPORTIONAL: { description: '按比例 — max points × min(value, target) / target' },
      STEPPED: { description: '阶梯 — the points of the highest threshold the value reaches' },
      DEDUCTION: { description: '扣分 — max points minus points per occurrence (the value counts occurrences), never below the floor' },
      VETO: { description: '一票否决 — below the threshold the item scores 0 and the card’s total is capped' },
    },
  });

  const StepRef = builder.objectRef<Step>('AssessmentRuleStep').implement({
    description: '阶梯 — one threshold of a stepped rule',
    fields: (t) => ({
      atLeast: t.field({
        type: 'Decimal',
        description: '起点 — a value of at least this (in the indicator’s unit)',
        resolve: (s) => formatHundredths(s.atLeast),
      }),
      points: t.field({ type: 'Decimal', description: '得分 — earns these points', resolve: (s) => formatHundredths(s.points) }),
    }),
  });

  const dec = (v: number | undefined) => (v === undefined ? null : formatHundredths(v));
  const RuleRef = builder.objectRef<Rule>('AssessmentRule').implement({
    description: '计分规则 — a scoring rule with its parameters (only those of its kind are set)',
    fields: (t) => ({
      kind: t.field({ type: Kind, description: '规则类型 — kind', resolve: (r) => r.kind }),
      target: t.field({
        type: 'Decimal',
        nullable: true,
        description: '目标值 — PROPORTIONAL: the value that earns full points',
        resolve: (r) => dec(r.kind === 'PROPORTIONAL' ? r.target : undefined),
      }),
      steps: t.field({
        type: [StepRef],
        nullable: true,
        description: '阶梯 — STEPPED: thresholds in increasing order',
        resolve: (r) => (r.kind === 'STEPPED' ? [...r.steps] : null),
      }),
      perOccurrence: t.field({
        type: 'Decimal',
        nullable: true,
        description: '每次扣分 — DEDUCTION: points deducted per occurrence',
        resolve: (r) => dec(r.kind === 'DEDUCTION' ? r.perOccurrence : undefined),
      }),
      floor: t.field({
        type: 'Decimal',
        nullable: true,
        description: '保底分 — DEDUCTION: the item never scores below this',
        resolve: (r) => dec(r.kind === 'DEDUCTION' ? r.floor : undefined),
      }),
      threshold: t.field({
        type: 'Decimal',
        nullable: true,
        description: '否决线 — VETO: a value below this vetoes',
        resolve: (r) => dec(r.kind === 'VETO' ? r.threshold : undefined),
      }),
      cap: t.field({
        type: 'Decimal',
        nullable: true,
        description: '封顶分 — VETO: a vetoed card’s total is at most this',
        resolve: (r) => dec(r.kind === 'VETO' ? r.cap : undefined),
      }),
    }),
  });

  const StepInput = builder.inputType('AssessmentRuleStepInput', {
    description: '阶梯 — one threshold of a stepped rule',
    fields: (t) => ({
      atLeast: t.field({
        type: 'Decimal',
        required: true,
        description: '起点 — a value of at least this (greater than the previous step’s)',
      }),
      points: t.field({ type: 'Decimal', required: true, description: '得分 — points earned, at most the item’s max points' }),
    }),
  });

  const RuleInput = builder.inputType('AssessmentRuleInput', {
    description: '计分规则 — a rule and the parameters its kind needs',
    fields: (t) => ({
      kind: t.field({ type: Kind, required: true, description: '规则类型 — kind' }),
      target: t.field({ type: 'Decimal', required: false, description: '目标值 — PROPORTIONAL: > 0' }),
      steps: t.field({ type: [StepInput], required: false, description: '阶梯 — STEPPED: at least one, increasing' }),
      perOccurrence: t.field({ type: 'Decimal', required: false, description: '每次扣分 — DEDUCTION: > 0' }),
      floor: t.field({ type: 'Decimal', required: false, description: '保底分 — DEDUCTION: from 0 to the item’s max points' }),
      threshold: t.field({ type: 'Decimal', required: false, description: '否决线 — VETO: a value below this vetoes' }),
      cap: t.field({ type: 'Decimal', required: false, description: '封顶分 — VETO: from 0 to the scheme’s total points' }),
    }),
  });
  return { RuleRef, RuleInput };
}

/** The rule's refs, for the item and scorecard types. */
export type AssessmentRuleRefs = ReturnType<typeof registerAssessmentRule>;
