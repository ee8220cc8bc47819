import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type * as SandboxModule from '../../src/sandbox/start-sandbox.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';

/** Every sandbox `herald run` starts, so the test can read its own record afterwards. */
const sandboxes: Sandbox[] = [];
vi.mock('../../src/sandbox/start-sandbox.js', async (original) => {
  const real = await original<typeof SandboxModule>();
  return {
    ...real,
    startSandbox: async (...args: Parameters<typeof real.startSandbox>) => {
      const sandbox = await real.startSandbox(...args);
      sandboxes.push(sandbox);
      return sandbox;
    },
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-monitoring-'));
  sandboxes.length = 0;
});

async function run(example: string, now: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['run', join(import.meta.dirname, '../../examples', example), '--now', now],
    {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      cwd: dir,
      env: {},
    },
  );
  return { code, out: out.join(''), err: err.join(''), sandbox: sandboxes.at(-1)! };
}

describe('rules live as long as their windows', () => {
  it('adaptive-newsletter: monitors for 24 hours, then resends to exactly the sandbox’s non-openers', async () => {
    const { code, out, err, sandbox } = await run(
      'adaptive-newsletter.txt',
      '2026-12-10T12:00:00Z',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const sent = Date.parse('2026-12-15T14:00:00Z');
    expect(out).toContain(
      `campaign monitoring until ${new Date(sent + 25 * 3_600_000).toISOString().replace(':00.000Z', 'Z')}`,
    );
    expect(out).toMatch(
      /automatic: Resent step email-email to non-openers because the open rate of step email-email is \d+\.\d+%, below 15\.00%/,
    );

    const deliveries = sandbox.deliveries('sendgrid');
    const first = deliveries.filter((d) => d.at === sent);
    const resend = deliveries.filter((d) => d.at > sent);
    expect(first.length).toBeGreaterThan(800);
    const resentAt = resend[0]!.at;
    expect(resentAt).toBe(sent + 24 * 3_600_000);
    // The sandbox's own record: delivered, not opened, neither bounced nor unsubscribed by then.
    const firstIds = new Set(first.map((d) => d.messageId));
    const nonOpeners = sandbox
      .engagement('sendgrid')
      .filter((m) => firstIds.has(m.messageId))
      .filter((m) => {
        const kinds = new Set(m.events.filter((e) => e.at <= resentAt).map((e) => e.kind));
        return kinds.has('delivered') && !kinds.has('open') && !kinds.has('unsubscribe');
      })
      .map((m) => m.recipient)
      .sort();
    expect(nonOpeners.length).toBeGreaterThan(0);
    expect(nonOpeners.length).toBeLessThan(first.length);
    expect(resend.map((d) => d.recipient).sort()).toEqual(nonOpeners);
    expect(out).toContain('Summary: Adaptive newsletter completed');
  }, 120_000);
});
