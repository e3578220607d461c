/**
 * `hvsim check <file|name> [--json]`: judges a scenario against the support
 * policy (`scenario/policy/`) without running it. Prints, for the host and
 * each VM, supported or not, and each broken rule with what broke it (the
 * field path), its quotes and their sources. Exit 0 when every rule holds,
 * 1 when any is broken, 2 on bad input, as the other verbs do. Also the
 * short policy lines `hvsim run` adds to its report.
 */
import { brokenRulesText, checkPolicy, type BrokenRule, type PolicyQuote, type PolicyVerdicts, type VmVerdict } from '../scenario/index.js';
import { loadScenario } from './commands.js';
import { EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';

/** `hvsim check`: judge a scenario against the support policy. */
export interface CheckCommand {
  kind: 'check';
  /** A scenario file or a bundled scenario's name. */
  target: string;
  format: 'text' | 'json';
}

/** Parses the words after `check`. */
export function parseCheckArgs(rest: readonly string[]): { ok: true; command: CheckCommand } | { ok: false; message: string } {
  let target: string | undefined;
  let json = false;
  for (const word of rest) {
    if (word === '--json') json = true;
    else if (word.startsWith('--json=')) return { ok: false, message: "'--json' takes no value" };
    else if (word.startsWith('-') && word !== '-') return { ok: false, message: `unknown option '${word}' for 'check'` };
    else if (target === undefined) target = word;
    else return { ok: false, message: `'check' takes one scenario, found also '${word}'` };
  }
  if (target === undefined) return { ok: false, message: "'check' needs a scenario file or bundled scenario name" };
  return { ok: true, command: { kind: 'check', target, format: json ? 'json' : 'text' } };
}

/** `hvsim check <file|name> [--json]`. */
export function checkCommand(io: CliIo, command: CheckCommand): number {
  const loaded = loadScenario(io, command.target);
  if (typeof loaded === 'number') return loaded;
  const verdicts = checkPolicy(loaded.scenario);
  if (command.format === 'json') io.out.write(`${JSON.stringify({ scenario: loaded.scenario.name, file: loaded.fileName, ...verdicts }, null, 2)}\n`);
  else io.out.write(`${formatPolicy(verdicts, loaded.fileName).join('\n')}\n`);
  return verdicts.supported ? EXIT_OK : EXIT_RUN_FAILED;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Words wrapped at `width` columns, each line after the first indented by `indent`. */
function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${indent}${l}`);
}

const quoteLine = (q: PolicyQuote): string => (q.verbatim ? `“${q.text}” (${q.source})` : `${q.text} (${q.source}; the reference's summary, not verbatim)`);

/** One broken rule: its id and title, what broke it (field and finding), its quotes and source. */
export function formatBrokenRule(b: BrokenRule, indent = '  '): string[] {
  const deeper = `${indent}    `;
  return [
    `${indent}✗ ${b.rule}: ${b.title}`,
    ...b.findings.flatMap((f) => wrap(`broken by ${f.path}: ${f.found}`, deeper)),
    ...b.quotes.flatMap((q) => wrap(quoteLine(q), deeper)),
    `${deeper}source: ${b.reference} [${b.tag}]`,
  ];
}

function vmHeading(v: VmVerdict): string {
  const what = v.subject === 'exchange' ? `Exchange ${v.roles.map((r) => r.replace(/^exchange-/, '')).join(', ')}` : v.subject === 'native' ? 'native host' : 'no Exchange role';
  const verdict = v.supported ? 'supported' : `NOT SUPPORTED (${[v.broken.length > 0 ? plural(v.broken.length, 'rule') + ' of its own' : '', v.hostRules.length > 0 ? `host: ${v.hostRules.join(', ')}` : ''].filter((s) => s !== '').join('; ')})`;
  return `VM ${v.vm} (${what}): ${verdict}`;
}

/** The text report of `hvsim check`. */
export function formatPolicy(verdicts: PolicyVerdicts, fileName: string): string[] {
  const notSupported = verdicts.vms.filter((v) => !v.supported).length;
  const headline = verdicts.supported
    ? `${fileName}: supported: every rule of the support policy holds (${plural(verdicts.rules.filter((r) => r.verdict === 'held').length, 'rule')} checked)`
    : `${fileName}: NOT SUPPORTED: ${brokenRulesText(verdicts)} (support policy); ${notSupported} of ${plural(verdicts.vms.length, 'VM')} not supported`;
  const hostVerdict = verdicts.host.supported ? 'every host rule holds' : `${plural(verdicts.host.broken.length, 'host rule')} broken`;
  const lines = [headline, '', `host (${verdicts.host.edition}): ${hostVerdict}`];
  for (const b of verdicts.host.broken) lines.push(...formatBrokenRule(b));
  for (const v of verdicts.vms) {
    lines.push('', vmHeading(v), `  ${v.note}`);
    for (const b of v.broken) lines.push(...formatBrokenRule(b));
  }
  const notApplicable = verdicts.rules.filter((r) => r.verdict === 'not-applicable').map((r) => r.rule);
  if (notApplicable.length > 0) lines.push('', ...wrap(`Rules that judge nothing in this scenario: ${notApplicable.join(', ')}`, ''));
  return lines;
}

/**
 * The policy lines of `hvsim run`'s report: a summary line and the broken
 * rules by id and where; when nothing is broken, one line for a deployment
 * with Exchange and none otherwise (the report of a plain I/O scenario is
 * unchanged).
 */
export function formatPolicySummary(verdicts: PolicyVerdicts): string[] {
  if (verdicts.supported) return verdicts.vms.some((v) => v.subject === 'exchange') ? ['', 'Support policy: supported (every rule holds; hvsim check shows them)'] : [];
  const where = [
    ...verdicts.host.broken.map((b) => `host: ${b.rule}`),
    ...verdicts.vms.flatMap((v) => v.broken.map((b) => `${v.vm}: ${b.rule}`)),
  ];
  return ['', `Support policy: not supported, ${brokenRulesText(verdicts)} (hvsim check shows what broke each and its quote):`, ...where.map((w) => `  ✗ ${w}`)];
}
