import { describe, expect, it } from 'vitest';
import type { ActionRequest, Connector, Reconciliation } from '../../src/connectors/connector.js';
import { checkMergeFields, hasMergeFields, renderContent } from '../../src/content/merge-fields.js';
import { splitMessage } from '../../src/content/message-section.js';
import { personalizedConnectors } from '../../src/content/personalized-connectors.js';
import { contentWithUtm, utmSlug, withUtm } from '../../src/content/utm-links.js';
import type { Profile } from '../../src/segments/profile-model.js';
import type { StepContent } from '../../src/spec/campaign-schema.js';

const content = (c: Partial<StepContent>): StepContent => ({ mediaUrls: [], variants: [], ...c });
const profile = (id: string, traits: Record<string, unknown> = {}): Profile => ({
  id,
  email: `${id}@example.com`,
  age: 30,
  country: 'US',
  region: 'US-CA',
  language: 'en',
  loyalty_tier: 'gold',
  consent: { email: true, sms: false, push: false },
  traits,
});
const UTM = { source: 'sendgrid', medium: 'email', campaign: 'spring', content: 'news' };

describe('merge fields', () => {
  it('renders text as written and escapes every value in HTML', () => {
    const out = renderContent(
      content({
        subject: 'Hi {{first_name | default: "there"}}',
        text: 'Hi {{first_name}}',
        html: '<p>Hi {{first_name}}</p>',
        variants: [
          { id: 'b', subject: 'B {{first_name}}', text: 'T {{age}}', weight: 1 },
          { id: 'c', weight: 1 },
        ],
      }),
      { first_name: 'Tom & <Jerry>', age: 3 },
    );
    expect(out.subject).toBe('Hi Tom & <Jerry>');
    expect(out.html).toBe('<p>Hi Tom &amp; &lt;Jerry&gt;</p>');
    expect(out.variants).toEqual([
      { id: 'b', subject: 'B Tom & <Jerry>', text: 'T 3', weight: 1 },
      { id: 'c', weight: 1 },
    ]);
    expect(renderContent(content({ text: 'Hi {{first_name | default: "there"}}' }), {}).text).toBe(
      'Hi there',
    );
    expect(hasMergeFields(content({ text: 'plain' }))).toBe(false);
    expect(hasMergeFields(content({ variants: [{ id: 'a', text: '{{x}}', weight: 1 }] }))).toBe(
      true,
    );
  });

  it('counts recipients missing a field, stops on a field nobody has, and names a broken template', () => {
    const issues = checkMergeFields(
      content({
        subject: 'Hi {{first_name}}',
        text: '{{frist_name}} {{city | default: "your city"}}',
        html: '{{ unclosed',
        variants: [{ id: 'a', subject: 'fine', weight: 1 }],
      }),
      [{ first_name: 'Ana' }, {}, {}],
      ['steps', 0, 'content'],
    );
    expect(issues.map((i) => [i.code, i.path.join('.'), i.message])).toEqual([
      [
        'invalid_template',
        'steps.0.content.html',
        expect.stringContaining('the html is not a valid template') as string,
      ],
      [
        'missing_merge_field',
        'steps.0.content.subject',
        '{{first_name}} in the subject is missing for 2 of 3 recipients; they see it empty',
      ],
      [
        'unknown_merge_field',
        'steps.0.content.text',
        '{{frist_name}} in the text: no recipient has a field "frist_name"',
      ],
    ]);
  });
});

describe('UTM parameters', () => {
  it('adds them to links in text and HTML, keeping parameters a link already has', () => {
    expect(withUtm('not a url', UTM)).toBe('not a url');
    expect(withUtm('https://a.example/x?utm_source=mine', UTM)).toBe(
      'https://a.example/x?utm_source=mine&utm_medium=email&utm_campaign=spring&utm_content=news',
    );
    const out = contentWithUtm(
      content({
        link: 'https://a.example/',
        text: 'See https://a.example/p.',
        html: '<a href="https://a.example/p?x=1&amp;y=2">go</a>',
        variants: [
          { id: 'a', text: 'https://b.example', weight: 1 },
          { id: 'b', weight: 1 },
        ],
      }),
      UTM,
    );
    expect(out.link).toContain('utm_content=news');
    expect(out.text).toBe(
      'See https://a.example/p?utm_source=sendgrid&utm_medium=email&utm_campaign=spring&utm_content=news.',
    );
    expect(out.html).toBe(
      '<a href="https://a.example/p?x=1&amp;y=2&amp;utm_source=sendgrid&amp;utm_medium=email&amp;utm_campaign=spring&amp;utm_content=news">go</a>',
    );
    expect(out.variants[0]!.text).toContain('utm_source=sendgrid');
    expect(contentWithUtm(content({}), UTM)).toEqual(content({}));
    expect(utmSlug(' Spring Sale 2026! ')).toBe('spring-sale-2026');
  });
});

