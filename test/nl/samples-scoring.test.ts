import { describe, expect, it } from 'vitest';
import { toFacts } from '../../src/nl/campaign-facts.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';
import { FIELDS, actionKind, loadSamples, score } from './facts-scoring.js';

const NOW = '2026-11-25T12:00:00Z';
const samples = loadSamples();
const results = samples.map((s) => {
  const parsed = parseCampaign(s.text, { now: NOW });
  return { sample: s, parsed, facts: toFacts(parsed.spec, parsed.diagnostics) };
});

describe('parseCampaign on the sample corpus', () => {
  it.each(results.map((r) => [r.sample.id, r] as const))(
    'reads %s as a careful human does',
    (_id, r) => {
      const { facts, sample } = r;
      expect(facts.channels).toEqual(sample.expect.channels);
      expect(facts.timing).toEqual(sample.expect.timing);
      expect(facts.dependencies).toEqual(sample.expect.dependencies);
      expect(facts.ambiguities).toEqual(sample.expect.ambiguities);
      expect(new Set(facts.audience.map((a) => JSON.stringify(a)))).toEqual(
        new Set(sample.expect.audience.map((a) => JSON.stringify(a))),
      );
      expect(facts.conditions.map((c) => ({ ...c, then: actionKind(c.then) }))).toEqual(
        sample.expect.conditions.map((c) => ({ ...c, then: actionKind(c.then) })),
      );
    },
  );

  it('succeeds exactly when nothing must be asked back', () => {
    for (const r of results)
      expect(r.parsed.success, r.sample.id).toBe(r.sample.expect.ambiguities.length === 0);
  });

  it('reaches a precision and recall of at least 0.95 on every field', () => {
    const figures = score(results.map((r) => [r.facts, r.sample.expect] as const));
    for (const field of FIELDS) {
      expect(figures[field].precision, `${field} precision`).toBeGreaterThanOrEqual(0.95);
      expect(figures[field].recall, `${field} recall`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('gives every ambiguity a span inside the text and a suggestion', () => {
    for (const r of results) {
      for (const d of r.parsed.diagnostics) {
        if (d.span === undefined) continue;
        expect(d.span[0]).toBeGreaterThanOrEqual(0);
        expect(d.span[1]).toBeLessThanOrEqual(r.sample.text.length);
        expect(d.suggestions?.length ?? 0).toBeGreaterThan(0);
      }
    }
  });
});
