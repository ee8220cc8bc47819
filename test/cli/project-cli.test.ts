import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { runHerald } from './herald-process.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/project');
const ENV = { SENDGRID_API_KEY: SANDBOX_CREDENTIALS.SENDGRID_API_KEY! };

interface MailSend {
  personalizations: { to: { email: string }[]; custom_args: { herald_recipient: string } }[];
  subject: string;
  content: { type: string; value: string }[];
}

let dir: string;
let sandbox: Sandbox;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-project-'));
  sandbox = await startSandbox({ platforms: ['sendgrid'] });
});
afterEach(async () => {
  await sandbox.close();
});

/** `herald init`, then the edits the README asks for: the example's CSVs and the sandbox's accounts. */
async function initProject(profiles = join(EXAMPLE, 'profiles.csv')): Promise<void> {
  const init = await runHerald(['init'], { cwd: dir });
  expect(init.code).toBe(0);
  const text = await readFile(join(dir, 'herald.yaml'), 'utf8');
  const edited = text
    .replace('profiles: profiles.csv', `profiles: ${JSON.stringify(profiles)}`)
    .replace('# events: events.csv', `events: ${JSON.stringify(join(EXAMPLE, 'events.csv'))}`)
    .replace('sandbox: embedded', `sandbox: { sendgrid: ${sandbox.urls.sendgrid!} }`);
  expect(edited).not.toBe(text);
  await writeFile(join(dir, 'herald.yaml'), edited);
  await copyFile(join(EXAMPLE, 'newsletter.txt'), join(dir, 'newsletter.txt'));
}

/** Every message the sandbox's SendGrid accepted, by recipient address. */
function received(): Map<string, { subject: string; text: string; html: string }> {
  const out = new Map<string, { subject: string; text: string; html: string }>();
  for (const request of sandbox.received('sendgrid')) {
    if (request.path !== '/v3/mail/send' || request.status !== 202) continue;
    const body = request.body as MailSend;
    const part = (type: string) => body.content.find((c) => c.type === type)?.value ?? '';
    for (const p of body.personalizations)
      out.set(p.to[0]!.email, {
        subject: body.subject,
        text: part('text/plain'),
        html: part('text/html'),
      });
  }
  return out;
}

