/**
 * @module
 * `parseCampaign`: plain English → `CampaignSpec` plus diagnostics. The text is tokenized,
 * split into sentences and clauses, read by small matchers over lexicons (platforms, zones,
 * holidays, metrics, audiences), assembled into steps and validated. Nothing ambiguous is
 * guessed: an unclear field stays empty and is reported with suggestions, and everything
 * stated clearly is still returned as a draft.
 */
import { DateTime } from 'luxon';
import type { Issue } from '../errors.js';
import type { Audience } from '../spec/audience-schema.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { validateCampaign } from '../spec/validate-campaign.js';
import { contradictions, mergeFilters, toRules } from './audience-builder.js';
import { BLOCKING_CODES, type CampaignDraft, type DraftStepSpec } from './campaign-draft.js';
import { buildConditions } from './condition-builder.js';
import type { RawCondition } from './condition-matcher.js';
import { readSentence, splitSentences } from './sentence-reader.js';
import { StepAssembler } from './step-assembler.js';
import { buildTiming } from './timing-builder.js';
import { type Token, tokenize } from './tokenize-text.js';
import { ZONE_WORDS } from './time-lexicon.js';
import { unreadWords } from './unread-words.js';

/** Options of {@link parseCampaign}. */
export interface ParseOptions {
  /** The reference "now" (ISO-8601 or a `Date`); relative dates are read from it. */
  readonly now: string | Date;
  /** Zone for clock times stated without one. @default none: such times are reported as `time_without_zone` */
  readonly defaultZone?: string;
  /** Language of the text. Only English is read. @default "en" */
  readonly locale?: string;
}

/** The outcome of {@link parseCampaign}. */
export interface ParseResult {
  /** True when the spec is valid and nothing must be asked back. */
  readonly success: boolean;
  /** What was understood; a valid `CampaignSpec` when `success` is true. */
  readonly spec: CampaignDraft;
  /** Ambiguities, unknown words and notes, each with a text span and suggestions. */
  readonly diagnostics: readonly Issue[];
}

const AB_VARIANTS = [
  { id: 'a', weight: 1 },
  { id: 'b', weight: 1 },
];

/** Inputs longer than this are cut, so the work per call stays bounded. */
export const MAX_INPUT_LENGTH = 20_000;

function campaignName(text: string): string {
  const quoted = /^\s*Campaign "([^"\n]{1,200})"/.exec(text);
  if (quoted !== null) return quoted[1]!;
  const firstLine = text.trim().split('\n', 1)[0]!;
  const stops = ['. ', ': ', '? ', '! '].map((p) => firstLine.indexOf(p)).filter((k) => k > 0);
  const sentence = firstLine.slice(0, Math.min(firstLine.length, ...stops)).replace(/[.!?:]$/, '');
  const cut = sentence.slice(
    0,
    sentence.length <= 60 ? 60 : Math.max(sentence.lastIndexOf(' ', 60), 20),
  );
  return cut.trim().length > 0 ? cut.trim() : 'Untitled campaign';
}

/** The zone of "all times ET", "(all times Pacific)", "all times are in London time". */
function sharedZone(tokens: readonly Token[]): string | undefined {
  for (let k = 0; k + 2 < tokens.length; k++) {
    if (tokens[k]!.norm !== 'all' || tokens[k + 1]!.norm !== 'times') continue;
    let j = k + 2;
    while (j < tokens.length && (tokens[j]!.norm === 'are' || tokens[j]!.norm === 'in')) j++;
    const two = `${tokens[j]?.norm ?? ''} ${tokens[j + 1]?.norm ?? ''}`;
    const zone = ZONE_WORDS.get(two) ?? ZONE_WORDS.get(tokens[j]?.norm ?? '');
    if (zone !== undefined) return zone;
    if (tokens[j]?.kind === 'zone') return tokens[j]!.raw;
  }
  return undefined;
}

const WHOLE_LIST = new Set(['everyone', 'everybody', 'all', 'full', 'whole', 'entire']);
const LIST_NOUNS = new Set(['subscribers', 'subs', 'list', 'customers', 'contacts', 'users']);

/** True when the text names the whole list: "everyone", "all subscribers", "the full list". */
function wholeList(tokens: readonly Token[]): boolean {
  return tokens.some(
    (t, k) =>
      t.norm === 'everyone' ||
      t.norm === 'everybody' ||
      (WHOLE_LIST.has(t.norm) && LIST_NOUNS.has(tokens[k + 1]?.norm ?? '')) ||
      (WHOLE_LIST.has(t.norm) &&
        tokens[k + 1]?.norm === 'our' &&
        LIST_NOUNS.has(tokens[k + 2]?.norm ?? '')),
  );
}

function stepIds(steps: readonly { platform: string; action: string }[]): string[] {
  const ids: string[] = [];
  for (const s of steps) {
    const base = `${s.platform}-${s.action}`.replace(/_/g, '-');
    let id = base;
    for (let n = 2; ids.includes(id); n++) id = `${base}-${n}`;
    ids.push(id);
  }
  return ids;
}

/**
 * Parses a plain-English campaign description.
 * @example
 * const { success, spec, diagnostics } = parseCampaign(
 *   'Tweet the teaser Tue Dec 1 at 4pm PT and post it to IG 30 minutes later.',
 *   { now: '2026-11-25T12:00:00Z' },
 * );
 */
