/**
 * The small zod builders every part of the scenario schema shares (the
 * scenario itself in `schema.ts`, the cluster block in `schema-cluster.ts`),
 * so each field's error text says what it allows in the same words
 * (`parse.ts` adds the path, the place in the file and what was found).
 */
import * as z from 'zod';
import { grouped } from '../engine/index.js';
import { DURATION_ALLOWED, DURATION_MAX_NS, DURATION_PATTERN, durationNs } from './units.js';

// zod would compile each object schema into a function (`new Function`)
// on its first parse: hvsim makes no code at run time, and a file is
// parsed once, so the compiling only cost time (6 ms of each CLI start).
z.config({ jitless: true });

/** An id names a VM, a disk or a host disk. */
export const ID_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
export const ID_ALLOWED = "an id: a lowercase letter, then up to 31 lowercase letters, digits or '-'";

/** Error text for a schema: what the field allows. */
export const allows = (text: string) => ({ error: () => text });
export const oneOf = (values: readonly string[]): string => `one of ${values.map((v) => `'${v}'`).join(', ')}`;

export const enumOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, allows(oneOf(values)));
export const boolean = () => z.boolean(allows('true or false'));
export const intIn = (min: number, max: number, text = `an integer ${grouped(min)}..${grouped(max)}`) =>
  z.int(allows(text)).min(min).max(max);
export const id = (what: string) => z.string(allows(`${ID_ALLOWED} (${what})`)).regex(new RegExp(ID_PATTERN));
export const listOf = <T extends z.ZodType>(item: T, min: number, max: number, what: string) =>
  z.array(item, allows(`a list of ${min} to ${max} ${what}`)).min(min).max(max);

/** A duration: integer ns or a string with a unit; strings are converted exactly by `durationNs`. */
export const duration = () => {
  const error = allows(DURATION_ALLOWED);
  return z
    .union([z.int(error).min(0).max(DURATION_MAX_NS), z.string(error).regex(new RegExp(DURATION_PATTERN))], error)
    .superRefine((value, ctx) => {
      if (typeof value !== 'string' || !new RegExp(DURATION_PATTERN).test(value)) return; // the union reported it
      const converted = durationNs(value);
      if (!converted.ok) ctx.addIssue({ code: 'custom', message: DURATION_ALLOWED, params: { why: converted.why } });
    });
};
