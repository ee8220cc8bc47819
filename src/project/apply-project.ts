/**
 * @module
 * Fits a campaign to a project before it runs: each account's step defaults and channel go
 * into steps that leave them out, the project's campaign defaults into a campaign that states
 * none, and everything the campaign needs from the project is checked — an account for every
 * platform it uses, the audience fields and event types its segments name, and the merge
 * fields of its content against the recipients' profiles.
 */
import { resolvePlatform, type ConcretePlatform } from '../connectors/connector-registry.js';
import { BUILT_IN_SEGMENTS } from '../actors/profile-audience.js';
import type { Issue } from '../errors.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import { PROFILE_FIELDS, readField } from '../segments/profile-model.js';
import type { Audience, AudienceRule } from '../spec/audience-schema.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { DEFAULT_PROVIDER } from '../spec/platforms.js';
import type { ProjectFile } from './project-schema.js';

/** Which account answers each generic channel: the first of its providers the project has. */
export function projectProviders(
  project: ProjectFile,
): Partial<Record<keyof DEFAULT_PROVIDER, ConcretePlatform>> {
  const pick = (candidates: readonly ConcretePlatform[]): ConcretePlatform | undefined =>
    candidates.find((p) => project.accounts[p] !== undefined);
  const out: Partial<Record<keyof DEFAULT_PROVIDER, ConcretePlatform>> = {};
  const email = pick(['sendgrid', 'mailchimp', 'hubspot']);
  const sms = pick(['twilio']);
  const cms = pick(['wordpress', 'contentful']);
  if (email) out.email = email;
  if (sms) out.sms = sms;
  if (cms) out.cms = cms;
  return out;
}

/**
 * `spec` with the project's defaults filled in where it leaves them out, and the notes saying
 * what was filled in; issues name each step whose platform has no account.
 */
export function applyProject(
  spec: CampaignSpec,
  project: ProjectFile,
): { spec: CampaignSpec; notes: Issue[]; issues: Issue[] } {
  const notes: Issue[] = [];
  const issues: Issue[] = [];
  const providers = projectProviders(project);
  const steps = spec.steps.map((step, index) => {
    const platform = resolvePlatform(step.platform, providers);
    const account = project.accounts[platform];
    if (account === undefined) {
      issues.push({
        code: 'no_account',
        path: ['steps', index, 'platform'],
        message: `${step.id} runs on ${platform}, but herald.yaml has no ${platform} account`,
        suggestions: [`add accounts.${platform} to herald.yaml`, 'or remove the step'],
      });
      return step;
    }
    const defaults = account.defaults[step.action] ?? {};
    const missing = Object.entries(defaults).filter(([key]) => !(key in step.options));
    const channel =
      step.action === 'notify' && step.content.channel === undefined ? account.channel : undefined;
    if (missing.length > 0 || channel !== undefined) {
      const filled = [
        ...missing.map(([k, v]) => `${k} ${JSON.stringify(v)}`),
        ...(channel === undefined ? [] : [`channel ${channel}`]),
      ];
      notes.push({
        code: 'account_default',
        path: ['steps', index],
        message: `${step.id} uses the ${platform} account's ${filled.join(', ')}`,
      });
    }
    return {
      ...step,
      options: { ...Object.fromEntries(missing), ...step.options },
      content: channel === undefined ? step.content : { ...step.content, channel },
    };
  });
  const c = project.campaign;
  const compliance = { ...spec.compliance };
  if (c.quietHours && !compliance.quietHours) compliance.quietHours = c.quietHours;
  if (c.frequencyCap && !compliance.frequencyCap) compliance.frequencyCap = c.frequencyCap;
  if (c.postalAddress && !compliance.postalAddress) compliance.postalAddress = c.postalAddress;
  if (c.unsubscribeUrl && !compliance.unsubscribeUrl) compliance.unsubscribeUrl = c.unsubscribeUrl;
  return {
    spec: {
      ...spec,
      // The schema's own defaults (UTC, USD) stand for "not stated".
      defaultZone: c.zone && spec.defaultZone === 'UTC' ? c.zone : spec.defaultZone,
      currency: c.currency && spec.currency === 'USD' ? c.currency : spec.currency,
      compliance,
      steps,
    },
    notes,
    issues,
  };
}

/**
 * Issues for each audience field or event type `spec`'s segments name that the project's data
 * lacks (`missing_field`, `missing_events`), naming the field and how to supply it.
 */
export function checkAudienceFields(
  spec: CampaignSpec,
  project: ProjectFile,
  profiles: readonly Profile[],
  events: readonly ProfileEvent[],
): Issue[] {
  const issues: Issue[] = [];
  const segments = { ...BUILT_IN_SEGMENTS, ...project.segments };
  const types = new Set(events.map((e) => e.type));
  const seen = new Set<string>();
  const visit = (rule: AudienceRule, path: readonly (string | number)[]): void => {
    switch (rule.type) {
      case 'and':
      case 'or':
        rule.rules.forEach((r, i) => {
          visit(r, [...path, 'rules', i]);
        });
        return;
      case 'not':
        visit(rule.rule, [...path, 'rule']);
        return;
      case 'attribute':
        if (rule.op !== 'exists' && !seen.has(rule.field) && !hasField(profiles, rule.field)) {
          seen.add(rule.field);
          const column = rule.field.startsWith('traits.') ? rule.field.slice(7) : rule.field;
          issues.push({
            code: 'missing_field',
            path: [...path, 'field'],
            message: `the audience has no "${rule.field}" values: no profile has a "${column}"`,
            suggestions: [
              `add a column "${column}" to the profiles`,
              'or target the campaign by fields the data has',
            ],
          });
        }
        return;
      case 'behavior':
      case 'sequence': {
        const needed = rule.type === 'behavior' ? [rule.event] : [rule.event, rule.notFollowedBy];
        for (const type of needed) {
          if (types.has(type) || seen.has(`event:${type}`)) continue;
          seen.add(`event:${type}`);
          issues.push({
            code: 'missing_events',
            path,
            message:
              events.length === 0
                ? `the segment needs "${type}" events, and the audience has no events`
                : `the segment needs "${type}" events, and the events have none of that type`,
            suggestions: [
              events.length === 0
                ? 'add audience.events (profile_id, type, at, value) to herald.yaml'
                : `export the "${type}" events too`,
            ],
          });
        }
        return;
      }
      case 'segment': {
        const def = segments[rule.name];
        if (def && 'rules' in def && !seen.has(`segment:${rule.name}`)) {
          seen.add(`segment:${rule.name}`);
          visit(def.rules, [...path, 'segment', rule.name]);
        }
        return;
      }
      case 'reachable':
        return;
    }
  };
  const audiences: [Audience, (string | number)[]][] = [];
  if (spec.audience) audiences.push([spec.audience, ['audience']]);
  spec.steps.forEach((s, i) => {
    if (s.audience) audiences.push([s.audience, ['steps', i, 'audience']]);
  });
  for (const [audience, path] of audiences) {
    if (audience.segment !== undefined)
      visit({ type: 'segment', name: audience.segment, op: 'in' }, [...path, 'segment']);
    if (audience.rules) visit(audience.rules, [...path, 'rules']);
  }
  return issues;
}

function hasField(profiles: readonly Profile[], field: string): boolean {
  if (field in PROFILE_FIELDS && !['email', 'phone', 'zone'].includes(field)) return true;
  return profiles.some((p) => readField(p, field) !== undefined);
}
