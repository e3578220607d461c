/**
 * The `sweep` block of a scenario file: which fields a sweep varies and
 * over which values (a grid, first field slowest), and optionally how many
 * replications each point runs. `hvsim sweep <file>` and the app's sweep
 * view read it (a block with replications only makes the app show the
 * scenario's own figures with ±); `hvsim run` ignores it. Field paths are checked here for
 * form only; whether each point is a valid scenario is checked when the
 * sweep is made (`vary.ts`), with the point's own errors.
 */
import * as z from 'zod';
import { parseFieldPath } from './field-path.js';

/**
 * The most points one sweep may have; `hvsim sweep` and validation hold a
 * block to the same number, so a file that validates also sweeps.
 */
export const SWEEP_POINTS_MAX = 10_000;

/** The number of points a grid of these axes has (the product of their lengths). */
export const gridSize = (axes: readonly { values: readonly unknown[] }[]): number => axes.reduce((product, axis) => product * axis.values.length, 1);

const varySchema = z
  .strictObject({
    field: z
      .string({ error: () => 'a field path such as workloads[0].queueDepth, profile or costs.vmexit_roundtrip' })
      .max(200)
      .superRefine((field, ctx) => {
        const path = parseFieldPath(field);
        if (!path.ok) ctx.addIssue({ code: 'custom', message: path.allowed });
      })
      .meta({ description: "The field to vary, by its path in this file: workloads[0].queueDepth, profile, costs.<cost id>, host.disks[1].kind, …" }),
    values: z
      .array(z.union([z.number(), z.string().max(200), z.boolean()], { error: () => 'a number, a string or true/false' }), {
        error: () => 'a list of 1 to 1,000 values',
      })
      .min(1)
      .max(1000)
      .superRefine((values, ctx) => {
        // As --vary refuses it: a value twice would run the same point twice and plot two points at one x.
        const keys = values.map((v) => JSON.stringify(v));
        const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
        if (twice >= 0) ctx.addIssue({ code: 'custom', path: [twice], message: 'each value once (this one is listed before: the same point would run twice)' });
      })
      .meta({ description: 'The values the field takes, in order, each once; each point is the scenario with the field set to one of them.' }),
  })
  .meta({ description: 'One varied field and its values.' });

/** The zod schema of a scenario's `sweep` block. */
export const sweepBlockSchema = z
  .strictObject({
    vary: z
      .array(varySchema, { error: () => 'a list of 1 to 8 varied fields' })
      .min(1)
      .max(8)
      .optional()
      .meta({ description: 'The varied fields: every combination of their values is a point (the first field changes slowest). Without it the block asks only for replications of the scenario itself (the app then shows its figures with ±).' }),
    replications: z
      .int({ error: () => 'an integer 2..1,000' })
      .min(2)
      .max(1000)
      .optional()
      .meta({ description: "Runs per point, with seeds seed, seed+1, …: each figure is then a mean with a 95 % confidence interval. Default: one run per point." }),
  })
  .refine((block) => block.vary !== undefined || block.replications !== undefined, { message: 'an object with vary (the fields to vary), replications, or both' })
  .superRefine((block, ctx) => {
    const points = block.vary === undefined ? 1 : gridSize(block.vary);
    if (points <= SWEEP_POINTS_MAX) return;
    const sizes = block.vary!.map((axis) => axis.values.length.toLocaleString('en-US')).join(' × ');
    ctx.addIssue({
      code: 'custom',
      path: ['vary'],
      message: `fields whose values make at most ${SWEEP_POINTS_MAX.toLocaleString('en-US')} points (every combination is a point: fewer values, or fewer fields)`,
      params: { why: `${sizes} = ${points.toLocaleString('en-US')} points` },
    });
  })
  .meta({ description: 'A sweep over this scenario (hvsim sweep, and the app\'s sweep view): the scenario is run once per combination of the varied values. hvsim run ignores it.' });

/** A scenario's sweep block after validation. */
export type SweepBlock = z.output<typeof sweepBlockSchema>;
