/**
 * @module
 * Builds steps from clauses. Channels listed together form a group that shares the timing
 * stated beside them ("at 8am ET on Fri Nov 27: Instagram, Facebook and TikTok + the
 * newsletter" is four steps with one timing); a header clause with no channel shares its
 * timing with every group of its sentence; a sentence with timing but no channel completes
 * the steps before it ("Start Dec 7."); "once X, Y" anchors Y to X.
 */
import type { Issue } from '../errors.js';
import { supportsAction } from '../spec/platforms.js';
import { type Mention, clauseMentions } from './clause-mentions.js';
import { type Clause, splitClauses } from './clause-splitter.js';
import { type DraftStep, type PlacedAttr, applyAttr } from './draft-step.js';
import { familyOf, resolveReference } from './reference-resolver.js';
import type { SentenceReading } from './sentence-reader.js';
import type { Item } from './text-scanner.js';

/** Reads steps out of sentences, collecting unknown platforms as issues. */
export class StepAssembler {
  readonly steps: DraftStep[] = [];
  readonly issues: Issue[] = [];
  private pendingLeading: PlacedAttr[] = [];
  private readonly lazyAnchors: { steps: readonly number[]; words: readonly string[] }[] = [];
  /** Dates and zones of an opening sentence with no channel ("Product launch Dec 2."), for every step. */
  private readonly defaults: PlacedAttr[] = [];
  private previousSentence: number[] = [];

  /** @param text the whole input, for messages. */
  constructor(private readonly text: string) {}

  private abTest = false;
  /** Sentences that say "again": a repeated step there is meant. */
  private readonly again = new Set<number>();

