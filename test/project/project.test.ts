import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SecretKeyring, parseSecretKey } from '../../src/compliance/secret-keyring.js';
import { applyProject, checkAudienceFields } from '../../src/project/apply-project.js';
import { ProjectFile } from '../../src/project/project-schema.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { validateCampaign } from '../../src/spec/validate-campaign.js';
import { serviceUrl } from '../services.js';

const postgres = await serviceUrl('postgres');
const EXAMPLE = join(import.meta.dirname, '../../examples/project');
let dir: string;
let sandbox: Sandbox;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-project-unit-'));
  sandbox = await startSandbox({ platforms: ['sendgrid', 'twilio', 'slack', 'linkedin'] });
});
afterEach(async () => {
  await sandbox.close();
});

async function herald(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    cwd: dir,
    env: { SENDGRID_API_KEY: SANDBOX_CREDENTIALS.SENDGRID_API_KEY!, ...env },
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** A herald.yaml with the example's audience and `accounts`, on the test's sandbox unless `real`. */
async function project(accounts: string, extra = '', real = false): Promise<void> {
  const urls = Object.entries(sandbox.urls)
    .map(([p, u]) => `${p}: ${u}`)
    .join(', ');
  await writeFile(
    join(dir, 'herald.yaml'),
    `audience: { kind: files, profiles: ${JSON.stringify(join(EXAMPLE, 'profiles.csv'))} }\n` +
      (real ? '' : `sandbox: { ${urls} }\n`) +
      `accounts:\n${accounts}\n${extra}`,
  );
}

const SENDGRID = `  sendgrid:
    credentials: { SENDGRID_API_KEY: { env: SENDGRID_API_KEY } }
    settings: { SENDGRID_FROM_EMAIL: news@example.com }`;

describe('herald.yaml', () => {
  it('has a JSON Schema with a description on every field', async () => {
    const { code, out } = await herald(['schema', '--project']);
    expect(code).toBe(0);
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
        const c = child as Record<string, unknown>;
        if (c.description === undefined) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
        for (const child of (n[k] ?? []) as unknown[]) walk(child, path);
      if (n.additionalProperties) walk(n.additionalProperties, `${path}.*`);
    };
    walk(JSON.parse(out), '');
    expect(undescribed).toEqual([]);
  });

  it('init writes a file that validates, and never overwrites one', async () => {
    expect((await herald(['init'])).code).toBe(0);
    const again = await herald(['init']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('herald.yaml already exists here');
    expect((await herald(['init', '--force'])).code).toBe(0);
  });

  it('refuses a secret written in clear, and a secret under settings, naming the fix', async () => {
    await project(
      `  sendgrid:\n    credentials: { SENDGRID_API_KEY: SG.plain }\n    settings: { SENDGRID_API_KEY: SG.plain }`,
    );
    const { code, err } = await herald(['check']);
    expect(code).toBe(2);
    expect(err).toContain(
      'accounts.sendgrid.credentials.SENDGRID_API_KEY: a secret written in clear is refused',
    );
    expect(err).toContain('this setting is a secret; move it under "credentials"');
  });

  it('opens a credential sealed with the keyring, and names a missing or wrong key', async () => {
    const key = randomBytes(32).toString('base64');
    const sealed = new SecretKeyring(parseSecretKey(key), [], { redactor: null }).encrypt(
      SANDBOX_CREDENTIALS.SENDGRID_API_KEY!,
      'sendgrid.SENDGRID_API_KEY',
    );
    await project(
      `  sendgrid:\n    credentials: { SENDGRID_API_KEY: { encrypted: "${sealed}" } }\n    settings: { SENDGRID_FROM_EMAIL: a@b.c }`,
    );
    const ok = await herald(['check'], { HERALD_SECRET_KEY: key });
    expect(ok.out).toMatch(/✓ sendgrid\s+authenticated on the sandbox/);
    const none = await herald(['check'], { HERALD_SECRET_KEY: '' });
    expect(none.out).toContain('HERALD_SECRET_KEY is not set');
    const wrong = await herald(['check'], {
      HERALD_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('cannot open the sealed sendgrid.SENDGRID_API_KEY');
  });

  it('checks every account: verified, unverifiable, refused, unreachable, or half on the sandbox', async () => {
    await project(
      `${SENDGRID}
  twilio:
    credentials: { TWILIO_ACCOUNT_SID: { env: TWILIO_ACCOUNT_SID }, TWILIO_AUTH_TOKEN: { env: TWILIO_AUTH_TOKEN } }
  slack:
    credentials: { SLACK_BOT_TOKEN: { env: SLACK_BOT_TOKEN } }
  linkedin:
    credentials: { LINKEDIN_ACCESS_TOKEN: { env: LINKEDIN_ACCESS_TOKEN } }
    settings: { LINKEDIN_AUTHOR_URN: "urn:li:organization:1" }
  teams:
    credentials: { TEAMS_WEBHOOK_URL: { env: TEAMS_WEBHOOK_URL } }`,
    );
    const { code, out } = await herald(['check'], {
      TWILIO_ACCOUNT_SID: SANDBOX_CREDENTIALS.TWILIO_ACCOUNT_SID!,
      TWILIO_AUTH_TOKEN: SANDBOX_CREDENTIALS.TWILIO_AUTH_TOKEN!,
      SLACK_BOT_TOKEN: 'xoxb-sandbox',
      LINKEDIN_ACCESS_TOKEN: 'AQsandbox',
      TEAMS_WEBHOOK_URL: 'x',
    });
    expect(code).toBe(1);
    expect(out).toMatch(/✗ twilio\s+twilio: set TWILIO_FROM/);
    expect(out).toContain('fix: add the missing settings to accounts.twilio in herald.yaml');
    expect(out).toMatch(/✓ slack\s+authenticated on the sandbox as T0SANDBOX/);
    expect(out).toMatch(
      /! linkedin\s+credentials present; Herald has no identity check for linkedin/,
    );
    expect(out).toMatch(/✗ teams\s+the teams account has no sandbox URL/);
    expect(out).toContain('1 warning(s)');
  });

  it('says there is no project, and lists no accounts as a warning', async () => {
    expect((await herald(['check'])).err).toContain(
      'there is no herald.yaml here; create one with: herald init',
    );
    await writeFile(
      join(dir, 'herald.yaml'),
      'audience: { kind: sandbox, profiles: 20 }\nsandbox: embedded\n',
    );
    const { code, out } = await herald(['check']);
    expect(code).toBe(0);
    expect(out).toMatch(/✓ synthetic profiles\s+20 profiles loaded/);
    expect(out).toContain('herald.yaml names no platform account');
  });

  it('reports rejected rows with their line numbers, JSON lines, and a missing file', async () => {
    await writeFile(
      join(dir, 'people.csv'),
      'id,email,age,country,region,language,loyalty_tier\np1,a@b.c,30,US,US-CA,en,gold\np2,b@b.c,old,US,US-CA,en,gold\np1,c@b.c,31,US,US-CA,en,gold\n',
    );
    await writeFile(
      join(dir, 'events.jsonl'),
      '{"profileId":"p1","type":"purchase","at":1}\nnot json\n',
    );
    await writeFile(
      join(dir, 'herald.yaml'),
      'audience: { kind: files, profiles: people.csv, events: events.jsonl }\n',
    );
    const { out } = await herald(['check']);
    expect(out).toMatch(/! people\.csv\s+1 profiles loaded, 2 rejected/);
    expect(out).toContain('people.csv line 3: "age" must be a number');
    expect(out).toContain('people.csv line 4: a profile with this id was already loaded');
    expect(out).toMatch(/! events\.jsonl\s+1 events loaded, 1 rejected/);
    expect(out).toContain('field zone');
    await writeFile(join(dir, 'herald.yaml'), 'audience: { kind: files, profiles: gone.csv }\n');
    const missing = await herald(['check']);
    expect(missing.out).toContain('gone.csv does not exist');
    expect(missing.out).toContain(
      'fix: export the profiles to gone.csv, or fix audience.profiles in herald.yaml',
    );
  });

  it('previews a recipient as text, and names an unknown recipient', async () => {
    await project(SENDGRID);
    await copyFile(join(EXAMPLE, 'newsletter.txt'), join(dir, 'newsletter.txt'));
    const { code, out } = await herald(['preview', 'newsletter.txt', '--recipient', 'c001']);
    expect(code).toBe(0);
    expect(out).toContain('Subject: Ana, your Monday picks from Herald');
    expect(out).toContain('-- HTML --\n<p>Hi Ana,</p>');
    expect((await herald(['preview', 'newsletter.txt', '--recipient', 'nobody'])).err).toContain(
      'nobody is not in the project',
    );
  });

  it('refuses a real send without confirmation and sends nothing', async () => {
    await project(SENDGRID, '', true);
    await copyFile(join(EXAMPLE, 'newsletter.txt'), join(dir, 'newsletter.txt'));
    const { code, out } = await herald(['run', 'newsletter.txt', '--store', join(dir, 'h.db')]);
    expect(out).toContain('with 8 profiles from profiles.csv, on your real accounts, real time');
    expect(out).toContain('Send now? [y/N] (no terminal to answer on)');
    expect(out).toContain('Not confirmed; nothing was sent. (In scripts, confirm with --yes.)');
    expect(code).toBe(1);
  });

  it('names the field or events a segment needs that the data lacks, and a platform without an account', async () => {
    await project(SENDGRID);
    await writeFile(
      join(dir, 'buyers.txt'),
      'Send an email now to customers who bought in the last 30 days.\n---\nHi',
    );
    const buyers = await herald(['run', 'buyers.txt', '--yes']);
    expect(buyers.code).toBe(2);
    expect(buyers.err).toContain(
      'the segment needs "purchase" events, and the audience has no events',
    );
    expect(buyers.err).toContain(
      'add audience.events (profile_id, type, at, value) to herald.yaml',
    );
    await writeFile(join(dir, 'sms.txt'), 'Send an SMS now to everyone.\n---\nHi');
    const sms = await herald(['run', 'sms.txt', '--yes']);
    expect(sms.err).toContain('runs on twilio, but herald.yaml has no twilio account');
  });
});

describe('herald run in a project, in process', () => {
  it('runs on the sandbox, and test-sends to one address only', async () => {
    await project(SENDGRID);
    await copyFile(join(EXAMPLE, 'newsletter.txt'), join(dir, 'newsletter.txt'));
    const store = ['--store', join(dir, 'h.db')];
    const run = await herald(['run', 'newsletter.txt', '--yes', '--simulate', ...store]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('simulated time');
    expect(sandbox.deliveries('sendgrid')).toHaveLength(6);
    const phone = await herald(['run', 'newsletter.txt', '--test-send', '+15550100', ...store]);
    expect(phone.out).toContain(
      'email-email: not test-sent (email on email does not go to a phone number)',
    );
    expect(phone.out).toContain('0 test copies sent');
    expect(phone.code).toBe(1);
    const bad = await herald(['run', 'newsletter.txt', '--test-send', 'nobody', ...store]);
    expect(bad.err).toContain('--test-send nobody is neither an email address nor a phone number');
    const who = await herald([
      'run',
      'newsletter.txt',
      '--test-send',
      'me@x.example',
      '--recipient',
      'zz',
      ...store,
    ]);
    expect(who.err).toContain('--recipient zz is not in the project');
    const me = await herald(['run', 'newsletter.txt', '--test-send', 'me@x.example', ...store]);
    expect(me.out).toContain('test copy sent to me@x.example via sendgrid, rendered for c001');
    expect(
      sandbox
        .deliveries('sendgrid')
        .map((d) => d.recipient)
        .filter((r) => r === 'me@x.example'),
    ).toHaveLength(1);
  });

  it('stops a run whose message names a field no recipient has', async () => {
    await project(SENDGRID);
    await writeFile(
      join(dir, 'typo.txt'),
      'Send an email now to everyone who opted in to email.\n---\nHi {{frist_name}}',
    );
    const { code, err } = await herald(['run', 'typo.txt', '--yes', '--store', join(dir, 'h.db')]);
    expect(code).toBe(2);
    expect(err).toContain('{{frist_name}} in the text: no recipient has a field "frist_name"');
    expect(sandbox.deliveries('sendgrid')).toEqual([]);
  });
});

describe.skipIf(postgres === undefined)('a PostgreSQL audience', () => {
  it('loads profiles from a table and names a table that is not there', async () => {
    const client = new pg.Client({ connectionString: postgres });
    await client.connect();
    const table = `herald_profiles_${String(process.pid)}`;
    try {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(
        `CREATE TABLE ${table} (id text, email text, age int, country text, region text, language text, loyalty_tier text, consent_email boolean, first_name text)`,
      );
      await client.query(
        `INSERT INTO ${table} VALUES ('p1','a@b.c',30,'US','US-CA','en','gold',true,'Ana'), ('p2',NULL,NULL,'US','US-CA','en','gold',false,NULL)`,
      );
      await writeFile(
        join(dir, 'herald.yaml'),
        `audience: { kind: postgres, url: { env: DB }, profiles: { table: ${table} }, events: { query: "SELECT 'p1' AS profile_id, 'purchase' AS type, now() AS at" } }\n`,
      );
      const { out } = await herald(['check'], { DB: postgres! });
      expect(out).toMatch(new RegExp(`! table ${table}\\s+1 profiles loaded, 1 rejected`));
      expect(out).toContain(`table ${table} row 2: "age" must be a number`);
      expect(out).toMatch(/✓ the events query\s+1 events loaded/);
      expect(out).toContain('field first_name');
      await writeFile(
        join(dir, 'herald.yaml'),
        'audience: { kind: postgres, url: { env: DB }, profiles: { table: nowhere } }\n',
      );
      const missing = await herald(['check'], { DB: postgres! });
      expect(missing.out).toContain('table nowhere cannot be read');
      const down = await herald(['check'], { DB: 'postgres://nobody@127.0.0.1:1/none' });
      expect(down.out).toContain('cannot connect to the database');
      const unset = await herald(['check'], { DB: '' });
      expect(unset.out).toContain('DB is not set');
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});

describe('applyProject', () => {
  it('fills account defaults and campaign defaults where the campaign states none', () => {
    const file = ProjectFile.parse({
      audience: { kind: 'sandbox' },
      accounts: {
        google_ads: { defaults: { ad_launch: { campaignId: '111' } } },
        slack: { channel: '#growth' },
      },
      campaign: {
        zone: 'Europe/Berlin',
        currency: 'EUR',
        quietHours: { start: '21:00', end: '08:00' },
        frequencyCap: { max: 2, period: 'P7D' },
        postalAddress: '1 Main St',
        unsubscribeUrl: 'https://x.example/u',
      },
    });
    const spec = validateCampaign({
      name: 'c',
      steps: [
        { id: 'ads', platform: 'google_ads', action: 'ad_launch', options: {} },
        { id: 'tell', platform: 'slack', action: 'notify', content: { text: 'hi' } },
      ],
    });
    if (!spec.success) throw new Error('invalid spec');
    const fitted = applyProject(spec.data, file);
    expect(fitted.issues).toEqual([]);
    expect(fitted.spec.steps[0]!.options).toEqual({ campaignId: '111' });
    expect(fitted.spec.steps[1]!.content.channel).toBe('#growth');
    expect(fitted.spec).toMatchObject({
      defaultZone: 'Europe/Berlin',
      currency: 'EUR',
      compliance: {
        quietHours: { start: '21:00' },
        frequencyCap: { max: 2 },
        postalAddress: '1 Main St',
      },
    });
    expect(fitted.notes.map((n) => n.message)).toEqual([
      'ads uses the google_ads account\'s campaignId "111"',
      "tell uses the slack account's channel #growth",
    ]);
  });

  it('names trait fields and sequence events the data lacks, once each, through named segments', () => {
    const file = ProjectFile.parse({
      audience: { kind: 'sandbox' },
      segments: {
        fans: {
          rules: {
            type: 'and',
            rules: [
              { type: 'attribute', field: 'traits.shoe_size', op: 'gt', value: 40 },
              {
                type: 'not',
                rule: {
                  type: 'sequence',
                  event: 'cart_add',
                  within: 'P1D',
                  notFollowedBy: 'purchase',
                },
              },
              { type: 'reachable', channel: 'email' },
            ],
          },
        },
      },
    });
    const spec = validateCampaign({
      name: 'c',
      audience: { segment: 'fans' },
      steps: [{ id: 's', platform: 'email', action: 'email', audience: { segment: 'fans' } }],
    });
    if (!spec.success) throw new Error('invalid spec');
    const issues = checkAudienceFields(
      spec.data,
      file,
      [],
      [{ profileId: 'p', type: 'purchase', at: 1 }],
    );
    expect(issues.map((i) => i.message)).toEqual([
      'the audience has no "traits.shoe_size" values: no profile has a "shoe_size"',
      'the segment needs "cart_add" events, and the events have none of that type',
    ]);
  });
});
