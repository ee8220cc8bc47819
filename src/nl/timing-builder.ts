/**
 * @module
 * Turns what was read about a step's time into its `Timing`, reporting every field the text
 * leaves open (no day, no time, no zone, no am/pm) and every local time that a zone skips or
 * repeats at a DST change (checked with luxon against the zone's offsets).
 */
import { DateTime, IANAZone } from 'luxon';
import type { Issue } from '../errors.js';
import type { DraftTiming } from './campaign-draft.js';
import type { DraftStep, StepProblem } from './draft-step.js';
import { DAY_CODES } from './time-lexicon.js';

/** Settings the timing builder needs. */
export interface TimingContext {
  readonly now: DateTime;
  readonly defaultZone?: string;
  readonly text: string;
}

const OPEN_ENDED = 10_000;
const HOUR = 3_600_000;

/** How many instants the wall-clock `date time` has in `zone`: 0 in a DST gap, 2 in an overlap. */
export function instantsOf(date: string, time: string, zone: string): number {
  const wall = DateTime.fromISO(`${date}T${time}`, { zone: 'UTC' }).toMillis();
  const z = IANAZone.create(zone);
  const offsets = new Set([z.offset(wall - 12 * HOUR), z.offset(wall + 12 * HOUR)]);
  return [...offsets].filter((o) => z.offset(wall - o * 60_000) === o).length;
}

const MESSAGES: Readonly<Record<StepProblem['code'], string>> = {
  am_pm_missing: 'this time does not say am or pm',
  nonexistent_date: 'this date does not exist (or does not fall on the weekday given)',
  past_date: 'this date has already passed',
  ambiguous_relative_date: 'this could mean this week or next week',
  missing_day: 'this step has a time but no day',
  ambiguous_date: 'this date reads as month/day in the US and day/month elsewhere',
};

const SUGGESTIONS: Readonly<Record<StepProblem['code'], readonly string[]>> = {
  am_pm_missing: ['add "am" or "pm", e.g. "7am"', 'or use a 24-hour time, e.g. "19:00"'],
  nonexistent_date: ['check the calendar and give a real date, e.g. "Monday Nov 30"'],
  past_date: ['give a date from today on, with the year if it is next year'],
  ambiguous_relative_date: ['give the date, e.g. "Friday Dec 4"', 'or say "this Friday"'],
  missing_day: ['add a day, e.g. "on Tue Dec 1"'],
  ambiguous_date: ['write the month as a word, e.g. "Dec 5" or "May 12"'],
};

