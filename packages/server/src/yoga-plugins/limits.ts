import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { useNestedArgumentPolicy } from './nested-arguments.ts';
import { usePageSizeLimit } from './page-size.ts';

/**
 * Operation limits, checked while parsing and validating — before anything executes — for HTTP and,
 * because the socket path runs through the same envelop pipeline, for graphql-ws too.
 */
export function queryLimitPlugins(config: Config): Plugin[] {
  const limits = config.limits;
  const plugins: Plugin[] = [
    // Depth counts through fragments (armor ≥ 2.4.2); Relay connections add two levels per hop.
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, exposeLimits: true }) as Plugin,
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true }) as Plugin,
    maxDirectivesPlugin({ n: limits.maxDirectives, exposeLimits: true }) as Plugin,
    maxTokensPlugin({ n: limits.maxTokens, exposeLimits: true }) as Plugin,
    costLimitPlugin({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, exposeLimits: true }) as Plugin,
    usePageSizeLimit(),
    useNestedArgumentPolicy(),
  ];
  // "Did you mean …" leaks the schema to anyone who guesses names.
  if (config.production) plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}
