/**
 * @module
 * `explainCampaign`: a spec back in plain English a marketer can check, one sentence per step,
 * audience filter and condition. The wording is the parser's own, so the explanation of a spec
 * the parser can express parses back to the same spec.
 */
import { DateTime } from 'luxon';
import type { AudienceRule } from '../spec/audience-schema.js';
import type { ConditionAction } from '../spec/condition-schema.js';
import type { CampaignDraft, DraftStepSpec, DraftTiming } from './campaign-draft.js';
import { type AudienceFilter, fromRule } from './audience-builder.js';
import { COUNTRIES, LANGUAGES, REGIONS } from './audience-lexicon.js';
import { PLATFORM_LABELS } from './channel-lexicon.js';
import { describeRecurrence, describeDuration, describeMetric } from './explain-phrases.js';

const OPEN_ENDED = 10_000;
const nameOf = (table: ReadonlyMap<string, string>, code: string): string => {
  for (const [word, c] of table)
    if (c === code) return word.replace(/\b\p{L}/gu, (l) => l.toUpperCase());
  return code;
};
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;

function date(iso: string | undefined): string {
  return iso === undefined
    ? 'on a day still to be settled'
    : `on ${DateTime.fromISO(iso).toFormat('cccc, LLLL d, yyyy')}`;
}

/** `13:05` → `1:05pm`, the form the parser reads without asking about am or pm. */
function twelveHour(time: string): string {
  const h = Number(time.slice(0, 2));
  return `${h % 12 === 0 ? 12 : h % 12}:${time.slice(3)}${h < 12 ? 'am' : 'pm'}`;
}

function clock(time: string | undefined, zone: string | undefined): string {
  const at = time === undefined ? 'at a time still to be settled' : `at ${twelveHour(time)}`;
  return zone === undefined ? at : `${at} ${zone} time`;
}

/** The channel half of a step's sentence ("Post on Instagram", "Notify #growth on Slack"). */
export function describeChannel(step: DraftStepSpec): string {
  const label = PLATFORM_LABELS[step.platform];
  const chat =
    step.content.channel === undefined
      ? ''
      : `${step.content.channel.startsWith('#') ? step.content.channel : `the '${step.content.channel}' channel`} on `;
  const provider = step.platform === 'email' || step.platform === 'sms' ? '' : ` via ${label}`;
  switch (step.action) {
    case 'post':
      return `Post on ${label}`;
    case 'email':
      return `Send the email${provider}`;
    case 'sms':
      return `Send an SMS${provider}`;
    case 'ad_launch':
      return `Launch the ${step.platform === 'linkedin' || step.platform === 'tiktok' ? `${label} ads` : label}`;
    case 'ad_pause':
      return `Pause the ${label}`;
    case 'budget_change':
      return `Bump the ${label}`;
    case 'publish':
      return step.platform === 'cms' ? 'Publish on the website' : `Publish on ${label}`;
    case 'notify':
      return `Notify ${chat}${label}`;
    case 'report':
      return step.platform === 'email'
        ? 'Send the report by email'
        : `Post the report to ${chat}${label}`;
    case 'audience_sync':
      return `Sync the audience to ${label}`;
  }
}

/** The timing half of a step's sentence. */
export function describeTiming(timing: DraftTiming, ids: readonly string[]): string {
  switch (timing.kind) {
    case 'immediate':
      return 'right away';
    case 'absolute':
      return `${date(timing.date)} ${clock(timing.time, timing.zone)}`;
    case 'recipient_local': {
      const fallback =
        timing.fallbackZone === undefined
          ? ''
          : ` (${timing.fallbackZone} time for anyone without one)`;
      return `${date(timing.date)} ${clock(timing.time, undefined)} in each recipient's local time${fallback}`;
    }
    case 'recurring': {
      const where =
        timing.recipientLocal === true
          ? " in each recipient's local time"
          : timing.zone === undefined
            ? ''
            : ` ${timing.zone} time`;
      const start = timing.start === undefined ? '' : `, starting ${date(timing.start).slice(3)}`;
      const end =
        timing.until !== undefined
          ? `, until ${date(timing.until).slice(3)}`
          : timing.count !== undefined && timing.count !== OPEN_ENDED
            ? `, ${timing.count} times`
            : '';
      return `${describeRecurrence(timing.recurrence)} ${clock(timing.time, undefined)}${where}${start}${end}`;
    }
    case 'relative': {
      const anchor = `step ${ids.indexOf(timing.after) + 1}`;
      const at = timing.time === undefined ? '' : ` ${clock(timing.time, timing.zone)}`;
      const offset = timing.offset ?? 'PT0S';
      return offset === 'PT0S'
        ? `once ${anchor} is done,${at}`
        : `${describeDuration(offset)} after ${anchor}${at}`;
    }
  }
}

