import { describe, expect, it } from 'vitest';
import { gridPoints, gridProblem, makePoint, parseFieldPath, parseVaryOption, parseVaryValue, pointErrorLines } from '../../src/scenario/experiment/index.js';
import { bundledScenario, parseScenarioText } from '../../src/scenario/index.js';

const queueDepth = JSON.parse(bundledScenario('queue-depth')!.text) as Record<string, unknown>;

describe('field paths', () => {
  it('read brackets and dots alike', () => {
    expect(parseFieldPath('workloads[3].queueDepth')).toEqual({ ok: true, steps: ['workloads', 3, 'queueDepth'] });
    expect(parseFieldPath('workloads.3.queueDepth')).toEqual({ ok: true, steps: ['workloads', 3, 'queueDepth'] });
    expect(parseFieldPath('costs.vmexit_roundtrip')).toEqual({ ok: true, steps: ['costs', 'vmexit_roundtrip'] });
    expect(parseFieldPath('host.disks[1].kind')).toEqual({ ok: true, steps: ['host', 'disks', 1, 'kind'] });
    expect(parseFieldPath('profile')).toEqual({ ok: true, steps: ['profile'] });
  });

  it('refuse what is not a path, saying what is allowed', () => {
    for (const bad of ['', 'workloads[x]', 'a..b', '[0].queueDepth', 'a b', 'workloads[1']) {
      const parsed = parseFieldPath(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/allowed names joined by '\.'/);
    }
  });
});

describe('--vary', () => {
  it('reads numbers, booleans and text', () => {
    expect(parseVaryValue('16')).toBe(16);
    expect(parseVaryValue('2.5')).toBe(2.5);
    expect(parseVaryValue('true')).toBe(true);
    expect(parseVaryValue('modern')).toBe('modern');
    expect(parseVaryValue('"4KiB"')).toBe('4KiB');
    expect(parseVaryOption('profile=2008,modern')).toEqual({ ok: true, axis: { field: 'profile', values: [2008, 'modern'] } });
    // A comma inside quotes is part of the value; quotes make a number text.
    expect(parseVaryOption('description="x,y",\'a, b\',plain')).toEqual({ ok: true, axis: { field: 'description', values: ['x,y', 'a, b', 'plain'] } });
    expect(parseVaryOption('name="123",456')).toEqual({ ok: true, axis: { field: 'name', values: ['123', 456] } });
  });

  it('names what is wrong', () => {
    const noEq = parseVaryOption('queueDepth');
    expect(noEq.ok === false && noEq.message).toMatch(/allowed <field>=<v1,v2,…>/);
    const empty = parseVaryOption('profile=2008,,modern');
    expect(empty.ok === false && empty.message).toMatch(/none empty/);
    const open = parseVaryOption('description="x,y');
    expect(open.ok === false && open.message).toMatch(/a quote that is not closed/);
  });

  it('makes a grid with the first axis slowest and refuses a field twice', () => {
    const axes = [
      { field: 'profile', values: ['2008', 'modern'] },
      { field: 'workloads[0].queueDepth', values: [1, 2, 4] },
    ];
    const points = gridPoints(axes);
    expect(points).toHaveLength(6);
    expect(points[0]).toEqual({ profile: '2008', 'workloads[0].queueDepth': 1 });
    expect(points[3]).toEqual({ profile: 'modern', 'workloads[0].queueDepth': 1 });
    expect(gridProblem(axes)).toBeNull();
    expect(gridProblem([...axes, { field: 'workloads.0.queueDepth', values: [8] }])).toMatch(/varied twice/);
  });
});

