import { describe, expect, it } from 'vitest';
import { type CampaignFacts, toFacts } from '../../src/nl/campaign-facts.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';

const NOW = '2026-11-25T12:00:00Z';

function facts(text: string): CampaignFacts & { success: boolean; codes: string[] } {
  const r = parseCampaign(text, { now: NOW });
  return {
    ...toFacts(r.spec, r.diagnostics),
    success: r.success,
    codes: r.diagnostics.map((d) => d.code),
  };
}

const when = (f: CampaignFacts): unknown[][] =>
  f.timing.map((t) => [t.kind, t.local_time, t.date, t.zone, t.recurrence, t.after_step, t.offset]);

describe('parseCampaign on descriptions it has not seen', () => {
  it('carries a sync verb across a list of ad platforms, and not to the email after it', () => {
    const f = facts(
      "Sync loyalty members to Meta ads and Google Ads on Monday Dec 7 at 9am ET, and send them the loyalty email at 10am in each recipient's local time the same day. Gold and Platinum tiers only.",
    );
    expect(f.channels).toEqual([
      { platform: 'meta_ads', action: 'audience_sync' },
      { platform: 'google_ads', action: 'audience_sync' },
      { platform: 'email', action: 'email' },
    ]);
  });

  it('reads a boosted post, a daily budget, holidays and noon/midnight', () => {
    const f = facts(
      'Boost the Black Friday post on FB next Tuesday at noon Pacific, $40 a day. Pause it on Christmas Eve at midnight PT.',
    );
    expect(f.channels).toEqual([
      { platform: 'meta_ads', action: 'ad_launch' },
      { platform: 'meta_ads', action: 'ad_pause' },
    ]);
    expect(when(f)).toEqual([
      ['absolute', '12:00', '2026-12-01', 'America/Los_Angeles', null, null, null],
      ['absolute', '00:00', '2026-12-24', 'America/Los_Angeles', null, null, null],
    ]);
    expect(f.success).toBe(true);
  });

  it('reads "in the morning", ages "and over", spend "under" and an excluded segment', () => {
    const f = facts(
      "Email the appeal at 8 in the morning Eastern on Giving Tuesday to donors aged 30 and over who spent under $100 in the past year, except anyone in the 'Board' segment.",
    );
    expect(when(f)).toEqual([
      ['absolute', '08:00', '2026-12-01', 'America/New_York', null, null, null],
    ]);
    expect(f.audience).toEqual([
      { field: 'age', op: 'gte', value: 30 },
      { field: 'purchase_total', op: 'lt', value: 100, window: 'P1Y' },
      { field: 'segment', op: 'not_in', value: ['board'] },
    ]);
  });

  it('reads every other weekday lists, a start and a count', () => {
    const f = facts(
      'Every other Wednesday and Friday at 10:15am Mountain time, starting the day after tomorrow, post a reel on Insta 6 times.',
    );
    expect(when(f)).toEqual([
      ['recurring', '10:15', '2026-11-27', 'America/Denver', 'biweekly:WE,FR', null, null],
    ]);
    expect(f.codes).toEqual([]);
  });

  it('reads recurrences written many ways', () => {
    const f = facts(
      'Email the weekly digest every Monday to Friday at 8am ET. Post on IG on Mondays at 5pm PT. Post on FB every two weeks on Tuesday at 1pm ET, and on LinkedIn fortnightly on Friday at 2pm ET. Tweet monthly on the 15th at 3pm ET. Post on TikTok weekly starting Friday Dec 4 at 6pm ET. Post on Threads hourly. On the first Monday of every month at 9am Sydney time, send the monthly report to #anz on Slack.',
    );
    expect(f.timing.map((t) => t.recurrence)).toEqual([
      'weekdays',
      'weekly:MO',
      'biweekly:TU',
      'biweekly:FR',
      'monthly:15',
      'weekly:FR',
      'monthly:first-MO',
    ]);
    expect(f.channels[0]).toEqual({ platform: 'email', action: 'report' });
    expect(f.ambiguities).toEqual(['unknown_platform']);
  });

  it('reads languages, regions, recipient-local time and "as soon as"', () => {
    const f = facts(
      "Text Spanish speakers in Texas and Florida at 6pm their local time tomorrow; half an hour later post on X. As soon as the SMS goes out, notify the 'Sales' channel on Teams.",
    );
    expect(when(f)).toEqual([
      ['recipient_local', '18:00', '2026-11-26', null, null, null, null],
      ['relative', null, null, null, null, 0, 'PT30M'],
      ['relative', null, null, null, null, 0, 'PT0S'],
    ]);
    expect(f.audience).toEqual([
      { field: 'language', op: 'in', value: ['es'] },
      { field: 'region', op: 'in', value: ['US-TX', 'US-FL'] },
    ]);
  });

  it('asks about "9:00" and "7 o\'clock" and reads holidays of next year', () => {
    const f = facts(
      "Tweet on Halloween at 10:30pm Eastern, and on Mother's Day 2027 at 9:00 London time post on IG. Email at 7 o'clock ET on Valentine's Day.",
    );
    expect(when(f).slice(0, 2)).toEqual([
      ['absolute', '22:30', '2027-10-31', 'America/New_York', null, null, null],
      ['absolute', null, '2027-05-09', 'Europe/London', null, null, null],
    ]);
    expect(f.ambiguities).toEqual(['am_pm_missing']);
  });

  it('reads "the day after" with a time of its own, and picks the better step', () => {
    const f = facts(
      'Publish the press release on the website on Dec 3 at 8am ET. The day after, share it on LinkedIn at 9am ET. If the CTR is the best after 2 days, pick the winner. If CPA is the best after a week, notify me on Teams.',
    );
    expect(when(f)[1]).toEqual(['relative', '09:00', null, 'America/New_York', null, 0, 'P1D']);
    expect(f.conditions.map((c) => [c.metric, c.op, c.window])).toEqual([
      ['ctr', 'max', 'P2D'],
      ['cpa', 'min', 'P7D'],
    ]);
  });

  it('reports past dates, DST overlaps and contradictions', () => {
    expect(
      facts(
        'Post on Facebook Nov 1 2026 at 9am ET and on LinkedIn on Nov 20 at 10am ET. Post on X today at 6am ET.',
      ).ambiguities,
    ).toEqual(['past_date']);
    const f = facts(
      'Post on Instagram on Sunday Nov 7 2027 at 1:30am Eastern to people under 18 in Canada. Exclude anyone over 65, excluding Canada.',
    );
    expect(f.ambiguities).toEqual(['dst_overlap', 'contradictory_audience']);
  });

  it('reads anchors to emails, texts and videos, weeks, and dotted a.m.', () => {
    const f = facts(
      'Send the reminder email on Jan 5 at 9 a.m. ET. An hour after the email, text the VIP tier. After the text, post the video on TikTok 2 weeks later. One day after the video, post on Snapchat.',
    );
    expect(when(f)).toEqual([
      ['absolute', '09:00', '2027-01-05', 'America/New_York', null, null, null],
      ['relative', null, null, null, null, 0, 'PT1H'],
      ['relative', null, null, null, null, 1, 'P14D'],
    ]);
    expect(f.ambiguities).toEqual(['unknown_platform']);
  });

  it('asks about weekday mismatches, "Wednesday" said on a Wednesday and missing days', () => {
    const f = facts(
      'Post on LinkedIn Tuesday Dec 2 at 9am ET, and on X Wednesday at 7 in the evening Berlin time zone. Next Wednesday at 9am local time, send an SMS to people who consented. Post on FB at 9am their local time.',
    );
    expect(f.ambiguities).toEqual(['nonexistent_date', 'ambiguous_relative_date', 'missing_day']);
    expect(f.timing[1]!.local_time).toBe('19:00');
    expect(f.timing[2]!.date).toBe('2026-12-02');
  });

  it('reads spend and purchase counts written many ways', () => {
    const f = facts(
      'Email on Dec 9 at 9am ET to customers who spent $100 or more in the last 30 days, who bought more than 3 times in the last year, who bought 2 or more times in the last month, who ordered twice in the last week, and who spent a lot.',
    );
    expect(f.audience).toEqual([
      { field: 'purchase_total', op: 'gte', value: 100, window: 'P30D' },
      { field: 'purchase_count', op: 'gt', value: 3, window: 'P1Y' },
      { field: 'purchase_count', op: 'gte', value: 2, window: 'P1M' },
      { field: 'purchase_count', op: 'gte', value: 2, window: 'P7D' },
    ]);
  });

  it('reports a resend with nothing to resend and a budget change out of range', () => {
    expect(
      facts(
        'Post on Instagram on Dec 9 at 6am ET. If the open rate is below 10% after a day, resend to non-openers.',
      ).codes,
    ).toContain('unresolved_reference');
    const r = parseCampaign(
      'Launch the Google Ads on Dec 7 at 9am ET. If ROAS is above 3 after 2 days, raise the budget by 2000%.',
      { now: NOW },
    );
    expect(r.success).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid_spec']);
  });

  it('shares a zone with a clock time of the same sentence and reuses a step named again', () => {
    const f = facts(
      'Send the newsletter Dec 8 at 9am London time, and post on X at 7. When the newsletter goes out, post on Facebook. Week after, segment.',
    );
    expect(when(f)[1]).toEqual(['absolute', null, null, 'Europe/London', null, null, null]);
    expect(when(f)[2]).toEqual(['relative', null, null, null, null, 0, 'PT0S']);
  });

  it('merges segments and reads "time zone", "local time", evening and 24-hour "at 18"', () => {
    const f = facts(
      "Send an SMS on Dec 10 at 18 Berlin time to the 'VIP' segment and the 'Gold' segment who opted in to texts. Post on X on Dec 10 at 9am local time. Post on IG on Dec 11 at 7 in the evening Tokyo time zone.",
    );
    expect(f.audience).toEqual([
      { field: 'segment', op: 'in', value: ['vip', 'gold'] },
      { field: 'consent_sms', op: 'eq', value: true },
    ]);
    expect(when(f)).toEqual([
      ['absolute', '18:00', '2026-12-10', 'Europe/Berlin', null, null, null],
      ['recipient_local', '09:00', '2026-12-10', null, null, null, null],
      ['absolute', '19:00', '2026-12-11', 'Asia/Tokyo', null, null, null],
    ]);
  });

  it('reports an invalid "now" and still reads the text', () => {
    const r = parseCampaign('Post on X right away.', { now: 'not a date' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid_now']);
    expect(r.spec.steps).toHaveLength(1);
  });

  it('reads budgets, holiday names beside a stated date, blasts and channels added at the end', () => {
    const r = parseCampaign(
      'Launch the LinkedIn sponsored post on Monday Dec 14 at 8am CT with a $100 daily budget, and pause it Dec 21 at 5pm CT. Launch Meta ads on Dec 14 at 8am CT with a daily budget of $50. Launch Google Ads on Dec 14 at 8am CT, budget of $2,000 budget $0.',
      { now: NOW },
    );
    expect(r.spec.steps.map((s) => [s.platform, s.action, s.budget])).toEqual([
      ['linkedin', 'ad_launch', { amount: 100, period: 'daily' }],
      ['linkedin', 'ad_pause', undefined],
      ['meta_ads', 'ad_launch', { amount: 50, period: 'daily' }],
      ['google_ads', 'ad_launch', { amount: 2000, period: 'lifetime' }],
    ]);
    const f = facts(
      "Send our Black Friday preview email to the 'VIP' segment on Thursday Nov 26 at 6pm PST, then the main blast on Black Friday at 6am PST to subscribers who speak German. Post to tiktok n insta on dec 12 @ 7pm est, also fb. 24 hours later, DM. Text them too.",
    );
    expect(when(f)).toEqual([
      ['absolute', '18:00', '2026-11-26', 'America/Los_Angeles', null, null, null],
      ['absolute', '06:00', '2026-11-27', 'America/Los_Angeles', null, null, null],
      ['absolute', '19:00', '2026-12-12', 'America/New_York', null, null, null],
      ['absolute', '19:00', '2026-12-12', 'America/New_York', null, null, null],
      ['absolute', '19:00', '2026-12-12', 'America/New_York', null, null, null],
      ['relative', null, null, null, null, 4, 'PT24H'],
    ]);
    expect(f.audience).toContainEqual({ field: 'language', op: 'in', value: ['de'] });
  });

  it('reads "when X, Y" clauses, offsets that lead the next clause and windows stated before "whichever"', () => {
    const f = facts(
      'When the webinar landing page goes live on Dec 3 at noon ET, send an invite email to leads in the UK, and 2 days after, text them. Start Facebook ads and Instagram ads on Dec 1 at 7am ET. After 3 days shift budget to whichever has the better CTR. Once the blog is up; post on X.',
    );
    expect(when(f).slice(0, 3)).toEqual([
      ['absolute', '12:00', '2026-12-03', 'America/New_York', null, null, null],
      ['relative', null, null, null, null, 0, 'PT0S'],
      ['relative', null, null, null, null, 1, 'P2D'],
    ]);
    expect(f.channels[3]).toEqual({ platform: 'meta_ads', action: 'ad_launch' });
    expect(f.conditions[0]).toMatchObject({ metric: 'ctr', op: 'max', window: 'P3D' });
  });

  it('reads A/B tests as one step with two variants and the winner as a step of its own', () => {
    const r = parseCampaign(
      'Run an A/B test on the subject line of the Dec 9 newsletter at 9am ET: send variant A and B to 10% each, and after 2 hours send the winner (best open rate) to everyone else.',
      { now: NOW },
    );
    const f = toFacts(r.spec, r.diagnostics);
    expect(r.spec.steps[0]!.content.variants.map((v) => v.id)).toEqual(['a', 'b']);
    expect(when(f)[1]).toEqual(['relative', null, null, null, null, 0, 'PT2H']);
    expect(f.conditions).toEqual([
      {
        metric: 'open_rate',
        op: 'max',
        threshold: null,
        window: 'PT2H',
        then: 'pick the winner of the email and the email',
      },
    ]);
    const ads = facts(
      'A/B test two Meta ads creatives from Dec 1 at 6am PT with $100/day; after 3 days, move the budget to the winner by CPA. Test two subject lines for the Cyber Monday email at 7am ET and send the winning version to the rest 4 hours later.',
    );
    expect(ads.channels.map((c) => c.action)).toEqual([
      'ad_launch',
      'budget_change',
      'email',
      'email',
    ]);
    expect(ads.conditions.map((c) => [c.metric, c.op, c.window])).toEqual([
      ['cpa', 'min', 'P3D'],
      ['open_rate', 'max', 'PT4H'],
    ]);
  });

  it('asks which metric, how much, and reads "drops" and "lots of people"', () => {
    expect(
      facts('Post on X on Dec 3 at 9am ET. If it drops below 2% after a day, pause the ads.')
        .ambiguities,
    ).toEqual(['metric_unspecified']);
    const ctr = facts(
      'Launch Google Ads Dec 3 at 9am ET. If the CTR drops after 2 days, pause them.',
    );
    expect(ctr.conditions).toEqual([
      { metric: 'ctr', op: 'lt', threshold: null, window: 'P2D', then: 'pause the Google Ads' },
    ]);
    expect(ctr.ambiguities).toEqual(['missing_threshold']);
    const lots = facts(
      'Email on Dec 3 at 9am ET to people in the EU. If lots of people unsubscribe, notify me on Slack.',
    );
    expect(lots.conditions[0]).toMatchObject({
      metric: 'unsubscribe_rate',
      op: 'gt',
      threshold: null,
      window: null,
    });
    expect(lots.audience).toEqual([{ field: 'region', op: 'in', value: ['europe'] }]);
    expect(lots.ambiguities).toEqual(['vague_quantity']);
  });

  it('reads abbreviations, "18h30", "8.30am", "2nd Tuesday", "more than 2 orders", and asks about 5/12', () => {
    const f = facts(
      'pls schedule IG + FB posts for tmrw 9am est. Post to Insta at 18h30 Paris time on Dec 5. LinkedIn article Mon 7 Dec 8.30am GMT. Email newsletter every 2nd Tuesday of the month at 10am ET to clients from Germany which have more than 2 orders in last 6 months.',
    );
    expect(when(f)).toEqual([
      ['absolute', '09:00', '2026-11-26', 'America/New_York', null, null, null],
      ['absolute', '09:00', '2026-11-26', 'America/New_York', null, null, null],
      ['absolute', '18:30', '2026-12-05', 'Europe/Paris', null, null, null],
      ['absolute', '08:30', '2026-12-07', 'Europe/London', null, null, null],
      ['recurring', '10:00', null, 'America/New_York', 'monthly:second-TU', null, null],
    ]);
    expect(f.audience).toContainEqual({
      field: 'purchase_count',
      op: 'gt',
      value: 2,
      window: 'P6M',
    });
    const r = parseCampaign('Post on X on 5/12 at 9am ET.', { now: NOW });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ambiguous_date']);
    expect(r.success).toBe(false);
  });

  it('reads non-native phrasing of ages and consent, and "notify … when X goes live"', () => {
    const f = facts(
      'Send to women between 25 and 40 in Spain and Italy an email on 10 December at 19:00 Madrid time, only to who accepted emails marketing. Notify the team in Teams when the Google Ads go live on Dec 1 at 8am ET.',
    );
    expect(f.audience).toEqual([
      { field: 'age', op: 'between', value: [25, 40] },
      { field: 'country', op: 'in', value: ['ES', 'IT'] },
      { field: 'consent_email', op: 'eq', value: true },
    ]);
    expect(when(f)[2]).toEqual(['relative', null, null, null, null, 1, 'PT0S']);
  });

  it('reads a run-of-show with a date stated once at the top', () => {
    const f = facts(
      'Product launch Dec 2. 8am PT: announcement on the blog (WordPress). 8:15am PT: tweet + LinkedIn post linking to it. 9am PT: email to all customers. 12pm PT: Slack #launch recap.',
    );
    expect(f.channels.map((c) => c.platform)).toEqual([
      'wordpress',
      'x',
      'linkedin',
      'email',
      'slack',
    ]);
    expect(f.timing.map((t) => [t.local_time, t.date])).toEqual([
      ['08:00', '2026-12-02'],
      ['08:15', '2026-12-02'],
      ['08:15', '2026-12-02'],
      ['09:00', '2026-12-02'],
      ['12:00', '2026-12-02'],
    ]);
    expect(f.ambiguities).toEqual([]);
  });

  it('resolves "once X, Y" when X is described later, and shifts budget to the better variant', () => {
    const f = facts(
      'Once the post is live, share it on X. Publish the post on WordPress Dec 3 at 9am ET. Run Meta ads with two variants from Dec 1 at 9am PT and after a week shift budget to the better variant.',
    );
    expect(when(f)[0]).toEqual(['relative', null, null, null, null, 1, 'PT0S']);
    expect(f.channels.slice(2)).toEqual([
      { platform: 'meta_ads', action: 'ad_launch' },
      { platform: 'meta_ads', action: 'budget_change' },
    ]);
    expect(f.conditions[0]).toMatchObject({ metric: 'ctr', op: 'max', window: 'P7D' });
  });

  it('shares timing stated before a list of channels, and reads "20% open"', () => {
    const f = facts(
      'Cyber Monday: at 7am Pacific on Nov 30 the Google and Meta ads go live; text US subscribers who opted into SMS at noon Pacific. Send the newsletter Tue Dec 15 9am ET; if under 20% open after 1 day, resend it to people who did not open.',
    );
    expect(f.timing.map((t) => t.local_time)).toEqual(['07:00', '07:00', '12:00', '09:00']);
    expect(f.conditions[0]).toMatchObject({
      metric: 'open_rate',
      op: 'lt',
      threshold: 0.2,
      window: 'P1D',
    });
  });

  it('reads "in 3 days" and "in 2 weeks" from today', () => {
    const f = facts('Post on X in 3 days at 9am ET. Post on FB in 2 weeks at 9am ET.');
    expect(f.timing.map((t) => t.date)).toEqual(['2026-11-28', '2026-12-09']);
  });
});
