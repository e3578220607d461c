/**
 * Checks a structurally valid lesson against its scenario: every VM an
 * anchor or a follow names exists (and a request number is one the VM
 * issues), every place is a place of the scenario's topology, and every
 * figure an answer reads names a path the run can produce (the same check
 * claims get, `checkClaimSide`). The topology is built without running:
 * the model's `World` is constructed with a null sink and only its
 * `topology` is read. Reports; never throws.
 */
import { NullSink } from '../../engine/index.js';
import type { Topology } from '../../model/topology.js';
import type { HvRecord } from '../../model/trace-events.js';
import { World } from '../../model/world.js';
import { toWorldConfig } from '../build.js';
import { checkClaimSide } from '../claim-references.js';
import { closest, quoted } from '../errors.js';
import type { ReferenceIssue } from '../references.js';
import type { Scenario } from '../schema.js';
import { figuresOf, isRunFigure, parseComparison, parseExpression, type Comparison, type Expr } from './expression.js';
import type { LessonBlock, LessonStep } from './schema.js';

/** The topology of `scenario`'s host, built without running it. */
export function scenarioTopology(scenario: Scenario): Topology {
  return new World(toWorldConfig(scenario), new NullSink<HvRecord>()).topology;
}

/**
 * How many requests (I/O requests and network packets) `vmId` issues in `scenario`: at most, when one of its
 * workloads runs for a duration (its count is then a cap; what its window holds is known only from a run).
 */
export function requestsOfVm(scenario: Scenario, vmId: string): number {
  return scenario.workloads.filter((w) => w.vm === vmId).reduce((sum, w) => sum + w.count, 0) + scenario.traffic.filter((t) => t.vm === vmId).reduce((sum, t) => sum + t.count, 0);
}

/**
 * All problems of `lesson` against `scenario`, with paths under `at`
 * (`['lesson']` for a scenario's block, `[]` for a lesson file).
 */
export function checkLesson(scenario: Scenario, lesson: Pick<LessonBlock, 'steps'>, at: (string | number)[]): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  let topology: Topology | string | undefined;
  /** The place ids, or why the topology could not be built (a model fault, reported at the field rather than as a syntax error). */
  const placeIds = (): string[] | string => {
    if (topology === undefined) {
      try {
        topology = scenarioTopology(scenario);
      } catch (error) {
        topology = error instanceof Error ? error.message : String(error);
      }
    }
    return typeof topology === 'string' ? topology : topology.places.map((p) => p.id);
  };
  lesson.steps.forEach((step, s) => {
    const here = [...at, 'steps', s];
    checkVmAndRequest(scenario, step.anchor.vm, step.anchor.request, [...here, 'anchor'], issues);
    if (step.anchor.place !== undefined) {
      const ids = placeIds();
      if (typeof ids === 'string') {
        issues.push({ path: [...here, 'anchor', 'place'], found: `${JSON.stringify(step.anchor.place)} (the scenario's topology could not be built: ${ids})`, allowed: 'a place id of the topology' });
      } else if (!ids.includes(step.anchor.place)) {
        const guess = closest(step.anchor.place, ids);
        issues.push({
          path: [...here, 'anchor', 'place'],
          found: `${JSON.stringify(step.anchor.place)} (no place of this scenario's topology has this id${guess === undefined ? '' : `; did you mean '${guess}'?`})`,
          allowed: `one of the place ids: ${quoted(ids)}`,
        });
      }
    }
    if (step.follow !== undefined) checkVmAndRequest(scenario, step.follow.vm, step.follow.request, [...here, 'follow'], issues);
    if (step.view === 'cluster' && scenario.cluster === undefined) {
      issues.push({ path: [...here, 'view'], found: "'cluster' (the scenario has no cluster block: one host, no cluster view)", allowed: "'io', or no view" });
    }
    checkQuestion(scenario, step, [...here, 'question'], issues);
  });
  return issues;
}

function checkVmAndRequest(scenario: Scenario, vmId: string | undefined, request: number | undefined, at: (string | number)[], issues: ReferenceIssue[]): void {
  if (vmId === undefined) return;
  const ids = scenario.vms.map((vm) => vm.id);
  if (!ids.includes(vmId)) {
    issues.push({ path: [...at, 'vm'], found: `${JSON.stringify(vmId)} (no VM has this id)`, allowed: `one of the VM ids: ${quoted(ids)}` });
    return;
  }
  if (request === undefined) return;
  const count = requestsOfVm(scenario, vmId);
  const timed = scenario.workloads.some((w) => w.vm === vmId && w.duration !== undefined);
  if (request >= count) {
    issues.push({
      path: [...at, 'request'],
      found: `${request} (VM '${vmId}' issues ${timed ? 'at most ' : ''}${count.toLocaleString('en-US')} request${count === 1 ? '' : 's'}${timed ? ', a workload of it running for a duration' : ''})`,
      allowed: count === 0 ? `no request: VM '${vmId}' has no workload or traffic` : `a request number 0..${count - 1} (counted from 0 in issue order)`,
    });
  }
}

function checkQuestion(scenario: Scenario, step: LessonStep, at: (string | number)[], issues: ReferenceIssue[]): void {
  const question = step.question;
  if (question === undefined) return;
  if (question.kind === 'number') {
    checkFigures(scenario, question.answer, parseExpression(question.answer), [...at, 'answer'], issues);
    return;
  }
  question.choices.forEach((choice, c) => {
    if (choice.correctIf !== undefined) checkFigures(scenario, choice.correctIf, parseComparison(choice.correctIf), [...at, 'choices', c, 'correctIf'], issues);
    if (choice.figure !== undefined) checkFigures(scenario, choice.figure, parseExpression(choice.figure), [...at, 'choices', c, 'figure'], issues);
  });
}

/** Each figure of an expression must name one path with work, or a part of the run's figures, as a claim side must; the first problem is reported. */
function checkFigures(
  scenario: Scenario,
  text: string,
  parsed: { ok: true; value: Expr | Comparison } | { ok: false },
  at: (string | number)[],
  issues: ReferenceIssue[],
): void {
  if (!parsed.ok) return; // the schema reported the syntax
  for (const figure of figuresOf(parsed.value)) {
    const found: ReferenceIssue[] = [];
    checkClaimSide(scenario, isRunFigure(figure) ? { figure: figure.figure } : { vm: figure.vm, disk: figure.disk, path: figure.path, metric: figure.metric }, [], found);
    const first = found[0];
    if (first === undefined) continue;
    const column = text.indexOf(figure.text) + 1;
    const field = String(first.path[first.path.length - 1] ?? 'vm');
    issues.push({ path: at, found: `${JSON.stringify(text)} (at column ${column}, the figure "${figure.text}": ${field} ${first.found})`, allowed: first.allowed });
    return;
  }
}
