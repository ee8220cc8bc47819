import { Readable } from 'node:stream';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/parse-command.js';
import { campaignMachine } from '../../src/machines/campaign-machine.js';
import type { ChartDefinition, ChartView } from '../../src/machines/chart-view.js';
import { stepMachine } from '../../src/machines/step-machine.js';

const TEXT =
  'Campaign "Launch". Post on LinkedIn on December 2, 2026 at 9am Europe/Berlin. ' +
  'One hour later, email the newsletter list.';

async function machineView(): Promise<ChartView> {
  const out: string[] = [];
  const io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: () => true },
    stdin: Readable.from([TEXT]),
  };
  const code = await parseCommand(['--format', 'machine', '--now', '2026-11-25T12:00:00Z'], io);
  expect(code).toBe(0);
  return JSON.parse(out.join('')) as ChartView;
}

/** `from → to` for every edge xstate's own graph reader finds in `machine`. */
function graphEdges(node: DirectedGraphNode, root: string): Set<string> {
  const path = (id: string) => (id === root ? '*' : id.slice(root.length + 1));
  const edges = new Set(node.edges.map((e) => `${path(e.source.id)} → ${path(e.target.id)}`));
  for (const child of node.children) for (const edge of graphEdges(child, root)) edges.add(edge);
  return edges;
}

const pairs = (chart: ChartDefinition) =>
  new Set(chart.transitions.map((t) => `${t.from} → ${t.to}`));

describe('herald parse --format machine', () => {
  it("shows every edge of the campaign and step charts that xstate's graph reader finds", async () => {
    const view = await machineView();
    for (const [chart, machine] of [
      [view.campaign, campaignMachine],
      [view.step, stepMachine],
    ] as const) {
      const missing = [...graphEdges(toDirectedGraph(machine), machine.id)].filter(
        (edge) => !pairs(chart).has(edge),
      );
      expect(missing).toEqual([]);
    }
  });

  it('includes the edges a hand-written table had lost, with their events and guards', async () => {
    const view = await machineView();
    const campaign = pairs(view.campaign);
    for (const edge of [
      'paused → scheduled',
      'scheduled → failed',
      'paused → completed',
      'paused → failed',
      'running → completed',
      '* → cancelled',
    ]) {
      expect(campaign.has(edge), edge).toBe(true);
    }
    expect(view.campaign.transitions).toContainEqual({
      from: 'scheduled',
      // The start deadline is a spawned child named `start` (no invoke in the charts).
      event: 'error: start',
      to: 'failed',
    });
    expect(view.campaign.transitions).toContainEqual({
      from: 'running',
      event: 'always',
      guard: 'allSettled',
      to: 'completed',
    });
    expect(view.step.states).toContain('cancelled');
    expect(view.steps.map((s) => [s.id, s.waitsFor])).toEqual([
      [view.steps[0]!.id, []],
      [view.steps[1]!.id, [view.steps[0]!.id]],
    ]);
  });
});
