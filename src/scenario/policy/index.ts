/**
 * The support policy as data (issue 14 item 4): the Exchange rules of seed
 * 001 and the host requirements and editions of seed 004, each with its
 * quotes and source, judged over a validated scenario (`checkPolicy`).
 */
export * from './fields.js';
export * from './rule.js';
export * from './availability.js';
export * from './hosts.js';
export * from './exchange-rules.js';
export * from './host-rules.js';
export * from './check.js';
