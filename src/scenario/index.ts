/**
 * Scenarios: the file format (zod schema and generated JSON Schema),
 * parsing with errors that name the field and the line, the step from a
 * scenario to the model's `WorldConfig`, headless runs, the claims a
 * scenario states about its run, the scenarios that ship with hvsim, the
 * lessons over a run (`lesson/`) and the glossary students meet in them.
 * Imports engine, model and metrics; never the UI.
 */
export * from './schema.js';
export * from './units.js';
export * from './errors.js';
export * from './references.js';
export * from './claims.js';
export * from './parse.js';
export * from './build.js';
export * from './run.js';
export * from './common-random.js';
export * from './unfinished.js';
export { clientsUnansweredAtEnd, hostsDownAtEnd, outageAtEnd } from './outage.js';
export { actionsRefused, actionsUnfinished, actionsUnfinishedMessage, type ActionsRun } from './actions-unfinished.js';
export * from './bundled.js';
export * from './json-schema.js';
export * from './claim-references.js';
export * from './lesson/index.js';
export * from './glossary.js';
export * from './experiment/index.js';
export * from './policy/index.js';
