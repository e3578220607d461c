/**
 * Shared fixtures for the engine tests (SimPy's conftest.py): a simulation
 * and a log of `[now, label]` entries that handlers append to, so a test
 * compares one whole log against the expected one.
 */
import { Simulation, type SimulationOptions } from '../../src/engine/simulation.js';

export type LogEntry = [time: number, label: string];

export interface Fixture {
  sim: Simulation;
  log: LogEntry[];
  /** A handler that appends `[sim.now, label]` to the log. */
  note: (label: string) => (payload: unknown, sim: Simulation) => void;
}

export function makeSim(options: SimulationOptions = {}): Fixture {
  const sim = new Simulation(options);
  const log: LogEntry[] = [];
  const note = (label: string) => (_payload: unknown, s: Simulation) => {
    log.push([s.now, label]);
  };
  return { sim, log, note };
}
