import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignHarness } from './campaign-harness.js';

type Command =
  | {
      kind:
        'campaign.schedule' | 'campaign.pause' | 'campaign.resume' | 'campaign.cancel' | 'start';
    }
  | { kind: 'finish' | 'fail'; step: 'a' | 'b' | 'c' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc
    .constantFrom(
      'campaign.schedule',
      'campaign.pause',
      'campaign.resume',
      'campaign.cancel',
      'start',
    )
    .map((kind) => ({ kind })),
  fc.record({
    kind: fc.constantFrom('finish' as const, 'fail' as const),
    step: fc.constantFrom('a' as const, 'b' as const, 'c' as const),
  }),
);

describe('campaign chart invariants over random event sequences', () => {
  it('never runs a step after cancelled or while paused, and completes only with every step done', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        const h = campaignHarness();
        let cancelledAt: number | undefined;
        for (const c of commands) {
          if (c.kind === 'start') await h.start();
          else if (c.kind === 'finish') await h.finish(c.step);
          else if (c.kind === 'fail') await h.fail(c.step);
          else await h.send(c.kind);
          const snapshot = h.actor.getSnapshot();
          if (snapshot.value === 'cancelled') cancelledAt ??= h.starts.length;
          if (snapshot.value === 'completed') {
            expect(
              Object.values(snapshot.context.status).every((s) => s === 'done' || s === 'skipped'),
            ).toBe(true);
          }
          if (snapshot.value === 'paused') expect(h.running()).toEqual([]);
        }
        if (cancelledAt !== undefined) expect(h.starts.length).toBe(cancelledAt);
        expect(
          h.starts.filter((s) => s.campaignState === 'paused' || s.campaignState === 'cancelled'),
        ).toEqual([]);
        const b = h.starts.findIndex((s) => s.step === 'b');
        if (b >= 0) expect(h.actor.getSnapshot().context.status.a).toBe('done');
        h.actor.stop();
      }),
      { numRuns: 150 },
    );
  });
});
