/**
 * What a support rule is: data (id, title, its quotes with their sources,
 * the reference row and reliability tag) and one predicate over a
 * validated scenario that returns what breaks it, each finding naming the
 * field at fault. Rules judge the deployment a scenario describes, not its
 * run: they never read the trace. The rules are in `exchange-rules.ts` and
 * `host-rules.ts`; `check.ts` evaluates them into verdicts.
 */
import type { Scenario, ScenarioVm } from '../schema.js';
import type { ExchangeClustering, ExchangeRole, ExchangeVersion, GuestOs, HostEdition, RootSoftware } from './fields.js';

/** A quote a rule rests on. */
export interface PolicyQuote {
  /** The words: verbatim when `verbatim`, otherwise the reference's summary of the seed. */
  readonly text: string;
  /** Where they are from, e.g. 'seed 001'. */
  readonly source: string;
  /** Whether `text` is the source's own words (the reference quotes it) or a summary (the reference gives none). */
  readonly verbatim: boolean;
}

/** Reliability, as the reference tags it: V read in the cited text, R recalled or second-hand, E an estimate. */
export type ReliabilityTag = 'V' | 'R' | 'E';

/** One thing that breaks a rule. */
export interface Finding {
  /** The field at fault, as a path into the scenario: `vms[2].disks[0].backend.kind`. */
  readonly path: string;
  /** What is there, in words: "disk 'logs' of VM 'mail' is a dynamic-vhd". */
  readonly found: string;
}

/**
 * Who a rule judges.
 * - `exchange`: VMs with an Exchange role (seed 001); a host-scope rule of this
 *   subject is judged once, and only when some VM runs Exchange.
 * - `guest`: every VM that runs under Hyper-V (not a native host).
 * - `host`: the host alone (licensing): no VM's support depends on it.
 */
export type RuleSubject = 'exchange' | 'guest' | 'host';

/** The data every rule carries. */
interface RuleData {
  /** Stable id, e.g. `exchange-storage`. */
  readonly id: string;
  /** The rule in a few words: what is required. */
  readonly title: string;
  readonly quotes: readonly PolicyQuote[];
  /** The reference row the rule and its facts come from. */
  readonly reference: string;
  readonly tag: ReliabilityTag;
  readonly subject: RuleSubject;
}

/** A VM as the rules see it: the scenario's VM with its policy facts resolved. */
export interface PolicyVm {
  readonly vm: ScenarioVm;
  /** Its index in `vms`, for field paths. */
  readonly index: number;
  readonly roles: readonly ExchangeRole[];
  /** The Exchange version (meaningful only with roles). */
  readonly version: ExchangeVersion;
  readonly guestOs: GuestOs;
  /** Its Exchange clustering: a member of the cluster's Exchange copy group (`cluster.exchange`), else its own `exchangeClustering`. */
  readonly clustering: ExchangeClustering;
}

/** A physical host and the guests placed on it. */
export interface PolicyHost {
  /** 'host' for the scenario's one host, else the id in `hosts[]`. */
  readonly id: string;
  /** The field its logical processors come from, for findings. */
  readonly lpPath: string;
  readonly logicalProcessors: number;
  readonly guests: PolicyVm[];
}

/** What every predicate may read: the scenario and its facts resolved once. */
export interface PolicyContext {
  readonly scenario: Scenario;
  readonly edition: HostEdition;
  readonly cpu: { readonly x64: boolean; readonly hardwareVirtualization: boolean; readonly dep: boolean };
  readonly rootSoftware: readonly RootSoftware[];
  /** VMs that run under Hyper-V (every VM but native hosts). */
  readonly guests: readonly PolicyVm[];
  /** The physical hosts with their guests (one unless the scenario lists several: `hosts.ts`). */
  readonly hosts: readonly PolicyHost[];
}

/** A rule judged for each VM of its subject. */
export interface VmRule extends RuleData {
  readonly scope: 'vm';
  readonly subject: 'exchange' | 'guest';
  /** Whether the rule speaks to this VM at all (e.g. only Exchange 2010 SP1); default: every VM of its subject. */
  readonly appliesTo?: (vm: PolicyVm) => boolean;
  readonly check: (vm: PolicyVm, context: PolicyContext) => Finding[];
}

/** A rule judged once for the host (or the whole deployment). */
export interface HostRule extends RuleData {
  readonly scope: 'host';
  readonly check: (context: PolicyContext) => Finding[];
}

export type PolicyRule = VmRule | HostRule;

/** `vms[i].field` (and deeper) as a path string. */
export const vmPath = (vm: PolicyVm, ...rest: (string | number)[]): string =>
  rest.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : `${path}.${part}`), `vms[${vm.index}]`);
