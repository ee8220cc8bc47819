import { describe, expect, it } from 'vitest';
import { type CampaignFacts, toFacts } from '../../src/nl/campaign-facts.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';

const NOW = '2026-11-25T12:00:00Z';

function read(text: string): CampaignFacts & {
  success: boolean;
  codes: string[];
  quoted: (code: string) => string[];
  budgets: unknown[];
} {
  const r = parseCampaign(text, { now: NOW });
  return {
    ...toFacts(r.spec, r.diagnostics),
    success: r.success,
    codes: r.diagnostics.map((d) => d.code),
    quoted: (code) =>
      r.diagnostics
        .filter((d) => d.code === code && d.span !== undefined)
        .map((d) => text.slice(d.span![0], d.span![1])),
    budgets: r.spec.steps.map((s) => s.budget),
  };
}

const when = (f: CampaignFacts): unknown[][] =>
  f.timing.map((t) => [t.kind, t.local_time, t.date, t.zone, t.recurrence, t.after_step, t.offset]);

describe('money and quantities', () => {
  it('reads "$5k" as 5000 and a budget without "a day" as a lifetime budget', () => {
    expect(read('Launch Meta ads on Dec 1 at 9am ET with a $5k budget.').budgets).toEqual([
      { amount: 5000, period: 'lifetime' },
    ]);
    expect(read('Launch Meta ads on Dec 1 at 9am ET, $1.5m total budget.').budgets).toEqual([
      { amount: 1_500_000, period: 'lifetime' },
    ]);
  });

  it('reads "bump the daily budget to $400" as a daily budget change, not a daily recurrence', () => {
    const f = read(
      'Launch Google ads Dec 1 at 9am ET. On Dec 4 at 9am ET bump the daily budget to $400.',
    );
    expect(f.channels[1]).toEqual({ platform: 'google_ads', action: 'budget_change' });
    expect(when(f)[1]).toEqual([
      'absolute',
      '09:00',
      '2026-12-04',
      'America/New_York',
      null,
      null,
      null,
    ]);
    expect(f.budgets[1]).toEqual({ amount: 400, period: 'daily' });
  });

  it('reads a condition with "above $2" and no "if"', () => {
    const f = read('Launch Meta ads Dec 1 at 9am ET. Pause any Meta ad with a CPC above $2.');
    expect(f.channels).toEqual([{ platform: 'meta_ads', action: 'ad_launch' }]);
    expect(f.conditions).toEqual([
      expect.objectContaining({ metric: 'cpc', op: 'gt', threshold: 2 }),
    ]);
  });
});

describe('audiences are never widened without a word', () => {
  it('reads a named group in running text as a segment, and quotes one it cannot name', () => {
    expect(read('Email the loyal list on Dec 3 at 10am ET.').audience).toEqual([
      { field: 'segment', op: 'in', value: ['loyal'] },
    ]);
    expect(read('Email our VIP customers on Dec 3 at 10am ET.').audience).toEqual([
      { field: 'segment', op: 'in', value: ['vip'] },
    ]);
    expect(read('Email our new customers on Dec 3 at 10am ET.').quoted('unread')).toEqual([
      'new customers',
    ]);
  });

  it('says gender is not supported instead of dropping it', () => {
    const f = read('Email women aged 25-34 on Dec 3 at 10am ET.');
    expect(f.audience).toEqual([{ field: 'age', op: 'between', value: [25, 34] }]);
    expect(f.quoted('unsupported_audience')).toEqual(['women']);
    expect(f.success).toBe(false);
  });

  it('keeps the exclusion of "bought in the last 30 days but not in the last 7"', () => {
    expect(
      read(
        'Email customers who bought in the last 30 days but not in the last 7 on Dec 3 at 10am ET.',
      ).audience,
    ).toEqual([
      { field: 'purchase_count', op: 'gte', value: 1, window: 'P30D' },
      { field: 'purchase_count', op: 'eq', value: 0, window: 'P7D' },
    ]);
  });

  it('keeps both regions of "New York and New Jersey"', () => {
    expect(
      read('Email customers in New York and New Jersey on Dec 3 at 10am ET.').audience,
    ).toEqual([{ field: 'region', op: 'in', value: ['US-NY', 'US-NJ'] }]);
  });

  it('reports the amount of "2 purchases for over $100" instead of dropping it', () => {
    const f = read(
      'Email customers with at least 2 purchases for over $100 in the last 90 days on Dec 3 at 10am ET.',
    );
    expect(f.audience).toEqual([{ field: 'purchase_count', op: 'gte', value: 2 }]);
    expect(f.quoted('unread')).toEqual(['$100', 'last 90 days']);
  });

  it('reports "UK only" followed by "the US and the UK" as a contradiction', () => {
    expect(read('UK only. Email the US and the UK on Dec 3 at 10am ET.').ambiguities).toEqual([
      'contradictory_audience',
    ]);
  });
});

