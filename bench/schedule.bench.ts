/**
 * Plans a recipient-local step for 1,000,000 recipients spread over every IANA zone with
 * `planStep` (group by zone, resolve once per zone), and compares it with the per-recipient
 * luxon approach (one `DateTime.fromObject` per recipient, then grouping by instant), measured
 * on a sample and extrapolated. Run with `npx tsx bench/run.ts schedule`, or
 * `npm run bench -- schedule` to collect garbage between runs.
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import type { Recipient } from '../src/connectors/connector.js';
import { CampaignSpec } from '../src/spec/campaign-schema.js';
import { planStep, type SendWave } from '../src/schedule/plan-step.js';

const RECIPIENTS = 1_000_000;
const LUXON_SAMPLE = 50_000;
const RUNS = 7;
const gc = (globalThis as { gc?: () => void }).gc;

export default async function scheduleBench(): Promise<Record<string, unknown>> {
  await Promise.resolve();
  const zones = Intl.supportedValuesOf('timeZone');
  const recipients: Recipient[] = Array.from({ length: RECIPIENTS }, (_, i) =>
    i % 50 === 0 ? { id: `r${i}` } : { id: `r${i}`, zone: zones[i % zones.length]! },
  );
  const spec = CampaignSpec.parse({
    name: 'bench',
    defaultZone: 'America/New_York',
    steps: [
      {
        id: 'sms',
        platform: 'sms',
        action: 'sms',
        timing: { kind: 'recipient_local', date: '2026-03-08', time: '02:30' },
      },
    ],
  });
  const step = spec.steps[0]!;
  const now = Date.UTC(2026, 2, 1);

  const timings: number[] = [];
  let waves: readonly SendWave[] = [];
  for (let run = 0; run < RUNS; run++) {
    // With --expose-gc (npm run bench), collect first so one run does not pay for another's garbage.
    gc?.();
    const started = performance.now();
    const plan = planStep({ spec, step, now, recipients });
    timings.push(performance.now() - started);
    if (!plan.success) throw new Error('planStep failed');
    waves = plan.data;
  }
  const plannedAt = new Map<string, number>();
  for (const wave of waves) for (const r of wave.recipients) plannedAt.set(r.id, wave.at);

  const recurring = CampaignSpec.parse({
    ...spec,
    steps: [
      {
        ...step,
        timing: {
          kind: 'recurring',
          recurrence: 'daily',
          start: '2026-03-01',
          time: '09:00',
          recipientLocal: true,
          count: 30,
        },
      },
    ],
  });
  gc?.();
  const recurringStarted = performance.now();
  const recurringPlan = planStep({ spec: recurring, step: recurring.steps[0]!, now, recipients });
  const recurringMs = performance.now() - recurringStarted;
  if (!recurringPlan.success) throw new Error('planStep failed');

  const sample = recipients.slice(0, LUXON_SAMPLE);
  gc?.();
  const luxonStarted = performance.now();
  const byInstant = new Map<number, Recipient[]>();
  for (const r of sample) {
    const at = DateTime.fromObject(
      { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
      { zone: r.zone ?? spec.defaultZone },
    ).toMillis();
    const group = byInstant.get(at);
    if (group === undefined) byInstant.set(at, [r]);
    else group.push(r);
  }
  const luxonSampleMs = performance.now() - luxonStarted;
  // Where the two disagree is luxon's silent gap rule: 02:30 becomes 03:30, the policy says 03:00.
  const disagreeing = new Set<string>();
  let disagreements = 0;
  for (const [at, group] of byInstant) {
    for (const r of group) {
      if (plannedAt.get(r.id) === at) continue;
      disagreements++;
      disagreeing.add(r.zone ?? spec.defaultZone);
    }
  }
  const luxonExtrapolatedMs = (luxonSampleMs * RECIPIENTS) / LUXON_SAMPLE;

  const sorted = timings.slice(1).sort((a, b) => a - b);
  const warmMedian = sorted[Math.floor(sorted.length / 2)]!;
  return {
    recipients: RECIPIENTS,
    zones: zones.length,
    waves: waves.length,
    planner: {
      coldMs: round(timings[0]!),
      warmMedianMs: round(warmMedian),
      warmMinMs: round(Math.min(...timings.slice(1))),
      runsMs: timings.map(round),
      note: 'cold includes building one Intl.DateTimeFormat per zone; warm reuses them',
    },
    recurringDaily30: {
      ms: round(recurringMs),
      waves: recurringPlan.data.length,
      note: '30 daily recipient-local occurrences for the same 1,000,000 recipients (30,000,000 sends) across the March DST changes',
    },
    luxonPerRecipient: {
      sample: LUXON_SAMPLE,
      sampleMs: round(luxonSampleMs),
      extrapolatedMs: round(luxonExtrapolatedMs),
      note: `measured on ${LUXON_SAMPLE} recipients and scaled linearly to ${RECIPIENTS}`,
    },
    disagreementsInSample: {
      recipients: disagreements,
      zones: disagreeing.size,
      examples: [...disagreeing].sort().slice(0, 5),
      note: '2026-03-08 02:30 is in the spring-forward gap there: luxon gives 03:30, dstGap shift_forward gives 03:00',
    },
    speedupVsLuxon: {
      cold: round(luxonExtrapolatedMs / timings[0]!),
      warm: round(luxonExtrapolatedMs / warmMedian),
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