describe('sweep points', () => {
  it('are the scenario with the value set, validated by the parser', () => {
    const point = makePoint(queueDepth, { 'workloads[3].queueDepth': 8 });
    expect(point.ok).toBe(true);
    if (point.ok) expect(point.scenario.workloads[3]!.queueDepth).toBe(8);
    expect((queueDepth.workloads as { queueDepth: number }[])[3]!.queueDepth).toBe(32); // the input is not changed
  });

  it('create missing objects (costs) and accept a profile given as a number', () => {
    const point = makePoint(queueDepth, { 'costs.vmexit_roundtrip': 700, profile: 2008 });
    expect(point.ok).toBe(true);
    if (point.ok) {
      expect(point.scenario.costs?.vmexit_roundtrip).toBe(700);
      expect(point.scenario.profile).toBe('2008');
    }
  });

  it('say which point and field are wrong, what was found and what is allowed', () => {
    const tooDeep = makePoint(queueDepth, { 'workloads[3].queueDepth': 300 });
    expect(tooDeep).toMatchObject({ ok: false, errors: ['point workloads[3].queueDepth=300: workloads.3.queueDepth: found 300, allowed an integer 1..255'] });
    const noItem = makePoint(queueDepth, { 'workloads[9].queueDepth': 4 });
    expect(noItem).toMatchObject({ ok: false, errors: ['point workloads[9].queueDepth=4: cannot set workloads[9].queueDepth: workloads has 4 items (0..3), found index 9'] });
    const misspelt = makePoint(queueDepth, { 'workloads[0].queueDeth': 4 });
    expect(misspelt.ok).toBe(false);
    if (!misspelt.ok) expect(misspelt.errors[0]).toMatch(/^point workloads\[0\]\.queueDeth=4: workloads\.0\.queueDeth: .*queueDepth/);
    const notObject = makePoint(queueDepth, { 'profile.x': 1 });
    expect(notObject).toMatchObject({ ok: false, errors: ['point profile.x=1: cannot set profile.x: profile is "modern", not an object, so it has no field \'x\''] });
  });

  it('show every error of a point, not only the first field that cannot be set (audit finding 10)', () => {
    const both = makePoint(queueDepth, { 'workloads[0].queueDepth': 999, 'workloads[7].count': 5 });
    expect(both).toMatchObject({
      ok: false,
      errors: ['point workloads[0].queueDepth=999 workloads[7].count=5: cannot set workloads[7].count: workloads has 4 items (0..3), found index 7', 'point workloads[0].queueDepth=999 workloads[7].count=5: workloads.0.queueDepth: found 999, allowed an integer 1..255'],
    });
  });

  it('refuse to vary the sweep block itself, whose values no point reads (audit finding 10)', () => {
    const message = "found 'sweep.replications': the sweep block says how to sweep, it is not a field of the scenario to vary; allowed any other field (names joined by '.', with [n] or .n for a list item, e.g. workloads[0].queueDepth, profile or costs.vmexit_roundtrip); give replications with --replications";
    expect(parseVaryOption('sweep.replications=3')).toEqual({ ok: false, message: `--vary: ${message}` });
    expect(makePoint(queueDepth, { 'sweep.replications': 3 })).toMatchObject({ ok: false, problems: [message] });
  });

  it('keep a value the scenario holds as text as text: profile 2008 is "2008" (audit finding 12)', () => {
    const point = makePoint(queueDepth, { profile: 2008, 'workloads[3].queueDepth': 8 });
    expect(point.values).toEqual({ profile: '2008', 'workloads[3].queueDepth': 8 });
  });

  it('refuse a value given twice (audit finding 12)', () => {
    expect(parseVaryOption('workloads[0].queueDepth=1,1,2')).toEqual({ ok: false, message: "--vary workloads[0].queueDepth: found '1' twice; allowed each value once (a repeated value would run the same point twice and plot two points at one x)" });
  });

  it('refuse the names of object machinery, which would pollute every object', () => {
    for (const field of ['__proto__.polluted', 'constructor.prototype.polluted', 'workloads[0].__proto__.x', 'options.constructor']) {
      const path = parseFieldPath(field);
      expect(path.ok).toBe(false);
      if (!path.ok) expect(path.message).toMatch(/is not a field of a scenario/);
      const point = makePoint(queueDepth, { [field]: 1 });
      expect(point.ok).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(parseVaryOption('__proto__.polluted=1')).toMatchObject({ ok: false, message: expect.stringMatching(/^--vary: found '__proto__\.polluted': '__proto__' is not a field of a scenario/) });
  });

  it('say each problem once with the points that have it', () => {
    const points = gridPoints([
      { field: 'costs.vmbus_signal', values: [500, 2000] },
      { field: 'workloads[3].queueDepth', values: [8, 300] },
    ]).map((values) => makePoint(queueDepth, values));
    const lines = pointErrorLines(points);
    // The unknown cost id breaks all four points alike: one line, not four lists of every cost id.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^every point \(4\): costs\.vmbus_signal: found an unknown cost id 'vmbus_signal'/);
    expect(lines[1]).toBe('points costs.vmbus_signal=500 workloads[3].queueDepth=300; costs.vmbus_signal=2000 workloads[3].queueDepth=300 (2 of 4): workloads.3.queueDepth: found 300, allowed an integer 1..255');
    const one = pointErrorLines(gridPoints([{ field: 'workloads[3].queueDepth', values: [8, 300] }]).map((values) => makePoint(queueDepth, values)));
    expect(one).toEqual(['point workloads[3].queueDepth=300: workloads.3.queueDepth: found 300, allowed an integer 1..255']);
    expect(pointErrorLines(gridPoints([{ field: 'workloads[3].queueDepth', values: [8] }]).map((values) => makePoint(queueDepth, values)))).toEqual([]);
  });
});

describe('the sweep block', () => {
  it('is part of a valid scenario and leaves the points', () => {
    const text = JSON.stringify({ ...queueDepth, sweep: { vary: [{ field: 'workloads[0].queueDepth', values: [1, 2] }], replications: 3 } }, null, 2);
    const parsed = parseScenarioText(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.scenario.sweep).toEqual({ vary: [{ field: 'workloads[0].queueDepth', values: [1, 2] }], replications: 3 });
    const point = makePoint(JSON.parse(text), { 'workloads[0].queueDepth': 2 });
    expect(point.ok && point.scenario.sweep).toBeUndefined();
  });

  it('checks the form of its field paths, with the line', () => {
    const text = JSON.stringify({ ...queueDepth, sweep: { vary: [{ field: 'workloads[x]', values: [1] }] } }, null, 2);
    const parsed = parseScenarioText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors[0]!.path).toBe('sweep.vary.0.field');
      expect(parsed.errors[0]!.message).toMatch(/^found "workloads\[x\]", allowed names joined/);
      expect(parsed.errors[0]!.line).toBeGreaterThan(1);
    }
  });
});

describe('a sweep block without vary', () => {
  it('asks for replications only, and an empty block is an error', () => {
    const only = parseScenarioText(JSON.stringify({ ...queueDepth, sweep: { replications: 5 } }));
    expect(only.ok && only.scenario.sweep).toEqual({ replications: 5 });
    const empty = parseScenarioText(JSON.stringify({ ...queueDepth, sweep: {} }, null, 2));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors[0]).toMatchObject({ path: 'sweep', message: expect.stringMatching(/allowed an object with vary \(the fields to vary\), replications, or both/) });
  });
});

describe('a sweep block lists each value once', () => {
  it('refuses a value twice, as --vary does, naming where', () => {
    const data = JSON.parse(bundledScenario('queue-depth')!.text) as Record<string, unknown>;
    data['sweep'] = { vary: [{ field: 'workloads[3].queueDepth', values: [1, 1, 2] }] };
    const parsed = parseScenarioText(JSON.stringify(data));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([expect.stringMatching(/^sweep\.vary\.0\.values\.1: .*each value once/)]);
    data['sweep'] = { vary: [{ field: 'workloads[3].queueDepth', values: [1, 2] }] };
    expect(parseScenarioText(JSON.stringify(data)).ok).toBe(true);
  });
});
