/**
 * Scores the plain-English parser on a labelled corpus of `{"id","text","expect"}` lines
 * (docs/nl/FACTS.md): facts F1 overall and per field, descriptions read entirely right, ambiguity
 * recall, false alarms on clear texts and silent misreadings.
 *
 *   npm run score:nl -- test/fixtures/nl/development.jsonl [--json] [--failures] [--now ISO]
 *
 * `--failures` lists every description read wrong, with the facts expected and read.
 */
import { parseArgs } from 'node:util';
import {
  FIELDS,
  REFERENCE_NOW,
  loadSamples,
  scoreCorpus,
  summarize,
} from '../test/nl/facts-scoring.js';

const { values, positionals } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    failures: { type: 'boolean', default: false },
    now: { type: 'string', default: REFERENCE_NOW },
  },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write(
    'usage: npm run score:nl -- <file.jsonl> [more.jsonl…] [--json] [--failures] [--now ISO]\n',
  );
  process.exit(2);
}
const samples = positionals.flatMap((file) => loadSamples(file));
const scored = scoreCorpus(samples, values.now);
const report = summarize(scored);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number): string => x.toFixed(3);

if (values.json) {
  const wrong = scored.filter((s) => s.wrong.length > 0);
  process.stdout.write(
    `${JSON.stringify(
      {
        files: positionals,
        ...report,
        wrong: wrong.map((s) => ({ id: s.id, fields: s.wrong, silent: s.silent })),
        falseAlarmIds: scored.filter((s) => s.falseAlarm).map((s) => s.id),
      },
      null,
      2,
    )}\n`,
  );
} else {
  const lines = [
    `descriptions            ${report.descriptions} (${positionals.join(', ')})`,
    `facts F1                ${num(report.factsF1)}`,
    ...FIELDS.map(
      (f) =>
        `  ${f.padEnd(22)}F1 ${num(report.fields[f].f1)}  (P ${num(report.fields[f].precision)}, R ${num(report.fields[f].recall)})`,
    ),
    `entirely right          ${pct(report.entirelyRight)}`,
    `ambiguity recall        ${num(report.ambiguityRecall)}`,
    `false alarms (clear)    ${report.falseAlarms}/${report.clearTexts} = ${pct(report.falseAlarmRate)}`,
    `silent misreadings      ${report.silentMisreadings}/${report.descriptions} = ${pct(report.silentRate)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.failures)
    for (const s of scored.filter((x) => x.wrong.length > 0 || x.falseAlarm)) {
      process.stdout.write(
        `\n${s.id}${s.silent.length > 0 ? ' SILENT' : ''}${s.falseAlarm ? ' FALSE-ALARM' : ''}: ${s.wrong.join(', ')}\n`,
      );
      for (const f of s.wrong)
        process.stdout.write(
          `  ${f}\n    want ${JSON.stringify(s.expect[f])}\n    got  ${JSON.stringify(s.facts[f])}\n`,
        );
      const codes = s.diagnostics.map((d) => d.code);
      if (codes.length > 0) process.stdout.write(`  diagnostics ${codes.join(', ')}\n`);
    }
}
