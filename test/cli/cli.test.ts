import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';
import { captureIo } from './captured-io.js';

let dir: string;
const capture = () => captureIo(dir);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
});

describe('herald', () => {
  it('runs the example on the sandbox and ends with a summary, then shows it in status and inspect', async () => {
    const run = capture();
    const code = await main(
      [
        'run',
        join(import.meta.dirname, '../../examples/launch.json'),
        '--now',
        '2026-11-25T12:00:00Z',
        '--id',
        'winter',
      ],
      run.io,
    );
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    expect(run.out()).toContain('Plan:');
    expect(run.out()).toMatch(
      /newsletter: email on sendgrid \(email\), 2026-12-01 09:00 in each recipient's zone \(after announce\) → \d+ recipients in 10 zones/,
    );
    expect(run.out()).toContain('Summary: Winter launch completed');
    expect(run.out()).toMatch(/newsletter: done — \d+ accepted/);
    const reportPath = /Report: (.+report\.html)/.exec(run.out())![1]!;
    const html = await readFile(reportPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Winter launch');

    const status = capture();
    expect(await main(['status'], status.io)).toBe(0);
    expect(status.out()).toMatch(/^winter\s+completed\s+Winter launch/);
    const detail = capture();
    expect(await main(['status', 'winter'], detail.io)).toBe(0);
    expect(detail.out()).toContain('announce: done — 1 accepted');

    const inspect = capture();
    expect(await main(['inspect', 'winter', '--events', '5'], inspect.io)).toBe(0);
    expect(inspect.out()).toContain('campaign [completed]');
    expect(inspect.out()).toContain('step:newsletter [done]');

    // A crash after the last step leaves nothing to resume: the README's resume is a no-op.
    const resume = capture();
    expect(await main(['resume', 'winter'], resume.io)).toBe(0);
    expect(resume.out()).toContain('Campaign winter already completed; nothing to resume.');
  });

  it('runs a plain-English description, noting the placeholders it used', async () => {
    const run = capture();
    const code = await main(
      [
        'run',
        join(import.meta.dirname, '../../examples/product-launch.txt'),
        '--now',
        '2026-11-25T12:00:00Z',
      ],
      run.io,
    );
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    expect(run.out()).toContain('"Product launch"');
    expect(run.out()).toMatch(/linkedin-post: post on linkedin, 1 hour after "wordpress-publish"/);
    expect(run.out()).toContain('note: wordpress-publish has no message text');
    expect(run.out()).toMatch(/linkedin-post: done — 1 accepted, https:\/\//);
  });

  it('shows each step calls against the platform quota, and refuses one that would exhaust a daily quota', async () => {
    const posts = Array.from({ length: 26 }, (_, i) => ({
      id: `post-${String(i)}`,
      platform: 'instagram',
      action: 'post',
      content: { text: 'look', mediaUrls: ['https://herald.example/a.jpg'] },
    }));
    await writeFile(
      join(dir, 'ok.json'),
      JSON.stringify({ name: 'One', steps: posts.slice(0, 1) }),
    );
    const ok = capture();
    expect(await main(['run', 'ok.json', '--now', '2026-11-25T12:00:00Z'], ok.io)).toBe(0);
    expect(ok.out()).toContain('1 call(s), quota 25 per day and 200 per hour');
    await writeFile(
      join(dir, 'many.json'),
      JSON.stringify({
        name: 'Many',
        steps: [
          {
            ...posts[0],
            timing: {
              kind: 'recurring',
              recurrence: 'every:PT1H',
              start: '2026-12-01',
              time: '00:00',
              zone: 'UTC',
              count: 26,
            },
          },
        ],
      }),
    );
    const refused = capture();
    expect(await main(['run', 'many.json', '--now', '2026-11-25T12:00:00Z'], refused.io)).toBe(2);
    expect(refused.err()).toContain("would exhaust a platform's daily quota");
    expect(refused.err()).toContain('post-0 needs 26 instagram calls; its quota allows 25 per day');
  });

  it('refuses an ambiguous description and prints the questions', async () => {
    await writeFile(join(dir, 'vague.txt'), 'Tweet the teaser on Friday at 4.');
    const run = capture();
    expect(await main(['run', 'vague.txt', '--now', '2026-11-25T12:00:00Z'], run.io)).toBe(2);
    expect(run.err()).toContain('vague.txt needs answers before it can run');
    expect(run.err()).toMatch(/am_pm_missing|time_without_zone/);
    const status = capture();
    await main(['status'], status.io);
    expect(status.out()).toContain('No campaigns yet');
  });

  it('rejects an invalid spec naming the path and the fix, before anything runs', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({
        name: 'x',
        steps: [
          {
            id: 'a',
            platform: 'slack',
            action: 'notify',
            timing: { kind: 'relative', after: 'b' },
          },
        ],
      }),
    );
    const run = capture();
    expect(await main(['run', 'bad.json'], run.io)).toBe(2);
    expect(run.err()).toContain(
      'steps.0.timing.after: relative timing anchor "b" is not a step of this campaign',
    );
    const status = capture();
    await main(['status'], status.io);
    expect(status.out()).toContain('No campaigns yet');
  });

  it('explains unreadable files, unknown commands and missing arguments', async () => {
    await writeFile(join(dir, 'broken.yaml'), 'name: [unclosed');
    await writeFile(join(dir, 'notes.csv'), 'a,b');
    const cases: [string[], RegExp][] = [
      [['run', 'missing.json'], /cannot read missing.json/],
      [['run', 'broken.yaml'], /not valid YAML/],
      [
        ['run', 'notes.csv'],
        /expected a campaign spec \(.json, .yaml, .yml\) or a plain-English description/,
      ],
      [['run'], /which campaign\?/],
      [['run', 'x.json', '--now', 'yesterday'], /cannot read|not an ISO instant/],
      [['run', '--bogus'], /Unknown option '--bogus'/],
      [['inspect', 'nope'], /no campaign "nope"/],
      [['inspect'], /which campaign\?/],
      [['pause'], /which campaign\?/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(args, c.io), args.join(' ')).toBe(2);
      expect(c.err()).toMatch(message);
    }
  });

  it('pauses, resumes and cancels campaigns in the store', async () => {
    const spec: CampaignSpecInput = {
      name: 'Later',
      steps: [
        { id: 'ping', platform: 'slack', action: 'notify', content: { text: 'hi', channel: '#x' } },
      ],
    };
    await writeFile(join(dir, 'later.json'), JSON.stringify(spec));
    const { openSqliteStore } = await import('../../src/store/sqlite-store.js');
    const { CampaignSystem } = await import('../../src/actors/campaign-system.js');
    const store = openSqliteStore(join(dir, '.herald/herald.db'));
    const system = new CampaignSystem({ store, connectors: new MemoryPlatforms() });
    const id = await system.launch(spec, { id: 'later', startsAt: Date.now() + 86_400_000 });
    await system.stop();
    await store.close();

    const hint = capture();
    await main(
      [
        'run',
        join(import.meta.dirname, '../../examples/launch.json'),
        '--now',
        '2026-11-25T12:00:00Z',
      ],
      hint.io,
    );
    expect(hint.out()).toContain(
      'Unfinished campaign in the store: later (orphaned); continue it with: herald resume later',
    );
    const orphan = capture();
    expect(await main(['status', 'later'], orphan.io)).toBe(0);
    expect(orphan.out()).toContain('later  orphaned — resume with: herald resume later');
    const pause = capture();
    expect(await main(['pause', 'later'], pause.io)).toBe(0);
    const paused = capture();
    await main(['status', id], paused.io);
    expect(paused.out()).toContain('later  paused');
    const cancel = capture();
    expect(await main(['cancel', 'later'], cancel.io)).toBe(0);
    const again = capture();
    expect(await main(['resume', 'later'], again.io)).toBe(2);
    expect(again.err()).toContain('is cancelled; it cannot resume');
  });

  it('does not launch an existing --id again, and names a configuration that differs', async () => {
    const args = [
      'run',
      join(import.meta.dirname, '../../examples/launch.json'),
      '--now',
      '2026-11-25T12:00:00Z',
      '--id',
      'twice',
      '--audience-size',
      '200',
    ];
    const first = capture();
    expect(await main(args, first.io)).toBe(0);
    expect(first.out()).toContain('200 synthetic profiles');
    const again = capture();
    expect(await main(args, again.io)).toBe(2);
    expect(again.out()).not.toContain('launched');
    expect(again.err()).toContain(
      'campaign "twice" is already in the store; it already ran and is completed; see it with: herald status twice',
    );
    const bigger = capture();
    expect(await main([...args.slice(0, -1), '300'], bigger.io)).toBe(2);
    expect(bigger.err()).toContain(
      '--audience-size 300, but it was launched with 200 sandbox profiles',
    );
    const status = capture();
    await main(['status', 'twice'], status.io);
    expect(status.out()).toContain(
      'runs with 200 synthetic profiles (seed 7) on the embedded sandbox, simulated time from 2026-11-25T12:00:00.000Z',
    );
  });

  it('prints help and the JSON Schema of a campaign', async () => {
    const help = capture();
    expect(await main([], help.io)).toBe(0);
    expect(help.out()).toContain('herald run');
    const schema = capture();
    expect(await main(['schema'], schema.io)).toBe(0);
    const json = JSON.parse(schema.out());
    expect(json.properties.steps.type).toBe('array');
    expect(json.required).toContain('name');
  });

  it('serves the sandbox until interrupted', async () => {
    const controller = new AbortController();
    const c = capture();
    const serving = main(['sandbox'], c.io, controller.signal);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await serving).toBe(0);
    expect(c.out()).toMatch(/sendgrid\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(c.out()).toContain('SENDGRID_API_KEY=');
  });
});
