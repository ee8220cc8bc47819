import { describe, expect, it } from 'vitest';
import type { CampaignFacts } from '../../src/nl/campaign-facts.js';
import { type Sample, scoreSample, summarize } from './facts-scoring.js';

const EMPTY: CampaignFacts = {
  channels: [],
  timing: [],
  audience: [],
  dependencies: [],
  conditions: [],
  ambiguities: [],
  notes: [],
};
const want: CampaignFacts = {
  ...EMPTY,
  channels: [{ platform: 'email', action: 'email' }],
  audience: [{ field: 'segment', op: 'in', value: ['vip'] }],
};
const sample: Sample = { id: 'x', text: 'Email our VIP customers.', expect: want };

describe('the corpus scorer', () => {
  it('calls a dropped audience silent when no diagnostic speaks about the audience', () => {
    const got = { ...want, audience: [] };
    const silent = scoreSample(sample, got, []);
    expect(silent.wrong).toEqual(['audience']);
    expect(silent.silent).toEqual(['audience']);
    const unread = scoreSample(sample, got, [{ code: 'unread', path: [], message: 'VIP' }]);
    expect(unread.silent).toEqual([]);
    const report = summarize([silent, unread]);
    expect(report.silentMisreadings).toBe(1);
    expect(report.entirelyRight).toBe(0);
    expect(report.fields.audience.recall).toBe(0);
  });

  it('counts an ambiguity tag on a clear text as a false alarm', () => {
    const scored = scoreSample(sample, { ...want, ambiguities: ['missing_time'] }, []);
    expect(scored.falseAlarm).toBe(true);
    const report = summarize([scored, scoreSample(sample, want, [])]);
    expect(report.falseAlarmRate).toBe(0.5);
    expect(report.factsF1).toBeCloseTo(8 / 9);
    expect(report.ambiguityRecall).toBe(1);
  });
});