describe('negation', () => {
  it('does not email anyone when told not to', () => {
    const f = read("Post on LinkedIn on Dec 3 at 10am ET and don't email anyone.");
    expect(f.channels).toEqual([{ platform: 'linkedin', action: 'post' }]);
    expect(f.codes).not.toContain('audience_assumed');
  });
});

describe('conditions', () => {
  it('reads comparative "winner" conditions with their action', () => {
    const keep = read(
      'Launch Meta ads and Google ads Dec 1 at 9am ET; after 3 days keep whichever has the better ROAS.',
    );
    expect(keep.conditions).toEqual([
      expect.objectContaining({ metric: 'roas', op: 'max', threshold: null, window: 'P3D' }),
    ]);
    expect(keep.conditions[0]!.then).toMatch(/pick/);
    const pause = read(
      'Launch two Meta ad creatives Dec 1 at 9am ET. After 2 days pause whichever creative has the lower CTR.',
    );
    expect(pause.conditions).toEqual([
      expect.objectContaining({ metric: 'ctr', op: 'min', threshold: null, window: 'P2D' }),
    ]);
    expect(pause.conditions[0]!.then).toMatch(/pause/);
  });

  it('reads windows "over the last 7 days", "3 days straight" and "after a week"', () => {
    const over = read(
      'Launch Meta ads Dec 1 at 9am ET. If CTR is below 1% over the last 7 days, pause them.',
    );
    expect(over.conditions[0]).toEqual(expect.objectContaining({ window: 'P7D' }));
    const straight = read(
      'Launch Meta ads Dec 1 at 9am ET. If ROAS is under 2 for 3 days straight, pause them.',
    );
    expect(straight.conditions[0]).toEqual(expect.objectContaining({ window: 'P3D' }));
    const week = read(
      'Launch Meta ads Dec 1 at 9am ET. If CPA is above $30 after a week, pause them.',
    );
    expect(week.conditions[0]).toEqual(expect.objectContaining({ window: 'P7D', threshold: 30 }));
  });

  it('reads "spends more than $200 without a single conversion" as spend, not conversions', () => {
    const f = read(
      'Launch Meta ads Dec 1 at 9am ET. If it spends more than $200 without a single conversion, pause it.',
    );
    expect(f.conditions[0]).toEqual(
      expect.objectContaining({ metric: 'spend', op: 'gt', threshold: 200 }),
    );
  });

  it('does not turn "text them a 10% code" into a Slack message', () => {
    const f = read(
      'Email the offer Dec 1 at 9am ET to all subscribers. If the open rate is below 20% after 2 days, text them a 10% code.',
    );
    expect(f.quoted('unsupported_action')).toEqual([
      'If the open rate is below 20% after 2 days, text them a 10% code',
    ]);
    expect(f.success).toBe(false);
  });
});

describe('timing', () => {
  it('schedules every date of "on Dec 9 and Dec 16"', () => {
    const f = read('Email all subscribers the webinar invite on Dec 9 and Dec 16 at 10am ET.');
    expect(f.channels).toEqual([
      { platform: 'email', action: 'email' },
      { platform: 'email', action: 'email' },
    ]);
    expect(when(f).map((t) => t[2])).toEqual(['2026-12-09', '2026-12-16']);
  });

  it('reads "9am local" as each recipient\'s local time', () => {
    expect(when(read('Send the email at 9am local on Dec 3.'))).toEqual([
      ['recipient_local', '09:00', '2026-12-03', null, null, null, null],
    ]);
  });

  it('reads "until the end of January"', () => {
    const r = parseCampaign(
      'Email all subscribers every Monday at 9am ET from Dec 7 until the end of January.',
      { now: NOW },
    );
    expect(r.spec.steps[0]!.timing).toEqual(expect.objectContaining({ until: '2027-01-31' }));
    expect(r.diagnostics.map((d) => d.code)).not.toContain('open_ended_recurrence');
  });
});

