/**
 * The envelope the tracer hands an `EnvelopeSink` beside each record (a
 * run's folders read it instead of the record's own fields) is the
 * record's envelope, value for value, on every record of every bundled
 * scenario; and a run's figures and fingerprint are the same through it
 * as through plain `write`.
 */
import { describe, expect, it } from 'vitest';
import { Fingerprint, FingerprintSink } from '../../src/engine/index.js';
import { PathMetricsFolder } from '../../src/metrics/index.js';
import { createFigureFolders, collectFigures, FigureFan } from '../../src/metrics/run-figures.js';
import { recordFromParts, type EnvelopeSink, type HvRecord, type RecordEnvelope } from '../../src/model/trace-events.js';
import { World } from '../../src/model/world.js';
import { BUNDLED_SCENARIOS } from '../../src/scenario/bundled.js';
import { parseScenarioText, toWorldConfig } from '../../src/scenario/index.js';
import { RequestLedger } from '../../src/scenario/unfinished.js';

const ENVELOPE_KEYS = ['kind', 'seq', 't', 'stream', 'flow', 'cause', 'place', 'band', 'costNs', 'charge', 'lp'] as const;

function configOf(name: string) {
  const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === name)!.text);
  if (!parsed.ok) throw new Error(`${name} is invalid`);
  return toWorldConfig(parsed.scenario);
}

/**
 * Counts the records whose envelope differs from their own fields, or that
 * differ (in a value or in key order) from the record built from the
 * envelope and the kind's own fields (`recordFromParts`), and keeps the
 * first difference; fingerprints the records both ways.
 */
class CheckingSink implements EnvelopeSink<HvRecord> {
  readonly enabled = true;
  records = 0;
  viaWrite = 0;
  mismatches = 0;
  first = '';
  write(): void {
    this.viaWrite++;
  }
  readonly placeByNo = new Map<number, string>();
  readonly byRecord = new Fingerprint();
  readonly byParts = new Fingerprint();
  writeWithEnvelope(record: HvRecord | null, envelope: RecordEnvelope, own: object): void {
    this.records++;
    if (record === null) throw new Error('the tracer should build the record for a sink that does not say needsRecords: false');
    const wrong: string[] = ENVELOPE_KEYS.filter((k) => envelope[k] !== record[k]);
    if (envelope.waitNs !== (record.waitNs ?? 0)) wrong.push('waitNs');
    // The fingerprint's and the store's caches rely on it: every place numbered, one number per place id and band.
    const named = `${envelope.place}|${envelope.band}`;
    if (envelope.placeNo < 0 || (this.placeByNo.get(envelope.placeNo) ?? named) !== named) wrong.push('placeNo');
    this.placeByNo.set(envelope.placeNo, named);
    const built = recordFromParts<HvRecord>(envelope, own);
    if (JSON.stringify(Object.entries(built)) !== JSON.stringify(Object.entries(record))) wrong.push('recordFromParts');
    if (wrong.length > 0 && this.mismatches++ === 0) this.first = `${record.kind} #${record.seq}: ${wrong.join(', ')}`;
    this.byRecord.add(record, envelope.kind);
    this.byParts.addParts(envelope, own);
  }
}

describe("the tracer's envelope beside each record", () => {
  it.each(BUNDLED_SCENARIOS.map((s) => s.name))('equals the record envelope on every record of %s, and with the own fields makes the record and its fingerprint', (name) => {
    const sink = new CheckingSink();
    new World(configOf(name), sink).run();
    expect(sink.records).toBeGreaterThan(0);
    expect(sink.viaWrite).toBe(0);
    expect(sink.first).toBe('');
    expect(sink.mismatches).toBe(0);
    expect(sink.byParts.records).toBe(sink.records);
    expect(sink.byParts.digest()).toBe(sink.byRecord.digest());
  });

  it('gives the folders the same figures, ledger and fingerprint from the envelope and own fields alone (no record built) as reading each record', () => {
    for (const name of ['emulated-vs-synthetic', 'snapshot-revert', 'live-vs-quick-migration', 'oversubscription']) {
      const config = configOf(name);
      const fold = () => {
        const paths = new PathMetricsFolder();
        const fingerprint = new FingerprintSink<HvRecord>();
        const ledger = new RequestLedger(config.workloads, config.traffic ?? []);
        const folders = createFigureFolders();
        return { paths, fingerprint, ledger, folders, fan: new FigureFan(folders, recordFromParts) };
      };
      const a = fold();
      const b = fold();
      const viaEnvelope: EnvelopeSink<HvRecord> = {
        enabled: true,
        needsRecords: false,
        write: () => {
          throw new Error('the tracer should call writeWithEnvelope');
        },
        writeWithEnvelope(record, envelope, own) {
          if (record !== null) throw new Error('the tracer should not build records for a sink that needs none');
          a.paths.addRead(own, envelope);
          a.fingerprint.fingerprint.addParts(envelope, own);
          a.ledger.writeRead(own, envelope);
          a.fan.writeRead(own, envelope, null);
        },
      };
      const plain = {
        enabled: true,
        write(record: HvRecord) {
          b.paths.add(record);
          b.fingerprint.write(record);
          b.ledger.write(record);
          b.fan.write(record);
        },
      };
      const outA = new World(config, viaEnvelope).run();
      const outB = new World(config, plain).run();
      expect(a.fingerprint.fingerprint.digest()).toBe(b.fingerprint.fingerprint.digest());
      expect(a.paths.result()).toEqual(b.paths.result());
      expect(collectFigures(a.folders)).toEqual(collectFigures(b.folders));
      expect(a.ledger.result(outA)).toEqual(b.ledger.result(outB));
    }
  });
});
