/**
 * The `costs` block of a scenario: one optional field per cost id, each
 * held to the values the model can run in the cost's own unit (a time in
 * ns, a count, a size in bytes, a switch), with error text and an editor
 * hover that name that unit. The figures and their sources live in
 * `src/model/costs.ts`; this file only turns them into zod fields.
 */
import * as z from 'zod';
import { grouped } from '../engine/index.js';
import { COSTS, COST_IDS, type CostEntry, type CostId } from '../model/costs.js';
import { NS_OVERRIDE_MAX } from '../model/costs/cost-entry.js';
import { allows } from './schema-parts.js';

/** A figure with its unit, as the descriptions and error texts write it. */
function figure(entry: CostEntry, value: number): string {
  switch (entry.unit) {
    case undefined:
      return `${grouped(value)} ns`;
    case 'bytes':
      return `${grouped(value)} bytes`;
    default:
      return grouped(value);
  }
}

/** What an override of `entry` may be, in words: the error text's "allowed". */
export function costAllowed(entry: CostEntry): string {
  if (entry.accepts === undefined) return `an integer number of nanoseconds, 0..${grouped(NS_OVERRIDE_MAX)}`;
  const { min, max, multipleOf } = entry.accepts;
  switch (entry.unit) {
    case 'switch':
      return '0 (off) or 1 (on)';
    case 'bytes':
      return `an integer number of bytes, ${grouped(min)}..${grouped(max)}${multipleOf === undefined ? '' : `, a multiple of ${grouped(multipleOf)}`}`;
    default:
      return `an integer count, ${grouped(min)}..${grouped(max)}${multipleOf === undefined ? '' : `, a multiple of ${grouped(multipleOf)}`}`;
  }
}

/** The editor hover of one cost: what it covers, its defaults and plausible range in its unit, its source. */
export function costDescription(entry: CostEntry): string {
  const [low, high] = entry.range;
  const unit = entry.unit === undefined ? ' ns' : entry.unit === 'bytes' ? ' bytes' : '';
  return `${entry.what}. Default ${figure(entry, entry.ns['2008'])} (profile 2008), ${figure(entry, entry.ns.modern)} (modern); plausible range ${grouped(low)}..${grouped(high)}${unit}; an override: ${costAllowed(entry)}. Source: ${entry.source}.`;
}

/** The zod field of one cost override. */
function costField(entry: CostEntry): z.ZodOptional<z.ZodInt> {
  const { min, max, multipleOf } = entry.accepts ?? { min: 0, max: NS_OVERRIDE_MAX };
  let field = z.int(allows(costAllowed(entry))).min(min).max(max);
  if (multipleOf !== undefined) field = field.multipleOf(multipleOf);
  return field.optional().meta({ description: costDescription(entry) });
}

/** Per-cost overrides: one optional field per cost id, so editors complete the ids and show what each covers. */
export const costsShape = Object.fromEntries(COST_IDS.map((costId: CostId) => [costId, costField(COSTS[costId])])) as Record<
  CostId,
  z.ZodOptional<z.ZodInt>
>;