describe('steps', () => {
  it('reads a "Digest newsletter" as an email, not a report', () => {
    expect(
      read('Send the Digest newsletter to all subscribers every Friday at 9am ET from Dec 4.')
        .channels,
    ).toEqual([{ platform: 'email', action: 'email' }]);
  });

  it('reads a misspelt verb as it reads a misspelt platform', () => {
    expect(read('Twet the teaser Dec 2 at 9am ET.').channels).toEqual([
      { platform: 'x', action: 'post' },
    ]);
  });

  it('does not send twice when a sentence is pasted twice', () => {
    const f = read(
      'Email all subscribers on Dec 3 at 10am ET. Email all subscribers on Dec 3 at 10am ET.',
    );
    expect(f.channels).toEqual([{ platform: 'email', action: 'email' }]);
    expect(f.codes).toContain('duplicate_step');
  });
});

describe('no false alarms on clear texts', () => {
  it('reads 24-hour "10:00" and "11 o\'clock in the morning"', () => {
    expect(when(read('Email all subscribers on Dec 3 at 10:00 CET.'))[0]![1]).toBe('10:00');
    const f = read("Email all subscribers on Dec 3 at 11 o'clock in the morning ET.");
    expect(when(f)).toEqual([
      ['absolute', '11:00', '2026-12-03', 'America/New_York', null, null, null],
    ]);
    expect(f.ambiguities).toEqual([]);
  });

  it('reads "every night at 2am" as daily', () => {
    const f = read('Send the report to Slack every night at 2am ET starting Dec 1.');
    expect(when(f)).toEqual([
      ['recurring', '02:00', '2026-12-01', 'America/New_York', 'daily', null, null],
    ]);
    expect(f.ambiguities).toEqual([]);
  });

  it('says "everyone on the list" rather than "no audience was named" for "all subscribers"', () => {
    const f = read('Email all subscribers on Dec 3 at 10am ET.');
    expect(f.codes).not.toContain('audience_assumed');
    expect(f.success).toBe(true);
  });
});

describe('views agree', () => {
  it('lists every diagnostic code in the facts view', () => {
    const r = parseCampaign('Email all subscribers on 03/04 at 10am ET.', { now: NOW });
    const facts = toFacts(r.spec, r.diagnostics);
    const all = [...facts.ambiguities, ...facts.notes];
    for (const d of r.diagnostics) expect(all).toContain(d.code);
  });
});

describe('more of the language', () => {
  it('reads "Spend $500 on Meta ads" as an instruction, not a customer filter', () => {
    const f = read('Spend $500 on Meta ads Dec 1 at 9am ET.');
    expect(f.audience).toEqual([]);
    expect(f.quoted('unread')).toEqual(['$500']);
  });

  it('reads "fewer than 3 purchases in the last year"', () => {
    const f = read(
      'Email customers with fewer than 3 purchases in the last year on Dec 3 at 10am ET.',
    );
    expect(f.audience).toEqual([{ field: 'purchase_count', op: 'lt', value: 3, window: 'P1Y' }]);
    expect(f.codes).not.toContain('unread');
  });

  it('reads compound conditions, "in a day" and runs of days', () => {
    const f = read(
      'Launch Meta ads Dec 1 at 9am ET. Pause any ad that spends over $100 in a day with zero conversions. If ROAS is under 2 3 days straight, pause them. If CPA is over $40 2 days in a row, pause them.',
    );
    expect(f.conditions.map((c) => [c.metric, c.op, c.threshold, c.window])).toEqual([
      ['spend', 'gt', 100, 'P1D'],
      ['conversions', 'eq', 0, 'P1D'],
      ['roas', 'lt', 2, 'P3D'],
      ['cpa', 'gt', 40, 'P2D'],
    ]);
  });

  it('reads no condition into "with the CPC report" and a comparative before a comma', () => {
    expect(
      read('Launch Meta ads Dec 1 at 9am ET. Pause the Meta ads with the CPC report.').conditions,
    ).toEqual([]);
    const f = read(
      'Launch Meta ads and Google ads Dec 1 at 9am ET. After 3 days, whichever has the higher CTR, pause the other.',
    );
    expect(f.conditions.map((c) => [c.metric, c.op, c.threshold, c.window])).toEqual([
      ['ctr', 'max', null, 'P3D'],
    ]);
  });

  it('quotes an end it cannot read and a "not" it cannot place', () => {
    expect(
      read(
        'Email all subscribers every Monday at 9am ET from Dec 7 until the end of the year.',
      ).quoted('unread'),
    ).toEqual(['until the end', 'year']);
    expect(
      read(
        'Email customers who bought in the last 30 days but not recently, on Dec 3 at 10am ET.',
      ).quoted('unread'),
    ).toEqual(['not']);
  });

  it('takes the zone of "(all times are in Europe/Berlin)" for every time', () => {
    expect(when(read('Tweet the teaser Dec 1 at 9am (all times are in Europe/Berlin).'))).toEqual([
      ['absolute', '09:00', '2026-12-01', 'Europe/Berlin', null, null, null],
    ]);
  });

  it('sends a repeated sentence twice when it says "again", and keeps anchors on the right step', () => {
    expect(
      read(
        'Email all subscribers on Dec 3 at 10am ET. Email all subscribers on Dec 3 at 10am ET again.',
      ).channels,
    ).toHaveLength(2);
    const repeated = read(
      'Email all subscribers on Dec 9 and Dec 16 at 10am ET. Tweet it Dec 20 at 9am ET. Post on LinkedIn an hour after the tweet.',
    );
    expect(repeated.dependencies).toEqual([[2, 3]]);
    const pasted = read(
      'Email all subscribers on Dec 3 at 10am ET. Email all subscribers on Dec 3 at 10am ET. Tweet it an hour after the email.',
    );
    expect(pasted.dependencies).toEqual([[0, 1]]);
  });

  it('quotes a month it did not use', () => {
    expect(
      read('Email all subscribers the recap on Dec 3 at 10am ET, as planned in January.').quoted(
        'unread',
      ),
    ).toEqual(['January']);
  });
});