/** Builds one step's timing and the issues about it. */
export function buildTiming(
  step: DraftStep,
  index: number,
  ids: readonly string[],
  ctx: TimingContext,
): { timing: DraftTiming; issues: Issue[] } {
  const issues: Issue[] = [];
  const path = (field: string): (string | number)[] => ['steps', index, 'timing', field];
  const add = (
    code: string,
    field: string,
    message: string,
    suggestions: readonly string[],
    span = step.span,
  ): void => {
    issues.push({ code, path: path(field), span, message, suggestions });
  };
  for (const p of step.problems)
    add(
      p.code,
      p.field === 'date' && step.recurrence !== undefined ? 'start' : p.field,
      MESSAGES[p.code],
      SUGGESTIONS[p.code],
      p.span,
    );
  const has = (field: StepProblem['field']): boolean =>
    step.problems.some((p) => p.field === field);
  const needTime = (): void => {
    if (step.time === undefined && !has('time'))
      add('missing_time', 'time', 'this step has no time of day', ['add a time, e.g. "at 9am ET"']);
  };
  const zone = step.zone ?? ctx.defaultZone;
  const needZone = (): void => {
    if (zone === undefined && (step.time !== undefined || has('time'))) {
      add('time_without_zone', 'zone', 'this time has no time zone', [
        'add a zone, e.g. "9am ET" or "9am Berlin time"',
        'or say "in each recipient\'s local time"',
      ]);
    }
  };
  const t = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (step.after !== undefined) {
    return {
      timing: t({
        kind: 'relative',
        after: ids[step.after],
        offset: step.offset,
        time: step.time,
        zone: step.time === undefined ? undefined : zone,
      }) as DraftTiming,
      issues,
    };
  }
  if (step.now === true) return { timing: { kind: 'immediate' }, issues };
  if (step.recurrence === undefined && step.date === undefined && step.start !== undefined)
    step.date = step.start;
  if (step.recurrence !== undefined) {
    let recurrence: string | undefined = step.recurrence;
    const start = step.start ?? step.date;
    if (!recurrence.includes(':') && (recurrence === 'weekly' || recurrence === 'biweekly')) {
      if (start !== undefined)
        recurrence = `${recurrence}:${DAY_CODES[DateTime.fromISO(start).weekday - 1]!}`;
      else {
        add('missing_day', 'recurrence', 'this repeats weekly but does not say on which day', [
          'add the day, e.g. "every Monday"',
        ]);
        recurrence = undefined;
      }
    }
    if (start === undefined && !has('date')) {
      issues.push({
        code: 'start_assumed',
        path: path('start'),
        span: step.span,
        message: 'no start date was given; it starts from today',
        suggestions: ['add "starting Dec 1"'],
      });
    }
    needTime();
    if (step.local !== true) needZone();
    if (step.until === undefined && step.count === undefined) {
      issues.push({
        code: 'open_ended_recurrence',
        path: path('count'),
        span: step.span,
        message: 'no end was given; it repeats until stopped',
        suggestions: ['add "until Dec 31" or "10 times"'],
      });
    }
    const count = step.until === undefined ? (step.count ?? OPEN_ENDED) : step.count;
    const timing = t({
      kind: 'recurring',
      recurrence,
      start: start ?? (has('date') ? undefined : ctx.now.toISODate()!),
      time: step.time,
      zone: step.local === true ? undefined : zone,
      recipientLocal: step.local === true,
      until: step.until,
      count,
    });
    return { timing: timing as DraftTiming, issues };
  }
  if (step.local === true) {
    if (step.date === undefined && !has('date'))
      add('missing_day', 'date', MESSAGES.missing_day, SUGGESTIONS.missing_day);
    needTime();
    return {
      timing: t({
        kind: 'recipient_local',
        date: step.date,
        time: step.time,
        fallbackZone: step.zone,
      }) as DraftTiming,
      issues,
    };
  }
  if (step.date === undefined && !has('date') && (step.time !== undefined || has('time')))
    add('missing_day', 'date', MESSAGES.missing_day, SUGGESTIONS.missing_day);
  if (step.date === undefined && step.time === undefined && !has('date') && !has('time')) {
    add('missing_time', 'time', 'this step does not say when it happens', [
      'add a day and time, e.g. "on Tue Dec 1 at 9am ET"',
      'or say "now"',
    ]);
    return { timing: { kind: 'immediate' }, issues };
  }
  needTime();
  needZone();
  if (step.date !== undefined && step.time !== undefined && zone !== undefined)
    checkInstant(step.date, step.time, zone, path, step, ctx, issues);
  return {
    timing: t({ kind: 'absolute', date: step.date, time: step.time, zone }) as DraftTiming,
    issues,
  };
}

function checkInstant(
  date: string,
  time: string,
  zone: string,
  path: (f: string) => (string | number)[],
  step: DraftStep,
  ctx: TimingContext,
  issues: Issue[],
): void {
  const n = instantsOf(date, time, zone);
  if (n === 0) {
    issues.push({
      code: 'dst_gap',
      path: ['steps', pathIndex(path), 'timing'],
      span: step.span,
      message: `${time} does not exist on ${date} in ${zone}: the clocks jump forward`,
      suggestions: [
        'pick a time an hour later or earlier',
        'Herald will otherwise shift it to the first valid minute after the gap',
      ],
    });
  } else if (n === 2) {
    issues.push({
      code: 'dst_overlap',
      path: ['steps', pathIndex(path), 'timing'],
      span: step.span,
      message: `${time} happens twice on ${date} in ${zone}: the clocks go back`,
      suggestions: ['say which: the first (daylight) or second (standard) occurrence'],
    });
  } else if (DateTime.fromISO(`${date}T${time}`, { zone }) < ctx.now) {
    issues.push({
      code: 'past_date',
      path: path('date'),
      span: step.span,
      message: `${date} at ${time} ${zone} has already passed`,
      suggestions: ['give a later day or time'],
    });
  }
}

function pathIndex(path: (f: string) => (string | number)[]): number {
  return path('')[1] as number;
}
