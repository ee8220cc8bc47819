/**
 * @module
 * `herald preview <campaign> --recipient <id>`: shows each step's message exactly as that
 * recipient would receive it (merge fields filled in, UTM parameters added, HTML escaped),
 * in the project in this folder. Sends nothing.
 */
import { HeraldError } from '../errors.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';
import { loadCampaignFile } from './load-campaign.js';
import { commandProject, fitCampaign, renderedFor } from './project-run.js';

const USAGE = 'herald preview <campaign> --recipient ID [--format text|json] [--project FILE]';

/** `herald preview`. */
export const previewCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    {
      recipient: { type: 'string' },
      format: { type: 'string', default: 'text' },
      project: { type: 'string' },
    },
    USAGE,
  );
  const file = positionals[0];
  if (file === undefined || values.recipient === undefined)
    throw new HeraldError('bad_arguments', `which campaign and recipient? usage: ${USAGE}`);
  if (values.format !== 'text' && values.format !== 'json')
    throw new HeraldError('bad_arguments', `--format ${values.format}: use text or json`);
  const now = Date.now();
  const project = await commandProject(io, values.project, now);
  if (project === undefined)
    throw new HeraldError(
      'no_project',
      'preview needs a project: there is no herald.yaml here; create one with: herald init',
    );
  const { spec } = fitCampaign(
    project,
    await loadCampaignFile(file, io.cwd ?? process.cwd(), now),
    file,
  );
  const profile = project.audience.profiles.find((p) => p.id === values.recipient);
  if (profile === undefined)
    throw new HeraldError(
      'unknown_recipient',
      `${values.recipient} is not in the project's audience (ids come from its "id" column)`,
    );
  const steps = spec.steps.map((step) => ({
    step: step.id,
    action: step.action,
    ...renderedFor(spec, step, project, profile),
  }));
  if (values.format === 'json') {
    io.stdout.write(`${JSON.stringify({ recipient: profile.id, steps }, null, 2)}\n`);
    return 0;
  }
  for (const s of steps) {
    io.stdout.write(
      `── ${s.step}: ${s.action} on ${s.platform}, for ${profile.id}${profile.email ? ` <${profile.email}>` : ''}\n`,
    );
    const c = s.content;
    if (c.subject !== undefined) io.stdout.write(`Subject: ${c.subject}\n`);
    if (c.link !== undefined) io.stdout.write(`Link: ${c.link}\n`);
    if (c.text !== undefined) io.stdout.write(`\n${c.text}\n`);
    if (c.html !== undefined) io.stdout.write(`\n-- HTML --\n${c.html}\n`);
    io.stdout.write('\n');
  }
  return 0;
};