describe('run-on conditions', () => {
  it('finds the consequent after the antecedent when no comma separates them', () => {
    const f = read(
      'we launch the TikTok ads on Tuesday December 1st at 9am ET and then if any ad group spends more than $200 without a single conversion we kill it and also ping #paid on Slack at 10am ET on Dec 1',
    );
    expect(f.conditions.map((c) => [c.metric, c.op, c.threshold, c.then])).toEqual([
      ['spend', 'gt', 200, 'pause the TikTok'],
      ['conversions', 'eq', 0, 'pause the TikTok'],
    ]);
    expect(f.channels).toEqual([
      { platform: 'tiktok', action: 'ad_launch' },
      { platform: 'slack', action: 'notify' },
    ]);
  });

  it('reads "if CTR drops below 1% pause it" without a comma, and "click rate" as CTR', () => {
    const f = read('Launch Meta ads Dec 1 at 9am ET. If the click rate drops below 1% pause them.');
    expect(f.conditions.map((c) => [c.metric, c.op, c.threshold, c.then])).toEqual([
      ['ctr', 'lt', 0.01, 'pause the Meta ads'],
    ]);
  });
});

describe('audience words marketers use', () => {
  it('keeps both halves of "opened or clicked in the last 60 days"', () => {
    expect(
      read('Email people who opened or clicked in the last 60 days on Dec 3 at 10am ET.').audience,
    ).toEqual([
      { field: 'last_open', op: 'within_last', value: 'P60D' },
      { field: 'last_click', op: 'within_last', value: 'P60D' },
    ]);
  });

  it('reads nationalities, SMS subscribers and a named segment with its head noun', () => {
    expect(
      read(
        'Text our Canadian customers and SMS subscribers on Dec 3 at 10am ET, not the lapsed buyers segment.',
      ).audience,
    ).toEqual([
      { field: 'country', op: 'in', value: ['CA'] },
      { field: 'consent_sms', op: 'eq', value: true },
      { field: 'segment', op: 'not_in', value: ['lapsed buyers'] },
    ]);
    expect(read('Email the Employees segment on Dec 3 at 10am ET.').audience).toEqual([
      { field: 'segment', op: 'in', value: ['employees'] },
    ]);
  });
});

describe('days of the month', () => {
  it('reads "the 15th" as the coming 15th, and "the 31st" in the next month that has one', () => {
    expect(when(read('Email all subscribers on the 15th at 9am ET.'))[0]![2]).toBe('2026-12-15');
    expect(when(read('Email all subscribers on the 31st at 9am ET.'))[0]![2]).toBe('2026-12-31');
    expect(when(read('Email all subscribers on the 3rd of each month at 9am ET.'))[0]![4]).toBe(
      'monthly:3',
    );
  });
});
