/**
 * A varied field as a student reads it: `workloads[3].queueDepth` becomes
 * "queue depth (workload 3: qd32/data)", the path's last name in words
 * and, for each list item on the way, its noun, its index and the ids
 * that name it in the scenario the sweep ran. Only a label: the raw path
 * stays the field's name everywhere else (pickers' values, the API, the
 * CLI), and the chart shows it too. Pure: no DOM.
 */
import { COSTS, type CostId } from '../../model/costs.js';
import { parseFieldPath, type FieldStep } from '../../scenario/index.js';

/** `table`'s own entry for `key` (a field path from a file may say `toString`, which every object inherits). */
const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** Whole names a sweep may vary, in words (the schema's descriptions say what each is). */
const FIELD_WORDS: Readonly<Record<string, string>> = { profile: 'cost profile', seed: 'seed' };

/** The noun of an item of each list in a scenario file (another list: its name less a plural s). */
const ITEM_NOUNS: Readonly<Record<string, string>> = {
  workloads: 'workload',
  vms: 'VM',
  disks: 'disk',
  nics: 'NIC',
  traffic: 'traffic',
  cpu: 'CPU load',
  actions: 'action',
  hosts: 'host',
  claims: 'claim',
};

/** Names too plain alone ("kind 'ssd'" of what?): their item's noun or object's name goes before them. */
const PLAIN_NAMES: ReadonlySet<string> = new Set(['kind', 'id', 'mode', 'type', 'size', 'count', 'start', 'duration']);

/** Words written as Hyper-V and the hardware write them. */
const ACRONYMS: Readonly<Record<string, string>> = {
  vm: 'VM',
  vms: 'VMs',
  vp: 'VP',
  lp: 'LP',
  cpu: 'CPU',
  vcpus: 'vCPUs',
  vmbus: 'VMBus',
  ide: 'IDE',
  scsi: 'SCSI',
  hba: 'HBA',
  vhd: 'VHD',
  nic: 'NIC',
  lba: 'LBA',
  dma: 'DMA',
  pio: 'PIO',
  gbps: 'Gb/s',
  csv: 'CSV',
};

/** Unit suffixes of field names (`ringBytes`, `readPercent`, `memoryMiB`, `dirtyRateMBps`), as a label writes them. */
const UNITS: readonly [RegExp, string][] = [
  [/Ns$/, ' (ns)'],
  [/Bytes$/, ' (bytes)'],
  [/(Percent|Pct)$/, ' %'],
  [/GiB$/, ' (GiB)'],
  [/MiB$/, ' (MiB)'],
  [/MBps$/, ' (MB/s)'],
];

/** `queueDepth` → "queue depth", `vmbusSignal` → "VMBus signal", `readPercent` → "read %", `memoryMiB` → "memory (MiB)". */
export function camelWords(name: string): string {
  const unit = UNITS.find(([suffix]) => suffix.test(name) && name.replace(suffix, '') !== '');
  const stem = unit === undefined ? name : name.replace(unit[0], '');
  const words = stem
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => own(ACRONYMS, w) ?? w)
    .join(' ');
  return unit === undefined ? words : `${words}${unit[1]}`;
}

/**
 * A cost override (`costs.vmexit_roundtrip`) by what the cost table says
 * it covers (`src/model/costs.ts`), cut at its first clause when that is
 * short, else the cost id in words; with its unit.
 */
function costWords(costId: string): string {
  const entry = own(COSTS as Readonly<Record<string, (typeof COSTS)[CostId]>>, costId);
  if (entry === undefined) return `cost ${camelWords(costId)}`;
  const clause = entry.what.split(/[:;,]| \(| -- /)[0]!.trim();
  const words = clause.length > 0 && clause.length <= 40 ? clause : camelWords(costId);
  switch (entry.unit) {
    case undefined:
      return `${words} (ns)`;
    case 'bytes':
      return `${words} (bytes)`;
    case 'switch':
      return `${words} (0 off, 1 on)`;
    default:
      return words;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The ids that name a list item: its id, else its VM and disk or NIC (a workload, traffic), else its VM. */
function itemIds(item: unknown): string {
  if (!isObject(item)) return '';
  const text = (key: string): string => (typeof item[key] === 'string' ? (item[key] as string) : '');
  if (text('id') !== '') return text('id');
  const vm = text('vm');
  const on = text('disk') || text('nic');
  return vm !== '' && on !== '' ? `${vm}/${on}` : vm;
}

/** The noun of an item of list `list`. */
const itemNoun = (list: FieldStep | undefined): string => (typeof list === 'string' ? (own(ITEM_NOUNS, list) ?? camelWords(list).replace(/s$/, '')) : 'item');

/**
 * `field` in words, each list item on its path named from `scenario` (a
 * scenario as read or validated; null: by index only, as when the sweep's
 * scenario is not at hand). A path that is not a field path is returned as
 * it is.
 * @example fieldLabel('workloads[3].queueDepth', queueDepth) // 'queue depth (workload 3: qd32/data)'
 */
export function fieldLabel(field: string, scenario: unknown = null): string {
  const path = parseFieldPath(field);
  if (!path.ok) return field;
  const steps = path.steps;
  const whole = steps.length === 1 ? own(FIELD_WORDS, String(steps[0])) : undefined;
  if (whole !== undefined) return whole;
  if (steps.length === 2 && steps[0] === 'costs') return costWords(String(steps[1]));
  const items: string[] = [];
  let node: unknown = scenario;
  steps.forEach((step, i) => {
    node = (Array.isArray(node) || isObject(node)) && Object.hasOwn(node, step) ? (node as Record<FieldStep, unknown>)[step] : undefined;
    if (typeof step !== 'number') return;
    const ids = itemIds(node);
    items.push(`${itemNoun(steps[i - 1])} ${step}${ids === '' ? '' : `: ${ids}`}`);
  });
  const last = steps.length - 1;
  const leaf = steps[last]!;
  // A field that is a list item itself (`vms[0].affinity[1]`) is named by that item.
  if (typeof leaf === 'number') return items.length === 1 ? items[0]! : `${items.pop()} (${items.join(', ')})`;
  const before = steps[last - 1];
  const owner = before === undefined ? '' : typeof before === 'number' ? itemNoun(steps[last - 2]) : camelWords(before);
  const words = PLAIN_NAMES.has(leaf) && owner !== '' ? `${owner} ${camelWords(leaf)}` : camelWords(leaf);
  return items.length === 0 ? words : `${words} (${items.join(', ')})`;
}
