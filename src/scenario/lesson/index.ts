/**
 * Lessons as data over a run (DESIGN §8): the format, the expression
 * language of answers, the checks against a scenario, resolution against a
 * finished run (anchors to records, answers computed from the figures),
 * and the bundled lessons.
 */
export * from './schema.js';
export * from './expression.js';
export * from './references.js';
export * from './parse.js';
export * from './resolve.js';
export * from './bundled.js';
export * from './json-schema.js';
