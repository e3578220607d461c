/**
 * hvsim's discrete-event engine: integer-nanosecond time, a deterministic
 * event queue, seeded random streams, SimPy-style processes and resources,
 * trace sinks and fingerprints. It imports nothing outside this folder and
 * knows nothing of Hyper-V, the DOM or pixi.
 */
export * from './sim-time.js';
export * from './event-queue.js';
export * from './simulation.js';
export * from './rng.js';
export * from './process.js';
export * from './trace.js';
export * from './fingerprint.js';
export * from './column-store.js';
export * from './column-payload.js';
export * from './id-pairs.js';
export * from './intern.js';
export * from './row-groups.js';
export * from './object-array.js';
