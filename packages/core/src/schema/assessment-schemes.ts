import type { Builder } from '../builder.ts';
import { registerAssessmentManualScore } from './assessment-manual-score.ts';
import { registerAssessmentRule } from './assessment-rule.ts';
import { registerAssessmentScheme } from './assessment-scheme.ts';
import { registerAssessmentSchemeMutations } from './assessment-scheme-mutations.ts';
import { registerAssessmentSchemePublish } from './assessment-scheme-publish.ts';
import { registerAssessmentTask } from './assessment-task.ts';
import { registerScorecard } from './scorecard.ts';

/** 考核 of organizations: schemes, items, manual scores, task lists and scorecards. */
export function registerAssessmentSchemes(builder: Builder): void {
  const rule = registerAssessmentRule(builder);
  registerAssessmentScheme(builder, rule);
  registerAssessmentSchemeMutations(builder, rule);
  registerAssessmentManualScore(builder);
  registerAssessmentTask(builder);
  registerScorecard(builder, rule);
  registerAssessmentSchemePublish(builder);
}
