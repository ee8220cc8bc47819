/**
 * @module
 * `RunConfiguration`: how a campaign of the embedded mode runs — where its audience comes from,
 * which platform accounts it talks to, which clock it waits on and which store holds it. Saved
 * with the campaign at launch, so whoever resumes, pauses or cancels it later runs it in
 * exactly that configuration; a different configuration given explicitly is refused, naming
 * what differs.
 */
import { z } from 'zod';

/** Version of the saved form; another version is refused on read. */
export const RUN_CONFIGURATION_VERSION = 1;

/**
 * Where a campaign's recipients come from. The synthetic sandbox audience is regenerated from
 * its size, seed and generation instant: the same three give the same people and events.
 */
export const AudienceSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sandbox'),
    /** Synthetic profiles. */
    profiles: z.number().int().positive(),
    seed: z.number().int(),
    /** Epoch ms the profiles' recent events are placed before. */
    generatedAt: z.number().int(),
  }),
  /** The audience a project file (`herald.yaml`) names, read from it again on resume. */
  z.object({ kind: z.literal('project'), file: z.string() }),
]);
/** Where a campaign's recipients come from. */
export type AudienceSource = z.infer<typeof AudienceSource>;

/** The platform accounts a campaign's steps talk to. */
export const PlatformAccounts = z.discriminatedUnion('kind', [
  /** A sandbox started inside each `herald` process (it forgets deliveries when it ends). */
  z.object({ kind: z.literal('embedded-sandbox') }),
  /** A `herald sandbox` process serving at `url` (its control address). */
  z.object({ kind: z.literal('external-sandbox'), url: z.url() }),
  /** The accounts a project file (`herald.yaml`) names. */
  z.object({ kind: z.literal('project'), file: z.string() }),
]);
/** The platform accounts a campaign's steps talk to. */
export type PlatformAccounts = z.infer<typeof PlatformAccounts>;

/**
 * The clock a campaign waits on. A simulated clock starts at `startsAt`; on a restart it goes
 * on from the latest instant the campaign's state was saved at.
 */
export const ClockMode = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('simulated'), startsAt: z.number().int() }),
  z.object({ mode: z.literal('real') }),
]);
/** The clock a campaign waits on. */
export type ClockMode = z.infer<typeof ClockMode>;

/** How a campaign runs, saved with it at launch. */
export const RunConfiguration = z.object({
  version: z.literal(RUN_CONFIGURATION_VERSION),
  audience: AudienceSource,
  platforms: PlatformAccounts,
  clock: ClockMode,
  /** The store the campaign was launched in (shown by `herald status`). */
  store: z.object({ kind: z.literal('sqlite'), path: z.string() }),
});
/** How a campaign runs, saved with it at launch. */
export type RunConfiguration = z.infer<typeof RunConfiguration>;

/** What a command line says about the configuration; absent fields were not given. */
export interface GivenConfiguration {
  readonly audienceProfiles?: number;
  readonly sandboxUrl?: string;
  /** True only when `--real-time` was given. */
  readonly realTime?: boolean;
  /** `--now`, epoch ms. */
  readonly startsAt?: number;
}

/**
 * The ways `given` contradicts `saved`, one sentence each (empty when it does not).
 * @example
 * configurationDifferences(saved, { audienceProfiles: 500 });
 * // ['--audience-size 500, but it was launched with 3000 sandbox profiles']
 */
export function configurationDifferences(
  saved: RunConfiguration,
  given: GivenConfiguration,
): string[] {
  const differences: string[] = [];
  const profiles = saved.audience.kind === 'sandbox' ? saved.audience.profiles : undefined;
  if (given.audienceProfiles !== undefined && given.audienceProfiles !== profiles) {
    differences.push(
      `--audience-size ${String(given.audienceProfiles)}, but it was launched with ${profiles === undefined ? `the audience of ${saved.audience.kind === 'project' ? saved.audience.file : 'its project'}` : `${String(profiles)} sandbox profiles`}`,
    );
  }
  if (given.sandboxUrl !== undefined) {
    const savedUrl = saved.platforms.kind === 'external-sandbox' ? saved.platforms.url : undefined;
    if (given.sandboxUrl !== savedUrl) {
      differences.push(
        `sandbox ${given.sandboxUrl}, but it was launched against ${savedUrl ?? 'the embedded sandbox'}`,
      );
    }
  }
  if (given.realTime === true && saved.clock.mode !== 'real') {
    differences.push('--real-time, but it was launched on simulated time');
  }
  if (
    given.startsAt !== undefined &&
    (saved.clock.mode !== 'simulated' || saved.clock.startsAt !== given.startsAt)
  ) {
    differences.push(
      `--now ${new Date(given.startsAt).toISOString()}, but it was launched ${saved.clock.mode === 'simulated' ? `at ${new Date(saved.clock.startsAt).toISOString()}` : 'on real time'}`,
    );
  }
  return differences;
}

/** One line saying how a campaign runs, for `herald status`. */
export function describeConfiguration(config: RunConfiguration): string {
  const platforms =
    config.platforms.kind === 'external-sandbox'
      ? `the sandbox at ${config.platforms.url}`
      : config.platforms.kind === 'project'
        ? `the accounts of ${config.platforms.file}`
        : 'the embedded sandbox';
  const audience =
    config.audience.kind === 'sandbox'
      ? `${String(config.audience.profiles)} synthetic profiles (seed ${String(config.audience.seed)})`
      : `the audience of ${config.audience.file}`;
  return `${audience} on ${platforms}, ${describeClock(config)}, store ${config.store.path}`;
}

/** How a campaign's time passes, in words: "real time" or "simulated time from <ISO>". */
export function describeClock(config: RunConfiguration): string {
  return config.clock.mode === 'real'
    ? 'real time'
    : `simulated time from ${new Date(config.clock.startsAt).toISOString()}`;
}
