import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainCampaign } from '../../src/nl/explain-campaign.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';
import { validateCampaign } from '../../src/spec/validate-campaign.js';
import { parsableSpec } from './spec-arbitrary.js';

const NOW = '2026-11-25T12:00:00Z';
const WORDS = [
  'after',
  'every',
  'once',
  'if',
  'the',
  '$',
  '%',
  '+',
  ',',
  '.',
  ':',
  '-',
  '/',
  "'",
  '#x',
  'at',
  '8am',
  '9:30',
  '19h',
  'Dec',
  '31',
  'Friday',
  'next',
  'Instagram',
  'email',
  'ET',
  'Berlin',
  'time',
  'below',
  '15%',
  'open rate',
  'pause',
  'them',
  'step',
  '2',
  'days',
  'later',
  'segment',
  'aged',
  '18-34',
  'in',
  'the last',
  'US',
  'Snapchat',
  'when',
  'X',
  'report',
  'and',
  '\n',
  'A/B',
  'America/New_York',
  '2027',
  'hours',
  'weekly',
  'local',
];

describe('parseCampaign properties', () => {
  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseCampaign(text, { now: NOW });
        expect(typeof r.success).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on sequences of the words it keys on', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }), (words) => {
        const r = parseCampaign(words.join(' '), { now: NOW });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('stays fast on very long adversarial input when the input is cut at the bound', () => {
    const unit = 'after after every once if $$$ 1/1/1/1 #a-b-c at 8 :: -- ';
    const text = unit.repeat(2000);
    const started = performance.now();
    const r = parseCampaign(text, { now: NOW });
    expect(performance.now() - started).toBeLessThan(4000);
    expect(r.diagnostics.some((d) => d.code === 'input_truncated')).toBe(true);
  });

  it('round-trips generated specs through explain and parse', () => {
    fc.assert(
      fc.property(parsableSpec, (spec) => {
        expect(validateCampaign(spec).success).toBe(true);
        const text = explainCampaign(spec);
        const back = parseCampaign(text, { now: NOW });
        expect(back.spec, text).toEqual(spec);
        expect(back.success, text).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
