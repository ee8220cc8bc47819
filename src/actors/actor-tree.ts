/**
 * @module
 * A readable view of a campaign's actors — each actor's state, a context summary and its
 * recent events — built from a persisted snapshot, so it works on a live campaign and on one
 * read back from the store by another process.
 */
import type { ActorEventRecord } from '../store/herald-store.js';

/** One actor in the tree. */
export interface ActorView {
  readonly id: string;
  /** Dotted state path, e.g. `active.scheduled`. */
  readonly state: string;
  /** Short facts from its context. */
  readonly summary: Readonly<Record<string, unknown>>;
  readonly children: readonly ActorView[];
  readonly events: readonly ActorEventRecord[];
}

interface PersistedLike {
  value?: unknown;
  status?: string;
  context?: Record<string, unknown>;
  children?: Record<string, { snapshot?: PersistedLike }>;
}

/** Renders a state value (`{ active: 'scheduled' }`) as `active.scheduled`. */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}.${statePath(inner)}`)
      .join(',');
  }
  return String(value);
}

const SUMMARY_KEYS = [
  'attempt',
  'plan',
  'retryAt',
  'result',
  'error',
  'skipReason',
  'startsAt',
  'status',
  'anchorDoneAt',
  'progress',
  'position',
  'deferrals',
  'pauseRequested',
];

/** Builds the actor tree of a campaign from its persisted snapshot and recent events. */
export function actorTree(
  id: string,
  snapshot: unknown,
  events: readonly ActorEventRecord[],
): ActorView {
  const s = snapshot as PersistedLike;
  const summary = Object.fromEntries(
    Object.entries(s.context ?? {}).filter(([k, v]) => SUMMARY_KEYS.includes(k) && v !== undefined),
  );
  return {
    id,
    state: statePath(s.value),
    summary,
    events: events.filter((e) => e.actor === id),
    children: Object.entries(s.children ?? {}).map(([childId, child]) =>
      actorTree(childId, child.snapshot ?? {}, events),
    ),
  };
}

/** Renders the tree as indented text for `herald inspect`. */
export function formatActorTree(view: ActorView, indent = ''): string {
  const facts = Object.entries(view.summary)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const lines = [`${indent}${view.id} [${view.state}]${facts ? ` ${facts}` : ''}`];
  for (const event of view.events) {
    lines.push(`${indent}  · ${new Date(event.at).toISOString()} ${event.type} ${event.summary}`);
  }
  for (const child of view.children) lines.push(formatActorTree(child, `${indent}  `));
  return lines.join('\n');
}
