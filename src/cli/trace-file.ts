/**
 * Writes a run's trace as JSON Lines: a header line (kind
 * `trace.checkpoint`, at seq -1) naming the scenario, seed, profile,
 * fingerprint and topology, then one record per line in trace order. The
 * file is opened before the run, so a bad path is reported before any
 * time is spent, and written in chunks so a large trace never becomes one
 * giant string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { recordsOf, type ScenarioRun } from '../scenario/run.js';

/** Lines written per `write` call. */
const CHUNK_LINES = 4096;

/** An open trace file. */
export class TraceFile {
  private constructor(private readonly fd: number) {}

  /** Opens (creates or truncates) `path`, or returns why it cannot. */
  static open(path: string): TraceFile | string {
    try {
      return new TraceFile(openSync(path, 'w'));
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Writes the header and every record of `run`, then closes the file. */
  write(run: ScenarioRun): void {
    try {
      const header = {
        kind: 'trace.checkpoint',
        seq: -1,
        t: 0,
        format: 'hvsim-trace',
        version: 1,
        scenario: run.config.name,
        seed: run.config.seed,
        profile: run.config.profile,
        fingerprint: run.fingerprint,
        records: recordsOf(run).length,
        events: run.output.events,
        endNs: run.output.endNs,
        stop: run.output.stop,
        topology: run.output.topology,
      };
      writeSync(this.fd, `${JSON.stringify(header)}\n`);
      // The records as kept (in columns for --trace: a few dozen bytes each, rebuilt one at a time here).
      const records = recordsOf(run);
      const lines: string[] = [];
      for (let start = 0; start < records.length; start += CHUNK_LINES) {
        lines.length = 0;
        const end = Math.min(records.length, start + CHUNK_LINES);
        for (let i = start; i < end; i++) lines.push(JSON.stringify(records.at(i)));
        writeSync(this.fd, `${lines.join('\n')}\n`);
      }
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes the file without writing (when the run fails). */
  close(): void {
    closeSync(this.fd);
  }
}
