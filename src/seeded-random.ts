/**
 * @module
 * Herald's one seeded PRNG (mulberry32) and one string hash (FNV-1a): reproducible sandbox ids
 * and metrics, bandit draws, retry jitter and A/B variant assignment.
 */

/**
 * Returns a generator of floats in [0, 1) determined by `seed`.
 * @example
 * const random = seededRandom(42); random(); // always the same first value
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * FNV-1a hash of `text`, an integer in [0, 2^32): seeds per-key generators and spreads keys.
 * @example
 * fnv1a('') === 2_166_136_261;
 */
export function fnv1a(text: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16_777_619);
  }
  return hash >>> 0;
}