  /** Adds the steps of one sentence. */
  addSentence(reading: SentenceReading, sentence: number): void {
    this.abTest = reading.abTest;
    if (reading.scanner.tokens.some((t) => t.norm === 'again')) this.again.add(sentence);
    const span = (item: Item): readonly [number, number] =>
      reading.scanner.span(item.first, item.last);
    const report = reading.items.some((i) => i.kind === 'verb' && i.action === 'report');
    const groups: number[][] = [];
    const leading: PlacedAttr[] = [];
    let pending: Mention[] = [];
    let anchor: number | undefined;
    let lazy: readonly string[] | undefined;
    const attrsOf = (clause: Clause): Extract<Item, { kind: 'attr' }>[] =>
      clause.items.filter(
        (i): i is Extract<Item, { kind: 'attr' }> => i.kind === 'attr' && i.attr.type !== 'anchor',
      );
    const place = (
      items: readonly Extract<Item, { kind: 'attr' }>[],
      before: number,
    ): PlacedAttr[] =>
      items.map((i) => {
        const placed = { attr: i.attr, span: span(i) };
        if (i.attr.type !== 'relative') return placed;
        const anchorStep = resolveReference(i.attr.anchor, this.steps, before);
        return anchorStep === undefined ? placed : { ...placed, anchorStep };
      });
    let forward: Extract<Item, { kind: 'attr' }>[] = [];
    const own: (readonly Extract<Item, { kind: 'attr' }>[] | undefined)[] = [];
    const flush = (attrs: readonly Extract<Item, { kind: 'attr' }>[]): void => {
      const all = [...forward, ...attrs];
      const named = new Set(pending.filter((m) => !m.generic).map((m) => familyOf(m.platform)));
      const merged = pending.filter((m) => !m.generic || !named.has(familyOf(m.platform)));
      const group = this.group(merged, all, place, sentence, anchor);
      if (group.length > 0) own.push(all.length > 0 || anchor !== undefined ? all : undefined);
      forward = [];
      if (group.length > 0) groups.push(group);
      if (lazy !== undefined) this.lazyAnchors.push({ steps: group, words: lazy });
      lazy = undefined;
      anchor = undefined;
      pending = [];
    };
    // "Sync them to Meta ads and Google Ads": the list is split into clauses, and a sync verb
    // carries over to the channels listed after it.
    let syncing = false;
    for (const clause of splitClauses(reading)) {
      const attrs = attrsOf(clause);
      let mentions = clauseMentions(clause, span, report, this.text, this.issues);
      const verbs = clause.items.filter((i) => i.kind === 'verb');
      if (verbs.length > 0) syncing = verbs.some((v) => v.action === 'audience_sync');
      else if (syncing)
        mentions = mentions.map((m) =>
          supportsAction(m.platform, 'audience_sync') ? { ...m, action: 'audience_sync' } : m,
        );
      if (clause.anchor) {
        anchor = this.anchorOf(mentions, clause, place, sentence);
        lazy = anchor === undefined ? clause.words : undefined;
        continue;
      }
      const verb = clause.items.find(
        (i) => i.kind === 'verb' && (i.action === 'ad_pause' || i.action === 'budget_change'),
      );
      if (mentions.length === 0 && verb?.kind === 'verb' && attrs.length > 0) {
        const platforms = [
          ...new Set(this.steps.filter((s) => s.action === 'ad_launch').map((s) => s.platform)),
        ];
        mentions = platforms.map((platform) => ({
          platform,
          action: verb.action,
          span: span(verb),
        }));
      }
      const tested = this.steps.findLast((s) => s.ab === true);
      const winner =
        ['winner', 'winning', 'better', 'best'].some((w) => clause.words.includes(w)) &&
        ['send', 'shift', 'move', 'pick', 'put', 'give', 'switch', 'roll'].some((w) =>
          clause.words.includes(w),
        );
      if (mentions.length === 0 && winner && tested !== undefined) {
        const action = tested.action === 'ad_launch' ? 'budget_change' : tested.action;
        const where = reading.scanner.span(0, 0);
        mentions = [
          { platform: tested.platform, action, span: where, winner: reading.metric ?? 'default' },
        ];
      }
      const unknownOnly = clause.items.some(
        (i) => i.kind === 'channel' && i.word.platform === 'unknown',
      );
      if (mentions.length === 0) {
        if (attrs.length === 0 || unknownOnly) continue;
        const last = groups.at(-1);
        if (
          (pending.length > 0 || last !== undefined) &&
          attrs.every((a) => a.attr.type === 'relative')
        ) {
          if (pending.length > 0) flush([]);
          forward.push(...attrs);
          continue;
        }
        if (pending.length > 0) flush(attrs);
        else if (last !== undefined)
          this.apply(last, this.moreDates(last, place(attrs, last[0]!)), true);
        else leading.push(...place(attrs, this.steps.length));
        continue;
      }
      const firstMention = clause.items.find((i) => i.kind === 'channel')?.first ?? Infinity;
      const opensGroup = forward.length > 0 || attrs.some((a) => a.first < firstMention);
      if (pending.length > 0 && attrs.length > 0 && opensGroup) flush([]);
      if (groups.length === 0)
        leading.push(
          ...place(
            attrs.filter((a) => a.first < firstMention && a.attr.type !== 'relative'),
            this.steps.length,
          ),
        );
      pending.push(...mentions);
      // "at 7am PT the Google and Meta ads": timing stated first carries over the channels listed after it.
      if (attrs.length > 0 && attrs.every((a) => a.first < firstMention)) forward.push(...attrs);
      else if (attrs.length > 0) flush(attrs);
    }
    if (pending.length > 0) flush([]);
    if (forward.length > 0) this.apply(groups.at(-1)!, place(forward, groups.at(-1)![0]!), true);
    const mine = groups.flat();
    groups.forEach((group, g) => {
      const previous = own.slice(0, g).findLast((a) => a !== undefined);
      if (own[g] === undefined && previous !== undefined)
        this.apply(group, place(previous, group[0]!), true);
      this.apply(group, [...leading, ...this.pendingLeading, ...this.defaults], true);
    });
    if (mine.length > 0) this.pendingLeading = [];
    else {
      const relative = leading.filter((a) => a.attr.type === 'relative');
      this.pendingLeading.push(...relative);
      const rest = leading.filter((a) => a.attr.type !== 'relative');
      if (this.previousSentence.length > 0) this.apply(this.previousSentence, rest, true);
      else {
        this.pendingLeading.push(...rest);
        this.defaults.push(...rest.filter((a) => a.attr.type === 'date' || a.attr.type === 'zone'));
      }
    }
    this.shareZones(mine);
    if (mine.length > 0) this.previousSentence = mine;
  }

  private apply(indexes: readonly number[], attrs: readonly PlacedAttr[], fill: boolean): void {
    const previous = this.steps[Math.min(...indexes) - 1];
    for (const index of indexes) {
      for (const placed of attrs) {
        if (placed.anchorStep !== index) applyAttr(this.steps[index]!, placed, fill, previous);
      }
    }
  }

  private anchorOf(
    mentions: Mention[],
    clause: Clause,
    place: (i: readonly Extract<Item, { kind: 'attr' }>[], before: number) => PlacedAttr[],
    sentence: number,
  ): number | undefined {
    const known = mentions.map((m) =>
      this.steps.findIndex((s) => s.platform === m.platform && s.action === m.action),
    );
    if (mentions.length > 0 && known.some((k) => k < 0)) {
      const attrs = clause.items.filter(
        (i): i is Extract<Item, { kind: 'attr' }> => i.kind === 'attr' && i.attr.type !== 'anchor',
      );
      return this.group(mentions, attrs, place, sentence, undefined)[0];
    }
    if (mentions.length > 0) return known[0];
    return resolveReference(clause.words, this.steps, this.steps.length);
  }

