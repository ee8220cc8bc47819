/**
 * What two NLP libraries make of the phrases Herald misread, and what they cost: wink-nlp
 * 2.4.0 with wink-eng-lite-web-model 1.8.1, and compromise 14.17.0 (numbers built in) with
 * compromise-dates 3.9.0. They are not dependencies; install them for this bench only:
 *
 *   npm install --no-save wink-nlp@2.4.0 wink-eng-lite-web-model@1.8.1 compromise@14.17.0 compromise-dates@3.9.0
 *   npm run bench -- nl-libraries
 *
 * Each library's reading of every phrase is printed beside Herald's own, and the time to load
 * it and to read one 30-step description is measured against Herald's tokenizer (baseline).
 */
import { performance } from 'node:perf_hooks';
import { toFacts } from '../src/nl/campaign-facts.js';
import { parseCampaign } from '../src/nl/parse-campaign.js';
import { tokenize } from '../src/nl/tokenize-text.js';

const PHRASES = [
  'with a $5k budget',
  'half the budget',
  'bump the daily budget to $400',
  'a CPC above $2',
  'women aged 25-34',
  'in New York and New Jersey',
  'on Dec 9 and Dec 16 at 10am',
  'every night at 2am',
  "at 11 o'clock in the morning",
  'until the end of January',
  'for 3 days straight',
  'over the last 7 days',
  'next Friday at 4pm',
  'fri 27th at 11am ET',
  'tmrw 7am ET',
  'at half past six in the evening',
  'twenty-five percent of the list',
  'a couple of days later',
];

type Loaded = Record<string, (text: string) => string>;

async function load(name: string): Promise<unknown> {
  try {
    return ((await import(name)) as { default: unknown }).default;
  } catch {
    return undefined;
  }
}

function timed(run: () => unknown): { medianMs: number; p99Ms: number } {
  for (let i = 0; i < 3; i++) run();
  const xs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    run();
    xs.push(performance.now() - started);
  }
  xs.sort((a, b) => a - b);
  return { medianMs: Math.round(xs[10]! * 10) / 10, p99Ms: Math.round(xs[19]! * 10) / 10 };
}

export default async function librariesBench(): Promise<Record<string, unknown>> {
  const readers: Loaded = {};
  const loadMs: Record<string, number> = {};
  let started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an optional library without types here
  const winkNLP = (await load('wink-nlp')) as ((model: unknown) => any) | undefined;
  const model = await load('wink-eng-lite-web-model');
  if (winkNLP !== undefined && model !== undefined) {
    const nlp = winkNLP(model);
    loadMs.wink = Math.round(performance.now() - started);
    readers.wink = (text) =>
      (nlp.readDoc(text).entities().out(nlp.its.detail) as { type: string; value: string }[])
        .map((e) => `${e.type}:${e.value}`)
        .join(' | ');
  }
  started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an optional library without types here
  const nlp = (await load('compromise')) as any;
  const dates = await load('compromise-dates');
  if (nlp !== undefined && dates !== undefined) {
    nlp.plugin(dates);
    loadMs.compromise = Math.round(performance.now() - started);
    readers.compromise = (text) => {
      const doc = nlp(text);
      const found = [
        ...doc.dates({ today: '2026-11-25', timezone: 'America/New_York' }).json(),
        ...doc.money().json(),
        ...doc.percentages().json(),
        ...doc.durations().json(),
      ] as {
        text: string;
        dates?: { start: string };
        number?: { num: number };
        duration?: unknown;
      }[];
      return found
        .map(
          (f) =>
            `${f.text.trim()}=${f.dates?.start ?? f.number?.num ?? JSON.stringify(f.duration)}`,
        )
        .join(' | ');
    };
  }
  readers.herald = (text) => {
    const r = parseCampaign(`Email all subscribers ${text}.`, { now: '2026-11-25T12:00:00Z' });
    const f = toFacts(r.spec, r.diagnostics);
    return JSON.stringify({ t: f.timing, a: f.audience, c: f.conditions, d: f.notes });
  };
  const readings = PHRASES.map((p) => ({
    phrase: p,
    ...Object.fromEntries(Object.entries(readers).map(([k, read]) => [k, read(p)])),
  }));
  const text = Array.from(
    { length: 30 },
    (_, i) =>
      `Post the teaser on Instagram on Dec ${1 + (i % 28)} at 9am ET, $200/day, to customers in Germany who opened in the last 30 days.`,
  ).join(' ');
  const speed = Object.fromEntries(
    [
      ['tokenizeBaseline', () => tokenize(text)] as const,
      ['herald', () => parseCampaign(text, { now: '2026-11-25T12:00:00Z' })] as const,
      ...Object.entries(readers)
        .filter(([k]) => k !== 'herald')
        .map(([k, read]) => [k, () => read(text)] as const),
    ].map(([k, run]) => [k, timed(run)]),
  );
  return { installed: Object.keys(loadMs), loadMs, characters: text.length, speed, readings };
}
