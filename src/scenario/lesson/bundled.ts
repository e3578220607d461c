/**
 * The lessons that ship with hvsim, by name, as file text, embedded like the
 * bundled scenarios (`../bundled.ts`): imported as JSON and serialised back
 * with two-space indentation, which is how the files in `lessons/` are
 * written, so error line numbers match the files (a test checks). Data only.
 */
import fastpathBoot from '../../../lessons/fastpath-boot.json' with { type: 'json' };
import hostFailureHaVsDag from '../../../lessons/host-failure-ha-vs-dag.json' with { type: 'json' };
import liveVsQuickMigration from '../../../lessons/live-vs-quick-migration.json' with { type: 'json' };
import migrationDirtyRate from '../../../lessons/migration-dirty-rate.json' with { type: 'json' };
import nicLegacyVsSynthetic from '../../../lessons/nic-legacy-vs-synthetic.json' with { type: 'json' };
import oversubscription from '../../../lessons/oversubscription.json' with { type: 'json' };
import cpuControls from '../../../lessons/cpu-controls.json' with { type: 'json' };
import boostAndCredit from '../../../lessons/boost-and-credit.json' with { type: 'json' };
import passthroughVsNative from '../../../lessons/passthrough-vs-native.json' with { type: 'json' };
import queueDepth from '../../../lessons/queue-depth.json' with { type: 'json' };
import savedState from '../../../lessons/saved-state.json' with { type: 'json' };
import snapshotRevert from '../../../lessons/snapshot-revert.json' with { type: 'json' };
import vhdTypes from '../../../lessons/vhd-types.json' with { type: 'json' };
import vhdxVsVhd from '../../../lessons/vhdx-vs-vhd.json' with { type: 'json' };
import vhdOn512e from '../../../lessons/vhd-on-512e.json' with { type: 'json' };
import vssBackup from '../../../lessons/vss-backup.json' with { type: 'json' };
import whySyntheticIsCheaper from '../../../lessons/why-synthetic-is-cheaper.json' with { type: 'json' };

/** A lesson that ships with hvsim. */
export interface BundledLesson {
  /** The file name without `.json`, e.g. `queue-depth`. */
  readonly name: string;
  /** The file's text. */
  readonly text: string;
  /** What part of the course it belongs to (the app's lesson picker groups by it). */
  readonly topic: LessonTopic;
}

/** The parts of the course, in teaching order. */
export const LESSON_TOPICS = ['I/O paths', 'VM life', 'The cluster'] as const;
export type LessonTopic = (typeof LESSON_TOPICS)[number];

const asText = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;

/** The bundled lessons, in teaching order. */
export const BUNDLED_LESSONS: readonly BundledLesson[] = [
  { name: 'why-synthetic-is-cheaper', topic: 'I/O paths', text: asText(whySyntheticIsCheaper) },
  { name: 'queue-depth', topic: 'I/O paths', text: asText(queueDepth) },
  { name: 'vhd-types', topic: 'I/O paths', text: asText(vhdTypes) },
  { name: 'vhdx-vs-vhd', topic: 'I/O paths', text: asText(vhdxVsVhd) },
  { name: 'vhd-on-512e', topic: 'I/O paths', text: asText(vhdOn512e) },
  { name: 'fastpath-boot', topic: 'I/O paths', text: asText(fastpathBoot) },
  { name: 'passthrough-vs-native', topic: 'I/O paths', text: asText(passthroughVsNative) },
  { name: 'nic-legacy-vs-synthetic', topic: 'I/O paths', text: asText(nicLegacyVsSynthetic) },
  { name: 'saved-state', topic: 'VM life', text: asText(savedState) },
  { name: 'snapshot-revert', topic: 'VM life', text: asText(snapshotRevert) },
  { name: 'oversubscription', topic: 'VM life', text: asText(oversubscription) },
  { name: 'cpu-controls', topic: 'VM life', text: asText(cpuControls) },
  { name: 'boost-and-credit', topic: 'VM life', text: asText(boostAndCredit) },
  { name: 'live-vs-quick-migration', topic: 'The cluster', text: asText(liveVsQuickMigration) },
  { name: 'migration-dirty-rate', topic: 'The cluster', text: asText(migrationDirtyRate) },
  { name: 'host-failure-ha-vs-dag', topic: 'The cluster', text: asText(hostFailureHaVsDag) },
  { name: 'vss-backup', topic: 'The cluster', text: asText(vssBackup) },
];

/** The bundled lesson called `name` (with or without `.json`), if any. */
export function bundledLesson(name: string): BundledLesson | undefined {
  const bare = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return BUNDLED_LESSONS.find((lesson) => lesson.name === bare);
}