  /**
   * "Email them on Dec 9 and Dec 16": a date listed after a step's own date, in the same
   * sentence, is another send of the same step. The date is kept aside and the others applied.
   */
  private moreDates(indexes: readonly number[], attrs: readonly PlacedAttr[]): PlacedAttr[] {
    const rest: PlacedAttr[] = [];
    for (const placed of attrs) {
      const { attr } = placed;
      const repeats =
        attr.type === 'date' &&
        attr.role === undefined &&
        attr.date !== undefined &&
        indexes.every(
          (i) => this.steps[i]!.date !== undefined && this.steps[i]!.date !== attr.date,
        );
      if (!repeats) rest.push(placed);
      else for (const i of indexes) (this.steps[i]!.repeats ??= []).push(attr.date);
    }
    return rest;
  }

  /** Copies each step once per extra date, right after it, keeping anchors on the same steps. */
  private repeat(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i]!;
      const dates = step.repeats ?? [];
      if (dates.length === 0) continue;
      delete step.repeats;
      for (const s of this.steps) if (s.after !== undefined && s.after > i) s.after += dates.length;
      const copies = dates.map((date) => ({ ...step, date, problems: [...step.problems] }));
      this.steps.splice(i + 1, 0, ...copies);
    }
  }

  /** A step stated twice with the same timing (a pasted sentence) is sent once, and said so. */
  private dropDuplicates(): void {
    const key = (s: DraftStep): string =>
      JSON.stringify([
        s.platform,
        s.action,
        s.time,
        s.date,
        s.zone,
        s.local,
        s.recurrence,
        s.start,
        s.after,
        s.offset,
        s.budget,
      ]);
    for (let j = this.steps.length - 1; j > 0; j--) {
      const later = this.steps[j]!;
      if (this.again.has(later.sentence)) continue;
      const i = this.steps.findIndex(
        (s, k) =>
          k < j &&
          s.timed &&
          later.timed &&
          s.problems.length === 0 &&
          later.problems.length === 0 &&
          key(s) === key(later),
      );
      if (i < 0) continue;
      this.steps.splice(j, 1);
      for (const s of this.steps)
        if (s.after === j) s.after = i;
        else if (s.after !== undefined && s.after > j) s.after -= 1;
      this.issues.push({
        code: 'duplicate_step',
        path: ['steps'],
        span: later.span,
        message: 'this step repeats an earlier one with the same timing, so it is sent once',
        suggestions: ['give it another time if it should be sent twice'],
      });
    }
  }

  /** Resolves "once X, Y" where X is only described later in the text. */
  finish(): void {
    for (const { steps, words } of this.lazyAnchors) {
      const target = resolveReference(words, this.steps, this.steps.length, false);
      for (const i of steps) {
        const step = this.steps[i]!;
        if (target !== undefined && target !== i && !step.timed)
          Object.assign(step, { after: target, offset: 'PT0S', timed: true });
      }
    }
    this.repeat();
    this.dropDuplicates();
  }

  /** Creates (or finds) the steps of a group and applies its attributes. */
  private group(
    mentions: readonly Mention[],
    attrs: readonly Extract<Item, { kind: 'attr' }>[],
    place: (i: readonly Extract<Item, { kind: 'attr' }>[], before: number) => PlacedAttr[],
    sentence: number,
    anchor: number | undefined,
  ): number[] {
    const before = this.steps.length;
    const placed = place(attrs, before);
    const indexes: number[] = [];
    for (const m of mentions) {
      const existing = this.steps.findIndex(
        (s) =>
          m.winner === undefined &&
          s.platform === m.platform &&
          s.action === m.action &&
          ((attrs.length === 0 && anchor === undefined) || !s.timed),
      );
      if (existing >= 0) {
        if (!indexes.includes(existing)) indexes.push(existing);
        continue;
      }
      const step: DraftStep = { ...m, sentence, problems: [], timed: false };
      if (m.winner === undefined && this.abTest) step.ab = true;
      indexes.push(this.steps.push(step) - 1);
    }
    const fresh = indexes.filter((i) => i >= before);
    this.apply(indexes, placed, false);
    if (anchor !== undefined) {
      for (const i of fresh)
        if (this.steps[i]!.after === undefined && i !== anchor)
          Object.assign(this.steps[i]!, { after: anchor, offset: 'PT0S', timed: true });
    }
    return indexes;
  }

  /** A zone stated once in a sentence applies to its other clock times ("9am London time, the email at 10am"). */
  private shareZones(indexes: readonly number[]): void {
    const zoned = indexes.map((i) => this.steps[i]!).filter((s) => s.zone !== undefined);
    for (const i of indexes) {
      const step = this.steps[i]!;
      if (
        step.zone !== undefined ||
        step.local === true ||
        zoned.length === 0 ||
        step.after !== undefined
      )
        continue;
      if (step.time !== undefined || step.problems.some((p) => p.field === 'time'))
        step.zone = zoned[0]!.zone!;
    }
  }
}