describe('message section', () => {
  it('reads the subject and text below --- and writes HTML that keeps merge fields', () => {
    expect(splitMessage('Send it now.')).toEqual({ description: 'Send it now.' });
    const split = splitMessage(
      'Send it now.\n---\nSubject: Hi {{first_name | default: "there"}}\n\nA & B, see https://a.example/x.\nline two\n\nBye',
    );
    expect(split.description).toBe('Send it now.\n');
    expect(split.message).toEqual({
      subject: 'Hi {{first_name | default: "there"}}',
      text: 'A & B, see https://a.example/x.\nline two\n\nBye',
      html: '<p>A &amp; B, see <a href="https://a.example/x">https://a.example/x</a>.<br>\nline two</p>\n<p>Bye</p>',
    });
    expect(splitMessage('x\n---\n{{first_name}} said "hi"').message).toEqual({
      text: '{{first_name}} said "hi"',
      html: '<p>{{first_name}} said &quot;hi&quot;</p>',
    });
  });
});

describe('personalizedConnectors', () => {
  function fake(answer: (r: ActionRequest) => Reconciliation) {
    const calls: ActionRequest[] = [];
    const connector: Connector = {
      platform: 'sendgrid',
      capabilities: ['send_email'],
      maxBatchSize: 100,
      perform(r) {
        calls.push(r);
        return Promise.resolve({
          outputs: {},
          accepted: r.recipients.length,
          externalId: r.idempotencyKey,
        });
      },
      reconcile: (r) => Promise.resolve(answer(r)),
    };
    return { calls, registry: { get: () => connector } };
  }
  const request = (recipients: ActionRequest['recipients']): ActionRequest => ({
    campaignId: 'c1',
    stepId: 'news',
    platform: 'sendgrid',
    action: 'email',
    content: content({ text: 'Hi {{first_name | default: "there"}} https://a.example' }),
    options: {},
    currency: 'USD',
    recipients,
    idempotencyKey: 'k',
  });
  const profiles = new Map([
    ['a', profile('a', { first_name: 'Ana' })],
    ['b', profile('b', { first_name: 'Ana' })],
    ['c', profile('c')],
  ]);

  it('sends one call per distinct rendering, each with its own key, and adds the counts', async () => {
    const { calls, registry } = fake(() => ({ status: 'not_found' }));
    const wrapped = personalizedConnectors(registry, { profiles, campaignName: () => 'Spring' });
    expect(wrapped.get('email')).toBe(wrapped.get('email'));
    const result = await wrapped
      .get('email')
      .perform(request([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'x' }]));
    expect(result.accepted).toBe(4);
    expect(
      calls.map((c) => [c.idempotencyKey, c.recipients.map((r) => r.id), c.content.text]),
    ).toEqual([
      [
        'k',
        ['a', 'b'],
        'Hi Ana https://a.example/?utm_source=sendgrid&utm_medium=email&utm_campaign=spring&utm_content=news',
      ],
      [
        'k#1',
        ['c', 'x'],
        'Hi there https://a.example/?utm_source=sendgrid&utm_medium=email&utm_campaign=spring&utm_content=news',
      ],
    ]);
    const off = fake(() => ({ status: 'not_found' }));
    await personalizedConnectors(off.registry, { profiles, utm: false, campaignName: () => 'S' })
      .get('email')
      .perform(request([]));
    expect(off.calls[0]!.content.text).toBe('Hi there https://a.example');
  });

  it('reconciles a batch as done, not found or unknown from its parts', async () => {
    const answers: Record<string, Reconciliation> = {};
    const { registry } = fake((r) => answers[r.idempotencyKey]!);
    const connector = personalizedConnectors(registry, { profiles, campaignName: () => 'S' }).get(
      'email',
    );
    const batch = request([{ id: 'a' }, { id: 'c' }]);
    const done = { status: 'done', result: { outputs: {}, accepted: 1 } } as const;
    Object.assign(answers, { k: done, 'k#1': done });
    expect(await connector.reconcile(batch)).toEqual({
      status: 'done',
      result: { outputs: {}, accepted: 2 },
    });
    Object.assign(answers, { k: { status: 'not_found' }, 'k#1': { status: 'not_found' } });
    expect(await connector.reconcile(batch)).toEqual({ status: 'not_found' });
    Object.assign(answers, { k: done });
    expect((await connector.reconcile(batch)).status).toBe('unknown');
    Object.assign(answers, { 'k#1': { status: 'unknown', reason: 'cannot tell' } });
    expect(await connector.reconcile(batch)).toEqual({ status: 'unknown', reason: 'cannot tell' });
  });
});
