/**
 * The panels that show the run beside the canvas: the event list, the
 * inspector, the narrator, the charts with the claims and the support
 * policy, the packet legend and the comparison strip (with its switch for
 * compare mode on a short screen, `strip-swap.ts`). The app hands them
 * the run when one loads (`setRun`) and the cursor as it moves (`show`);
 * they only read what they are given.
 */
import type { HvRecord } from '../model/trace-events.js';
import type { Topology } from '../model/topology.js';
import type { Scene } from '../render/scene.js';
import type { ViewState } from '../render/view-state.js';
import type { RecordStore, Scenario, ScenarioRun } from '../scenario/index.js';
import type { AppHosts } from './app-types.js';
import { ClaimsPanel } from './panels/claims.js';
import { ComparisonStrip, type StripPath } from './panels/comparison-strip.js';
import { EventList } from './panels/event-list.js';
import { FiguresPanel } from './panels/figures-panel.js';
import { Inspector } from './panels/inspector.js';
import { Narrator } from './panels/narrator.js';
import { PacketLegend, showPaths } from './panels/packet-legend.js';
import { PathCharts } from './panels/path-charts.js';
import { PolicyPanel } from './panels/policy-panel.js';
import { latenciesOfStore } from './run-records.js';
import { StripSwap } from './strip-swap.js';

export class RunPanels {
  readonly strip: ComparisonStrip;
  /** Compare mode's switch that swaps the strip in where the screen is too short for it beside two canvases. */
  readonly stripSwap: StripSwap;
  readonly narrator: Narrator;
  private readonly legend: PacketLegend;
  private readonly events: EventList;
  private readonly inspector: Inspector;
  private readonly claims: ClaimsPanel;
  private readonly policy: PolicyPanel;
  /** The run's figures beyond its paths (migrations, failures, VM life), as `hvsim run` prints them. */
  readonly figures: FiguresPanel;
  private readonly charts: PathCharts;

  /** `onJump`: a click on a record in the event list, by its index. */
  constructor(hosts: Pick<AppHosts, 'strip' | 'legend' | 'inspector' | 'narrator' | 'events' | 'charts' | 'controls'>, onJump: (index: number) => void) {
    this.strip = new ComparisonStrip(hosts.strip);
    this.stripSwap = new StripSwap(hosts.controls.querySelector('.controls-row') ?? hosts.controls, hosts.strip.parentElement ?? hosts.strip);
    this.legend = new PacketLegend(hosts.legend);
    this.inspector = new Inspector(hosts.inspector);
    this.narrator = new Narrator(hosts.narrator);
    this.events = new EventList(hosts.events, { onJump });
    // In this order in the charts' column: claims, the support policy, the run's figures, the charts.
    this.claims = new ClaimsPanel(hosts.charts);
    this.policy = new PolicyPanel(hosts.charts);
    this.figures = new FiguresPanel(hosts.charts);
    this.charts = new PathCharts(hosts.charts);
  }

  /** A new run (`name`: its scenario, as its pane's title names it): its records, claims, verdicts, figures, and its paths in `scene`'s packet colours. */
  setRun(run: ScenarioRun, store: RecordStore, topology: Topology, scenario: Scenario, scene: Scene, name: string): void {
    this.events.setRecords(store, topology);
    this.claims.setClaims(run.claims);
    this.policy.setVerdicts(run.policy);
    this.figures.setFigures(run.figures);
    this.charts.setData(run.paths, latenciesOfStore(store), topology, scenario);
    const paths = stripPaths(run, scene);
    showPaths(this.legend, run.paths, paths.map((p) => p.colour), scene.vmTags);
    this.strip.setPaths(paths, store, name, Object.keys(run.figures).length === 0 ? '' : 'what it measured is under Figures of the run, below');
  }

  /** Compare mode's run (`name`: its scenario), its paths in its own pane's colours and tags, beside this run's in the strip; null: compare mode closed. */
  setCompared(compared: { name: string; run: ScenarioRun; scene: Scene } | null): void {
    this.strip.setCompared(compared === null ? null : { name: compared.name, paths: stripPaths(compared.run, compared.scene), records: compared.run.store! });
  }

  /** The cursor moved to `view` (`record`: the one it stands after); while playing, the narrator keeps each line up long enough to read. */
  show(view: ViewState, record: HvRecord | null, total: number, topology: Topology, playing: boolean): void {
    this.events.setCursor(view.cursor);
    this.inspector.show(record, view, topology);
    if (playing) this.narrator.follow(record, topology, performance.now());
    else this.narrator.say(record, topology);
    this.strip.update(view.cursor, total);
  }
}

/** A run's paths as the strip shows them: in `scene`'s packet colours, with its VMs' tags. */
function stripPaths(run: ScenarioRun, scene: Scene): StripPath[] {
  const colours = scene.streamColours(run.paths.map((p) => p.stream));
  return run.paths.map((p, i) => ({ metrics: p, colour: colours[i]!, tag: scene.vmTags.get(p.vm) ?? '' }));
}
