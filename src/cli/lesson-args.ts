/**
 * The `hvsim lesson` command line, parsed: `hvsim lesson <name|file> [--json]`.
 * Pure, like `args.ts`, which registers it.
 */

/** `hvsim lesson`: print a lesson's trainer's sheet. */
export interface LessonCommand {
  kind: 'lesson';
  /** A bundled lesson's name, a lesson file, or a scenario file with a lesson block. */
  target: string;
  format: 'text' | 'json';
}

/** Parses the words after `lesson`. */
export function parseLessonArgs(rest: readonly string[]): { ok: true; command: LessonCommand } | { ok: false; message: string } {
  let target: string | undefined;
  let json = false;
  for (const word of rest) {
    if (word === '--json') json = true;
    else if (word.startsWith('--json=')) return { ok: false, message: "'--json' takes no value" };
    else if (word.startsWith('-') && word !== '-') return { ok: false, message: `unknown option '${word}' for 'lesson'` };
    else if (target === undefined) target = word;
    else return { ok: false, message: `'lesson' takes one lesson, found also '${word}'` };
  }
  if (target === undefined) return { ok: false, message: "'lesson' needs a bundled lesson name or a lesson file (hvsim list shows the lessons)" };
  return { ok: true, command: { kind: 'lesson', target, format: json ? 'json' : 'text' } };
}