function describeFilter(f: AudienceFilter): string {
  const v = f.value;
  const codes = Array.isArray(v) ? (v as string[]) : [];
  const window = f.window === undefined ? '' : ` in the last ${describeDuration(f.window)}`;
  const not = f.op === 'not_in' || f.op === 'not_within_last' ? 'Exclude' : 'Only';
  switch (f.field) {
    case 'age':
      if (f.op === 'between') return `Only people aged ${codes[0]!}-${codes[1]!}.`;
      return f.op === 'gte'
        ? `Only people aged ${String(v)}+.`
        : `Only people ${f.op === 'lt' ? 'under' : 'over'} ${String(v)}.`;
    case 'country':
      return `${not} customers in ${list(codes.map((c) => nameOf(COUNTRIES, c)))}.`;
    case 'region':
      return `${not} customers in ${list(codes.map((c) => nameOf(REGIONS, c)))}.`;
    case 'language':
      return `${not} ${list(codes.map((c) => nameOf(LANGUAGES, c)))} speakers.`;
    case 'loyalty_tier':
      return `${not} ${list(codes.map((c) => c[0]!.toUpperCase() + c.slice(1)))} tier members.`;
    case 'segment':
      return `${not} the '${codes.join(' ')}' segment.`;
    case 'consent_email':
    case 'consent_sms':
      return `Only people who opted in to ${f.field === 'consent_email' ? 'email' : 'SMS'}.`;
    case 'purchase_total':
      return `Only people who spent ${f.op === 'gt' ? 'over' : f.op === 'lt' ? 'under' : 'at least'} $${String(v)}${window}.`;
    case 'purchase_count':
      return f.op === 'eq'
        ? `Only people who haven't purchased${window}.`
        : `Only people who bought at least ${String(v)} times${window}.`;
    case 'cart_abandoned':
      return f.op === 'exists'
        ? 'Only people who abandoned a cart.'
        : `Only people who abandoned a cart in the last ${describeDuration(String(v))}.`;
    default:
      return `${not} people who ${f.field === 'last_open' ? 'opened' : 'clicked'} in the last ${describeDuration(String(v))}.`;
  }
}

function rulesOf(rule: AudienceRule | undefined): AudienceRule[] {
  if (rule === undefined) return [];
  return rule.type === 'and' ? rule.rules.flatMap(rulesOf) : [rule];
}

function describeThen(action: ConditionAction, ids: readonly string[]): string {
  const ref = (id: string): string => (ids.includes(id) ? `step ${ids.indexOf(id) + 1}` : id);
  switch (action.type) {
    case 'pause':
      return `pause ${ref(action.step)}`;
    case 'resume':
      return `resume ${ref(action.step)}`;
    case 'resend':
      return `resend ${ref(action.step)} to ${action.to === 'non_clickers' ? 'non-clickers' : 'non-openers'}`;
    case 'budget_change':
      if (action.percent !== undefined)
        return `${action.percent < 0 ? 'lower' : 'raise'} the budget of ${ref(action.step)} by ${Math.abs(action.percent)}%`;
      return `bump the budget of ${ref(action.step)}${action.amount === undefined ? '' : ` to $${action.amount}`}`;
    case 'shift_budget':
      return `shift budget from ${ref(action.steps[0]!)} to ${list(action.steps.slice(1).map(ref))}`;
    case 'notify':
      return action.message;
    case 'pick_winner':
      return `pick the winner of ${list(action.steps.map(ref))}`;
  }
}

/**
 * Explains a campaign in plain English, one sentence per line.
 * @example
 * explainCampaign(parseCampaign(text, { now }).spec);
 * // Campaign "Launch".
 * // Post on LinkedIn on Wednesday, December 2, 2026 at 09:00 Europe/Berlin time.
 */
export function explainCampaign(spec: CampaignDraft): string {
  const ids = spec.steps.map((s) => s.id);
  const lines = [`Campaign "${spec.name.replace(/"/g, "'")}".`];
  const said = new Set<string>();
  for (const step of spec.steps) {
    const budget =
      step.budget === undefined
        ? ''
        : step.budget.period === 'daily'
          ? ` with a budget of $${step.budget.amount}/day`
          : ` with a lifetime budget of $${step.budget.amount}`;
    const timing = describeTiming(step.timing, ids);
    const [once, at = ''] = timing.split(',');
    const sentence = timing.startsWith('once')
      ? `O${once!.slice(1)}, ${describeChannel(step).replace(/^\p{Lu}/u, (c) => c.toLowerCase())}${at}${budget}.`
      : `${describeChannel(step)} ${timing}${budget}.`;
    const again = said.has(sentence) ? `${sentence.slice(0, -1)} again.` : sentence;
    said.add(sentence);
    lines.push(again);
  }
  const filters = rulesOf(spec.audience?.rules)
    .map(fromRule)
    .filter((f): f is AudienceFilter => f !== undefined);
  lines.push(...filters.map(describeFilter));
  for (const name of spec.audience?.exclude ?? []) lines.push(`Exclude the '${name}' segment.`);
  spec.conditions.forEach((c) => {
    const of = c.step === undefined ? '' : ` of step ${ids.indexOf(c.step) + 1}`;
    const metric = c.metric === undefined ? 'metric' : describeMetric(c.metric);
    const comparison =
      c.op === 'max' || c.op === 'min'
        ? 'is the best'
        : `is ${{ lt: 'below', lte: 'at most', gt: 'above', gte: 'at least', eq: 'equal to' }[c.op]} ${c.threshold === null ? 'a threshold still to be settled' : metric.endsWith('rate') || c.metric === 'ctr' ? `${Math.round(c.threshold * 1e6) / 1e4}%` : String(c.threshold)}`;
    lines.push(
      `If the ${metric}${of} ${comparison} after ${describeDuration(c.window)}, ${describeThen(c.then, ids)}.`,
    );
  });
  return lines.join('\n');
}