async function profilesOf(path: string): Promise<Record<string, string>[]> {
  // The example's CSV quotes nothing: one line per record, fields split on commas.
  const [header, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

describe('a herald project', { timeout: 180_000 }, () => {
  it('goes from init to check to a run that sends each eligible recipient their own message', async () => {
    await initProject();
    const check = await runHerald(['check'], { cwd: dir, env: ENV });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/✓ profiles\.csv\s+8 profiles loaded/);
    expect(check.stdout).toMatch(/✓ sendgrid\s+authenticated on the sandbox/);
    expect(check.stdout).toContain('field first_name');
    expect(check.stdout).toContain('All checks passed');
    expect(sandbox.deliveries('sendgrid')).toEqual([]);

    const run = await runHerald(['run', 'newsletter.txt', '--yes'], { cwd: dir, env: ENV });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('with 8 profiles from');
    expect(run.stdout).toContain('Summary: Newsletter completed');

    const eligible = (await profilesOf(join(EXAMPLE, 'profiles.csv'))).filter(
      (p) => p.email !== '' && p.consent_email === 'true',
    );
    const messages = received();
    expect([...messages.keys()].sort()).toEqual(eligible.map((p) => p.email).sort());
    expect(
      sandbox
        .deliveries('sendgrid')
        .map((d) => d.recipient)
        .sort(),
    ).toEqual(eligible.map((p) => p.email).sort());
    for (const p of eligible) {
      const message = messages.get(p.email!)!;
      const name = p.first_name === '' ? undefined : p.first_name;
      expect(message.subject).toBe(`${name ?? 'Hello'}, your Monday picks from Herald`);
      expect(message.text).toContain(`Hi ${name ?? 'there'},`);
      expect(message.text).toContain(`in ${p.city!}:`);
      expect(message.text).toContain(
        'https://shop.herald.example/monday?utm_source=sendgrid&utm_medium=email&utm_campaign=newsletter&utm_content=',
      );
    }
    expect(messages.get('grace@example.com')!.html).toContain('Hi Grace &lt;G&amp;Co&gt;,');

    const preview = await runHerald(
      ['preview', 'newsletter.txt', '--recipient', 'c007', '--format', 'json'],
      { cwd: dir, env: ENV },
    );
    expect(preview.code).toBe(0);
    const [step] = (
      JSON.parse(preview.stdout) as {
        steps: { content: { subject: string; text: string; html: string } }[];
      }
    ).steps;
    const { subject, text, html } = step!.content;
    expect({ subject, text, html }).toEqual(messages.get('grace@example.com'));
  });

  it('sends a test copy to the named address only and launches nothing', async () => {
    await initProject();
    const run = await runHerald(
      ['run', 'newsletter.txt', '--test-send', 'me@example.com', '--recipient', 'c002'],
      {
        cwd: dir,
        env: ENV,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 test copy sent; the campaign was not launched.');
    expect(sandbox.deliveries('sendgrid').map((d) => d.recipient)).toEqual(['me@example.com']);
    expect(received().get('me@example.com')!.text).toContain('Hi Ben,');
  });

  it('names wrong credentials with the fix and sends nothing', async () => {
    await initProject();
    const check = await runHerald(['check'], { cwd: dir, env: { SENDGRID_API_KEY: 'not-a-key' } });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/✗ sendgrid\s+sendgrid refused the credentials SENDGRID_API_KEY/);
    expect(check.stdout).toContain(
      'fix: set SENDGRID_API_KEY to working values from your sendgrid account',
    );
    const run = await runHerald(['run', 'newsletter.txt', '--yes'], {
      cwd: dir,
      env: { SENDGRID_API_KEY: 'not-a-key' },
    });
    expect(run.code).not.toBe(0);
    expect(sandbox.deliveries('sendgrid')).toEqual([]);
  });

  it('names a missing column and a malformed CSV with their fixes and sends nothing', async () => {
    const rows = (await readFile(join(EXAMPLE, 'profiles.csv'), 'utf8')).split('\n');
    const noCountry = join(dir, 'no-country.csv');
    await writeFile(
      noCountry,
      rows
        .map((r) =>
          r
            .split(',')
            .filter((_, i) => i !== 5)
            .join(','),
        )
        .join('\n'),
    );
    await initProject(noCountry);
    const missing = await runHerald(['check'], { cwd: dir, env: ENV });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      'no-country.csv has no column "country", which Herald needs in profiles',
    );
    expect(missing.stdout).toContain(
      'fix: add a column "country" (ISO country code, e.g. US) to no-country.csv',
    );
    const run = await runHerald(['run', 'newsletter.txt', '--yes'], { cwd: dir, env: ENV });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no column "country"');

    const malformed = join(dir, 'malformed.csv');
    await writeFile(
      malformed,
      [rows[0], rows[1], 'c002,ben@example.com,+14155550102', rows[3]].join('\n'),
    );
    await writeFile(
      join(dir, 'herald.yaml'),
      (await readFile(join(dir, 'herald.yaml'), 'utf8')).replace(
        JSON.stringify(noCountry),
        JSON.stringify(malformed),
      ),
    );
    const bad = await runHerald(['check'], { cwd: dir, env: ENV });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /✗ malformed\.csv\s+malformed\.csv line 3 is malformed CSV: Invalid Record Length/,
    );
    expect(bad.stdout).toContain('fix: check the quotes and the number of commas on line 3');
    expect(sandbox.received('sendgrid').filter((r) => r.path === '/v3/mail/send')).toEqual([]);
  });
});
