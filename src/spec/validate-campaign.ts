/**
 * @module
 * Turns any input into a valid `CampaignSpec` or the list of issues that stop it, each naming
 * the path and the fix: schema errors, duplicate ids, references to missing steps, dependency
 * cycles and actions a platform cannot perform. Linear in the size of the input: ids and
 * references are at most 64 characters and "did you mean" suggestions are looked for at most
 * {@link SUGGESTION_LOOKUPS} times per campaign.
 */
import type { z } from 'zod';
import type { Issue, Result } from '../errors.js';
import { CampaignSpec, type Step } from './campaign-schema.js';
import { PLATFORM_ACTIONS, supportsAction } from './platforms.js';

/**
 * Validates a campaign written by hand, by code or by the NL parser.
 * @example
 * const result = validateCampaign(JSON.parse(text));
 * if (!result.success) console.error(formatIssues(result.error));
 */
export function validateCampaign(input: unknown): Result<CampaignSpec> {
  const parsed = CampaignSpec.safeParse(input);
  if (!parsed.success) return { success: false, error: parsed.error.issues.map(fromZodIssue) };
  const issues = checkReferences(parsed.data);
  return issues.length > 0
    ? { success: false, error: issues }
    : { success: true, data: parsed.data };
}

/** The steps a step waits for: its `dependsOn` plus the anchor of relative timing. */
export function stepPrerequisites(step: Step): string[] {
  const ids = step.dependsOn.map((d) => d.step);
  if (step.timing.kind === 'relative' && !ids.includes(step.timing.after))
    ids.push(step.timing.after);
  return ids;
}

function fromZodIssue(issue: z.core.$ZodIssue): Issue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const suggestions: string[] = [];
  if (issue.code === 'invalid_value' && 'values' in issue) {
    suggestions.push(`one of: ${issue.values.map(String).join(', ')}`);
  }
  if (issue.code === 'invalid_union' && path.at(-1) === 'timing') {
    suggestions.push(
      'timing.kind is one of immediate, absolute, recipient_local, recurring, relative',
    );
  }
  return {
    code:
      issue.code === 'unrecognized_keys'
        ? 'unknown_field'
        : `invalid_${String(path.at(-1) ?? 'spec')}`,
    path,
    message: issue.message,
    ...(suggestions.length > 0 ? { suggestions } : {}),
  };
}

/** Unknown references that get "did you mean" suggestions; the rest are listed without. */
export const SUGGESTION_LOOKUPS = 10;

function checkReferences(spec: CampaignSpec): Issue[] {
  const issues: Issue[] = [];
  let lookups = SUGGESTION_LOOKUPS;
  const ids = new Map<string, number>();
  spec.steps.forEach((step, index) => {
    if (ids.has(step.id)) {
      issues.push({
        code: 'duplicate_step',
        path: ['steps', index, 'id'],
        message: `step id "${step.id}" is already used by steps.${String(ids.get(step.id))}`,
        suggestions: [`rename it, e.g. "${step.id}-2"`],
      });
    } else ids.set(step.id, index);
  });
  const known = [...ids.keys()];
  const missing = (ref: string, path: Issue['path'], what: string): void => {
    if (!ids.has(ref)) {
      issues.push({
        code: 'unknown_step',
        path,
        message: `${what} "${ref}" is not a step of this campaign`,
        suggestions: lookups-- > 0 ? closest(ref, known).map((id) => `"${id}"`) : [],
      });
    }
  };
  spec.steps.forEach((step, index) => {
    if (!supportsAction(step.platform, step.action)) {
      issues.push({
        code: 'unsupported_action',
        path: ['steps', index, 'action'],
        message: `${step.platform} cannot "${step.action}"`,
        suggestions: [`actions on ${step.platform}: ${PLATFORM_ACTIONS[step.platform].join(', ')}`],
      });
    }
    step.dependsOn.forEach((dep, d) => {
      missing(dep.step, ['steps', index, 'dependsOn', d, 'step'], 'dependency');
    });
    if (step.timing.kind === 'relative') {
      missing(step.timing.after, ['steps', index, 'timing', 'after'], 'relative timing anchor');
    }
    if ((step.action === 'email' || step.action === 'sms') && !step.audience && !spec.audience) {
      issues.push({
        code: 'missing_audience',
        path: ['steps', index, 'audience'],
        message: `an ${step.action} step needs recipients`,
        suggestions: [
          'add "audience" to the campaign or to this step, e.g. { "segment": "newsletter" }',
        ],
      });
    }
  });
  spec.conditions.forEach((condition, index) => {
    if (condition.step !== undefined)
      missing(condition.step, ['conditions', index, 'step'], 'watched step');
    const action = condition.then;
    const refs = 'step' in action ? [action.step] : 'steps' in action ? action.steps : [];
    refs.forEach((ref) => {
      missing(ref, ['conditions', index, 'then'], 'action target');
    });
    if (condition.threshold === null && condition.op !== 'max' && condition.op !== 'min') {
      issues.push({
        code: 'missing_threshold',
        path: ['conditions', index, 'threshold'],
        message: `"${condition.op}" needs a threshold`,
        suggestions: ['add "threshold", e.g. 0.15 for 15%'],
      });
    }
  });
  if (issues.length === 0) issues.push(...findCycle(spec.steps));
  return issues;
}

function findCycle(steps: readonly Step[]): Issue[] {
  const byId = new Map(steps.map((s, index) => [s.id, { step: s, index }]));
  const state = new Map<string, 'visiting' | 'done'>();
  // Depth-first with an explicit stack: a chain of 100,000 steps must not overflow the call stack.
  for (const root of steps) {
    if (state.has(root.id)) continue;
    const trail: { id: string; next: string[] }[] = [];
    const enter = (id: string): void => {
      state.set(id, 'visiting');
      trail.push({ id, next: stepPrerequisites(byId.get(id)!.step).reverse() });
    };
    enter(root.id);
    while (trail.length > 0) {
      const top = trail.at(-1)!;
      const next = top.next.pop();
      if (next === undefined) {
        state.set(top.id, 'done');
        trail.pop();
      } else if (state.get(next) === 'visiting') {
        const ids = trail.map((t) => t.id);
        const cycle = [...ids.slice(ids.indexOf(next)), next];
        return [
          {
            code: 'dependency_cycle',
            path: ['steps', byId.get(cycle[0]!)!.index, 'dependsOn'],
            message: `steps wait on each other in a cycle: ${cycle.join(' → ')}`,
            suggestions: [
              `remove one dependency of the cycle, e.g. "${cycle[0]!}" waiting on "${cycle[1]!}"`,
            ],
          },
        ];
      } else if (!state.has(next)) enter(next);
    }
  }
  return [];
}

function closest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .filter((c) => Math.abs(c.length - word.length) <= limit)
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ c }) => c);
}

/** Levenshtein distance, used for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}