export function parseCampaign(text: string, options: ParseOptions): ParseResult {
  const input = text.length > MAX_INPUT_LENGTH ? text.slice(0, MAX_INPUT_LENGTH) : text;
  const header = /^\s*Campaign "[^"\n]{1,200}"\.?/.exec(input)?.[0] ?? '';
  const body = ' '.repeat(header.length) + input.slice(header.length);
  const diagnostics: Issue[] = [];
  if (input.length < text.length) {
    diagnostics.push({
      code: 'input_truncated',
      path: [],
      span: [MAX_INPUT_LENGTH, text.length],
      message: `only the first ${MAX_INPUT_LENGTH} characters were read`,
      suggestions: ['split the campaign into several'],
    });
  }
  const base =
    typeof options.now === 'string'
      ? DateTime.fromISO(options.now, { setZone: true })
      : DateTime.fromJSDate(options.now);
  if (!base.isValid) {
    diagnostics.push({
      code: 'invalid_now',
      path: [],
      message: `"now" is not a valid date-time: ${String(options.now)}`,
      suggestions: ['pass an ISO-8601 date-time, e.g. 2026-11-25T12:00:00Z'],
    });
  }
  const tokens = tokenize(body);
  const shared = sharedZone(tokens);
  const zone = options.defaultZone ?? 'UTC';
  const now = (base.isValid ? base : DateTime.fromMillis(0)).setZone(zone);
  const assembler = new StepAssembler(input);
  const raws: RawCondition[] = [];
  const facts: Parameters<typeof contradictions>[0][number][] = [];
  const unread: Issue[] = [];
  splitSentences(tokens).forEach((sentence, index) => {
    const reading = readSentence(sentence, { now });
    assembler.addSentence(reading, index);
    unread.push(...unreadWords(reading.scanner));
    facts.push(...reading.audience);
    const raw = reading.condition;
    if (raw !== undefined) raws.push(raw);
    if (raw?.none !== undefined) raws.push({ ...raw, metric: raw.none, op: 'eq', threshold: 0 });
  });
  assembler.finish();
  diagnostics.push(...assembler.issues);
  const ids = stepIds(assembler.steps);
  const stated = shared ?? options.defaultZone;
  const ctx =
    stated === undefined ? { now, text: input } : { now, text: input, defaultZone: stated };
  const steps: DraftStepSpec[] = assembler.steps.map((step, i) => {
    const { timing, issues } = buildTiming(step, i, ids, ctx);
    diagnostics.push(...issues);
    const anchor = step.after === undefined ? undefined : assembler.steps[step.after]!;
    const bind = anchor?.action === 'publish' && step.action !== 'publish' ? { link: 'url' } : {};
    return {
      id: ids[i]!,
      platform: step.platform,
      action: step.action,
      content: {
        mediaUrls: [],
        variants: step.ab === true ? AB_VARIANTS : [],
        ...(step.chat === undefined ? {} : { channel: step.chat }),
      },
      options: {},
      timing,
      dependsOn: step.after === undefined ? [] : [{ step: ids[step.after]!, bind }],
      ...(step.budget === undefined ? {} : { budget: step.budget }),
    };
  });
  const built = buildConditions(raws, steps);
  assembler.steps.forEach((step, i) => {
    if (step.winner === undefined || step.after === undefined) return;
    const tested = steps[step.after]!;
    const emailLike = tested.action === 'email' || tested.action === 'sms';
    built.conditions.push({
      id: `condition-${built.conditions.length + 1}`,
      metric: step.winner === 'default' ? (emailLike ? 'open_rate' : 'ctr') : step.winner,
      step: tested.id,
      op: step.winner === 'cpa' || step.winner === 'cpc' ? 'min' : 'max',
      threshold: null,
      window: step.offset === 'PT0S' || step.offset === undefined ? 'PT24H' : step.offset,
      then: { type: 'pick_winner', steps: [tested.id, steps[i]!.id] },
    });
  });
  diagnostics.push(...built.issues, ...contradictions(facts), ...unread);
  const filters = mergeFilters(facts);
  const messaging = steps.some((s) => s.action === 'email' || s.action === 'sms');
  let audience: Audience | undefined;
  if (filters.length > 0)
    audience = { rules: { type: 'and', rules: toRules(filters) }, exclude: [] };
  else if (messaging && wholeList(tokens)) audience = { segment: 'all', exclude: [] };
  else if (messaging) {
    audience = { segment: 'all', exclude: [] };
    diagnostics.push({
      code: 'audience_assumed',
      path: ['audience'],
      message: 'no audience was named; messages go to everyone on the list',
      suggestions: [
        'name who gets it, e.g. "to customers in the US who opened in the last 30 days"',
      ],
    });
  }
  if (steps.length === 0)
    diagnostics.push({
      code: 'empty_campaign',
      path: ['steps'],
      message: 'no channel or platform was found in the text',
      suggestions: ['say where it goes, e.g. "post on Instagram", "send the newsletter"'],
    });
  const currency = input.includes('€') ? 'EUR' : input.includes('£') ? 'GBP' : 'USD';
  const spec: CampaignDraft = {
    version: 1,
    name: campaignName(input),
    currency,
    defaultZone: zone,
    ...(audience === undefined ? {} : { audience }),
    steps,
    conditions: built.conditions,
    compliance: { requireConsent: true, dstGap: 'shift_forward', dstOverlap: 'first' },
    onStepFailure: 'fail_campaign',
    retry: {
      initialInterval: 'PT1S',
      backoffCoefficient: 2,
      maximumInterval: 'PT10M',
      maximumAttempts: 3,
      nonRetryableErrorCodes: [],
    },
  };
  const blocked = diagnostics.some((d) => BLOCKING_CODES.has(d.code));
  if (blocked) return { success: false, spec, diagnostics };
  const valid = validateCampaign(spec);
  if (valid.success) return { success: true, spec: valid.data satisfies CampaignSpec, diagnostics };
  diagnostics.push(
    ...valid.error.map((issue) => ({
      ...issue,
      code: 'invalid_spec',
      message: `${issue.code}: ${issue.message}`,
    })),
  );
  return { success: false, spec, diagnostics };
}
