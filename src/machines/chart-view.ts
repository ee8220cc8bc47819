/**
 * @module
 * A readable view of a campaign's state charts (`herald parse --format machine`), read from the
 * charts themselves — their state nodes and transitions — plus the compiled input, so the view
 * cannot drift from what runs.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { campaignMachine } from './campaign-machine.js';
import { describeTiming, type CompiledCampaign } from './compile-campaign.js';
import { stepMachine } from './step-machine.js';

/** One edge of a chart: `event` (guarded by `guard`, when it is) moves `from` to `to`. */
export interface ChartTransition {
  readonly from: string;
  /**
   * The event's type; `done: <actor>` / `error: <actor>` for a child actor's outcome (its id),
   * `after <delay>` for a timer, `always` for an eventless transition.
   */
  readonly event: string;
  readonly guard?: string;
  readonly to: string;
}

/** A chart's states (dotted paths, parents before children) and its edges. */
export interface ChartDefinition {
  readonly states: readonly string[];
  readonly transitions: readonly ChartTransition[];
}

/** The readable view of a compiled campaign. */
export interface ChartView {
  readonly id: string;
  /** The campaign chart. */
  readonly campaign: ChartDefinition;
  /** The chart every step runs, one spawned actor per step. */
  readonly step: ChartDefinition;
  /** The compiled steps: what each one does, when, and which steps it waits for. */
  readonly steps: readonly {
    readonly id: string;
    readonly action: string;
    readonly platform: string;
    readonly timing: string;
    readonly waitsFor: readonly string[];
  }[];
}

/**
 * The view of `compiled` (from {@link compileCampaign} of `spec`).
 * @example
 * chartView(spec, compileCampaign(spec)).campaign.transitions[0]; // { from: 'draft', event: 'campaign.schedule', to: 'scheduled' }
 */
export function chartView(spec: CampaignSpec, compiled: CompiledCampaign): ChartView {
  return {
    id: compiled.input.campaignId,
    campaign: chartDefinition(campaignMachine),
    step: chartDefinition(stepMachine),
    steps: compiled.input.steps.map((step, i) => {
      const source = spec.steps[i]!;
      return {
        id: step.id,
        action: source.action,
        platform: source.platform,
        timing: describeTiming(source.timing),
        waitsFor: step.prerequisites,
      };
    }),
  };
}

/** The states and transitions of `machine`, read from its state nodes. */
export function chartDefinition(machine: AnyStateMachine): ChartDefinition {
  const states: string[] = [];
  const transitions: ChartTransition[] = [];
  const visit = (node: AnyStateNode): void => {
    const from = pathOf(node);
    if (from !== '') states.push(from);
    const actors = new Map(
      node.invoke.map((invoke) => [
        invoke.id,
        typeof invoke.src === 'string' ? invoke.src : invoke.id,
      ]),
    );
    const edges = [...node.transitions.values()].flat().concat(node.always ?? []);
    for (const edge of edges) {
      // A transition without a target handles the event and stays: shown as a loop.
      for (const target of edge.target?.length ? edge.target : [node]) {
        const guard = edge.guard === undefined ? undefined : guardName(edge.guard);
        transitions.push({
          from: from === '' ? '*' : from,
          event: eventName(String(edge.eventType), actors),
          ...(guard === undefined ? {} : { guard }),
          to: pathOf(target),
        });
      }
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return { states, transitions };
}

function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

function eventName(type: string, actors: ReadonlyMap<string, string>): string {
  if (type === '') return 'always';
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (outcome) return `${outcome[1]!}: ${actors.get(outcome[2]!) ?? outcome[2]!}`;
  const timer = /^xstate\.after\.([^.]+)\./.exec(type);
  if (timer) return `after ${timer[1]!}`;
  return type;
}

/** A guard as written: its name, `a and b` for combinators, `condition` for an inline function. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const word = guard.name === 'or' ? ' or ' : guard.name === 'not' ? 'not ' : ' and ';
    const parts = (guard.guards as unknown[]).map(guardName);
    return word === 'not ' ? `not ${parts.join('')}` : parts.join(word);
  }
  return 'condition';
}
