/**
 * @module
 * A campaign's send forecast before launch: how many sends each step makes in each UTC hour
 * and each recipient zone, after sending windows and quiet hours, so a launch can be checked
 * against platform quotas and support hours.
 */
import type { Recipient } from '../connectors/connector.js';
import type { Issue, Result } from '../errors.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';
import { HOUR_MS } from './civil-date.js';
import { applySendWindows, sendWindowOptionsFor } from './defer-to-send-window.js';
import { planStep, type SendWave } from './plan-step.js';
import { channelOf } from './send-window.js';
import { isKnownZone } from './zone-offset.js';

/** Sends of one step in one UTC hour and one zone. */
export interface ForecastRow {
  /** Start of the UTC hour, ISO-8601, e.g. `2026-12-01T14:00:00.000Z`. */
  readonly hour: string;
  /** Recipient zone (after fallback), or the publishing zone of posts, ads and notifications. */
  readonly zone: string;
  readonly stepId: string;
  readonly sends: number;
}

/** The forecast of a whole campaign. */
export interface SendForecast {
  /** Sorted by hour, then zone, then step. */
  readonly rows: ForecastRow[];
  readonly total: number;
  /** Recipients moved by sending windows or quiet hours. */
  readonly deferred: number;
  /** Recipients no window admits. */
  readonly blocked: number;
}

/** Inputs of {@link forecastCampaign}. */
export interface ForecastInput {
  readonly spec: CampaignSpec;
  /** Epoch ms of the planned launch. */
  readonly now: number;
  /** The campaign audience. */
  readonly recipients: readonly Recipient[];
  /** Recipients of a step. @default the audience for sms and email steps, nobody for the rest */
  readonly recipientsFor?: (step: Step) => readonly Recipient[];
  /** ISO 3166-2 region of a recipient, for regional windows. @default none */
  readonly regionOf?: (recipient: Recipient) => string | undefined;
}

/**
 * Plans every step as the runtime would, taking each step to complete at its last wave (the
 * anchor of relative steps, the start of steps that depend on it), applies sending windows, and counts sends per UTC hour, zone and step. A step
 * without recipients counts one send per wave. A step whose anchor cannot be planned yields
 * the planner's issues.
 * @example
 * const forecast = forecastCampaign({ spec, now: clock.now(), recipients });
 * if (forecast.success) showForecast(forecast.data.rows);
 */
export function forecastCampaign(input: ForecastInput): Result<SendForecast> {
  const { spec, now } = input;
  const recipientsFor =
    input.recipientsFor ??
    ((step: Step) => (['sms', 'email'].includes(channelOf(step.action)) ? input.recipients : []));
  const doneAt = new Map<string, number>();
  const counts = new Map<string, number>();
  const issues: Issue[] = [];
  let deferred = 0;
  let blocked = 0;
  let pending = [...spec.steps];
  // Steps wait for their anchors; each pass plans at least one step or stops.
  while (pending.length > 0) {
    const waiting: Step[] = [];
    for (const step of pending) {
      const timing = step.timing;
      const after = step.dependsOn.map((d) => d.step);
      if (timing.kind === 'relative') after.push(timing.after);
      if (after.some((id) => !doneAt.has(id) && pending.some((s) => s.id === id))) {
        waiting.push(step);
        continue;
      }
      const anchor = timing.kind === 'relative' ? doneAt.get(timing.after) : undefined;
      // A step starts once the steps it depends on are done, as the runtime runs it.
      const stepNow = Math.max(now, ...after.map((id) => doneAt.get(id) ?? now));
      const plan = planStep({
        spec,
        step,
        now: stepNow,
        recipients: recipientsFor(step),
        ...(anchor === undefined ? {} : { anchorDoneAt: anchor }),
      });
      if (!plan.success) {
        issues.push(...plan.error);
        continue;
      }
      const options = sendWindowOptionsFor(spec, step, input.regionOf);
      const windowed = applySendWindows(plan.data, options);
      deferred += windowed.deferrals.reduce((sum, d) => sum + d.recipients, 0);
      blocked += windowed.blocked.length;
      doneAt.set(
        step.id,
        windowed.waves.reduce((last, w) => Math.max(last, w.at), now),
      );
      for (const wave of windowed.waves) countWave(counts, wave, step.id, options.fallbackZone);
    }
    if (waiting.length === pending.length) {
      for (const step of waiting) {
        const result = planStep({ spec, step, now, recipients: [] });
        if (!result.success) issues.push(...result.error);
      }
      break;
    }
    pending = waiting;
  }
  if (issues.length > 0) return { success: false, error: issues };
  const rows = [...counts.entries()]
    .map(([key, sends]): ForecastRow => {
      const [hour, zone, stepId] = key.split('\u0000') as [string, string, string];
      return { hour: new Date(Number(hour)).toISOString(), zone, stepId, sends };
    })
    .sort(
      (a, b) =>
        a.hour.localeCompare(b.hour) ||
        a.zone.localeCompare(b.zone) ||
        a.stepId.localeCompare(b.stepId),
    );
  return {
    success: true,
    data: { rows, total: rows.reduce((sum, r) => sum + r.sends, 0), deferred, blocked },
  };
}

function countWave(
  counts: Map<string, number>,
  wave: SendWave,
  stepId: string,
  fallbackZone: string,
): void {
  const hour = Math.floor(wave.at / HOUR_MS) * HOUR_MS;
  const bump = (zone: string, by: number): void => {
    const key = `${hour}\u0000${zone}\u0000${stepId}`;
    counts.set(key, (counts.get(key) ?? 0) + by);
  };
  if (wave.recipients.length === 0) {
    bump(fallbackZone, 1);
    return;
  }
  const perZone = new Map<string | undefined, number>();
  for (const r of wave.recipients) perZone.set(r.zone, (perZone.get(r.zone) ?? 0) + 1);
  for (const [zone, n] of perZone)
    bump(zone !== undefined && isKnownZone(zone) ? zone : fallbackZone, n);
}
