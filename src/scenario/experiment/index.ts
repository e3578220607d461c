/**
 * Experiments over a scenario: replications (figures as means with 95 %
 * confidence intervals, claims checked across them) and sweeps (a grid of
 * points, each the scenario with some fields set). Pure: the CLI runs the
 * points on worker threads, the app in its own page.
 */
export * from './student-t.js';
export * from './replications.js';
export * from './claims-across.js';
export * from './field-path.js';
export * from './vary.js';
export * from './sweep-schema.js';
