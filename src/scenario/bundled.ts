/**
 * The scenarios that ship with hvsim, by name, as file text. They are
 * imported as JSON (esbuild's JSON loader in both the CLI and the web
 * bundle; vite in tests) and serialised back with two-space indentation,
 * which is how the files in `scenarios/` are written, so line numbers in
 * errors match the files (a test checks). Data only: no code is loaded.
 */
import emulatedVsSynthetic from '../../scenarios/emulated-vs-synthetic.json' with { type: 'json' };
import fastpathBoot from '../../scenarios/fastpath-boot.json' with { type: 'json' };
import queueDepth from '../../scenarios/queue-depth.json' with { type: 'json' };
import vhdTypes from '../../scenarios/vhd-types.json' with { type: 'json' };
import vhdxVsVhd from '../../scenarios/vhdx-vs-vhd.json' with { type: 'json' };
import vhdOn512e from '../../scenarios/vhd-on-512e.json' with { type: 'json' };
import dbLogSpindles from '../../scenarios/db-log-spindles.json' with { type: 'json' };
import emulatedOnlyGuest from '../../scenarios/emulated-only-guest.json' with { type: 'json' };
import nicLegacyVsSynthetic from '../../scenarios/nic-legacy-vs-synthetic.json' with { type: 'json' };
import nicReceiveOneCore from '../../scenarios/nic-receive-one-core.json' with { type: 'json' };
import passthroughVsNative from '../../scenarios/passthrough-vs-native.json' with { type: 'json' };
import sharedHba from '../../scenarios/shared-hba.json' with { type: 'json' };
import iscsiGuestVsRoot from '../../scenarios/iscsi-guest-vs-root.json' with { type: 'json' };
import exchangePolicy from '../../scenarios/exchange-policy.json' with { type: 'json' };
import savedState from '../../scenarios/saved-state.json' with { type: 'json' };
import snapshotRevert from '../../scenarios/snapshot-revert.json' with { type: 'json' };
import oversubscription from '../../scenarios/oversubscription.json' with { type: 'json' };
import cpuControls from '../../scenarios/cpu-controls.json' with { type: 'json' };
import boostAndCredit from '../../scenarios/boost-and-credit.json' with { type: 'json' };
import liveVsQuickMigration from '../../scenarios/live-vs-quick-migration.json' with { type: 'json' };
import migrationDirtyRate from '../../scenarios/migration-dirty-rate.json' with { type: 'json' };
import hostFailureHaVsDag from '../../scenarios/host-failure-ha-vs-dag.json' with { type: 'json' };
import vssBackup from '../../scenarios/vss-backup.json' with { type: 'json' };
import vmotion from '../../scenarios/vmotion.json' with { type: 'json' };

/** A scenario that ships with hvsim. */
export interface BundledScenario {
  /** The file name without `.json`, e.g. `queue-depth`. */
  readonly name: string;
  /** The file's text. */
  readonly text: string;
}

const asText = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;

/** The bundled scenarios, in teaching order. */
export const BUNDLED_SCENARIOS: readonly BundledScenario[] = [
  { name: 'emulated-vs-synthetic', text: asText(emulatedVsSynthetic) },
  { name: 'queue-depth', text: asText(queueDepth) },
  { name: 'fastpath-boot', text: asText(fastpathBoot) },
  { name: 'emulated-only-guest', text: asText(emulatedOnlyGuest) },
  { name: 'passthrough-vs-native', text: asText(passthroughVsNative) },
  { name: 'vhd-types', text: asText(vhdTypes) },
  { name: 'vhdx-vs-vhd', text: asText(vhdxVsVhd) },
  { name: 'vhd-on-512e', text: asText(vhdOn512e) },
  { name: 'db-log-spindles', text: asText(dbLogSpindles) },
  { name: 'shared-hba', text: asText(sharedHba) },
  { name: 'nic-legacy-vs-synthetic', text: asText(nicLegacyVsSynthetic) },
  { name: 'nic-receive-one-core', text: asText(nicReceiveOneCore) },
  { name: 'iscsi-guest-vs-root', text: asText(iscsiGuestVsRoot) },
  { name: 'exchange-policy', text: asText(exchangePolicy) },
  { name: 'saved-state', text: asText(savedState) },
  { name: 'snapshot-revert', text: asText(snapshotRevert) },
  { name: 'oversubscription', text: asText(oversubscription) },
  { name: 'cpu-controls', text: asText(cpuControls) },
  { name: 'boost-and-credit', text: asText(boostAndCredit) },
  { name: 'live-vs-quick-migration', text: asText(liveVsQuickMigration) },
  { name: 'migration-dirty-rate', text: asText(migrationDirtyRate) },
  { name: 'host-failure-ha-vs-dag', text: asText(hostFailureHaVsDag) },
  { name: 'vss-backup', text: asText(vssBackup) },
  { name: 'vmotion', text: asText(vmotion) },
];

/** The bundled scenario called `name` (with or without `.json`), if any. */
export function bundledScenario(name: string): BundledScenario | undefined {
  const bare = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return BUNDLED_SCENARIOS.find((s) => s.name === bare);
}
