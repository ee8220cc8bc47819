/**
 * @module
 * `startRuleEngine`: evaluates a campaign's rules each time new metrics of it are stored (from
 * a collection's events) and reports every evaluation; `stop()` unsubscribes.
 */
import {
  filter,
  mergeMap,
  Subject,
  type Observable,
  type Subscription,
  from,
  groupBy,
  concatMap,
} from 'rxjs';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { CollectionEvent } from './metrics-collector.js';
import type { RuleEngine, RuleEvaluation } from './rule-engine.js';

/** A running rule loop. */
export interface RuleLoop {
  /** Every evaluation, as it happens. */
  readonly evaluations: Observable<RuleEvaluation & { readonly campaignId: string }>;
  /** Evaluates one campaign now (e.g. on a timer, for windows that pass without new data). */
  evaluate(campaignId: string): void;
  /** Stops listening; evaluations in flight finish. */
  stop(): void;
}

/**
 * Wires a rule engine to metric collection.
 * @example
 * const loop = startRuleEngine(engine, collection$, (id) => store.getCampaign(id).then((c) => c!.spec));
 * loop.evaluations.subscribe((e) => log(e.explanation));
 */
export function startRuleEngine(
  engine: RuleEngine,
  metrics: Observable<CollectionEvent>,
  specOf: (campaignId: string) => Promise<CampaignSpec> | CampaignSpec,
  onError: (error: unknown) => void = () => undefined,
): RuleLoop {
  const requests = new Subject<string>();
  const evaluations = new Subject<RuleEvaluation & { readonly campaignId: string }>();
  const loop: Subscription = requests
    .pipe(
      groupBy((id) => id),
      // One evaluation at a time per campaign; campaigns in parallel.
      mergeMap((group) =>
        group.pipe(
          concatMap(async (campaignId) => {
            try {
              const results = await engine.evaluate(campaignId, await specOf(campaignId));
              return results.map((r) => ({ ...r, campaignId }));
            } catch (error) {
              onError(error);
              return [];
            }
          }),
        ),
      ),
      mergeMap((results) => from(results)),
    )
    .subscribe((evaluation) => {
      evaluations.next(evaluation);
    });
  const source = metrics
    .pipe(
      filter(
        (e): e is Extract<CollectionEvent, { type: 'metrics.stored' }> =>
          e.type === 'metrics.stored',
      ),
    )
    .subscribe({
      next: (event) => {
        requests.next(event.target.campaignId);
      },
      error: onError,
    });
  return {
    evaluations,
    evaluate: (campaignId) => {
      requests.next(campaignId);
    },
    stop: () => {
      source.unsubscribe();
      requests.complete();
      loop.add(() => {
        evaluations.complete();
      });
    },
  };
}
