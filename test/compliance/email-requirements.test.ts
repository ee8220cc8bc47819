import { describe, expect, it } from 'vitest';
import {
  checkEmailContent,
  requiredEmailHeaders,
} from '../../src/compliance/email-requirements.js';
import { ruleFor } from '../../src/compliance/regional-policy.js';

describe('requiredEmailHeaders', () => {
  it('builds RFC 8058 one-click headers with an optional mailto', () => {
    expect(
      requiredEmailHeaders({ url: 'https://example.com/u/abc', mailto: 'unsub@example.com' }),
    ).toEqual({
      success: true,
      data: {
        'List-Unsubscribe': '<https://example.com/u/abc>, <mailto:unsub@example.com>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  });

  it('refuses a URL that is not https or not a URL', () => {
    const plain = requiredEmailHeaders({ url: 'http://example.com/u?x=1' });
    expect(!plain.success && plain.error[0]).toMatchObject({
      code: 'unsubscribe_url_not_https',
      suggestions: ['use https://example.com/u?x=1'],
    });
    const broken = requiredEmailHeaders({ url: 'nope' });
    expect(!broken.success && broken.error[0]?.code).toBe('unsubscribe_url_invalid');
  });
});

describe('checkEmailContent', () => {
  const url = 'https://example.com/u/abc';
  const address = '1 Main St, Springfield, IL 62701';
  const headers = {
    'list-unsubscribe': `<${url}>`,
    'LIST-UNSUBSCRIBE-POST': 'List-Unsubscribe=One-Click',
  };

  it('passes a compliant email', () => {
    const html = `<p>Hi</p><footer><a href="${url}">Unsubscribe</a><br>1 Main St<br>Springfield, IL 62701</footer>`;
    expect(
      checkEmailContent({ html, headers, unsubscribeUrl: url, postalAddress: address }).success,
    ).toBe(true);
  });

  it('lists every missing element', () => {
    const result = checkEmailContent({ text: 'Hi', headers: {} });
    expect(!result.success && result.error.map((i) => i.code)).toEqual([
      'unsubscribe_url_missing',
      'postal_address_missing',
      'list_unsubscribe_missing',
      'list_unsubscribe_post_missing',
    ]);
    const unshown = checkEmailContent(
      { text: 'Hi', headers, unsubscribeUrl: url, postalAddress: address },
      ruleFor('US').emailContent,
    );
    expect(!unshown.success && unshown.error.map((i) => i.code)).toEqual([
      'unsubscribe_link_missing',
      'postal_address_not_shown',
    ]);
  });

  it('checks only what the requirements ask for', () => {
    const none = { unsubscribeLink: false, postalAddress: false, oneClickUnsubscribe: false };
    expect(checkEmailContent({ headers: {} }, none).success).toBe(true);
  });
});
