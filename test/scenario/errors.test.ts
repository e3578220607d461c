/**
 * Scenario errors, pinned exactly: the dotted path, the message (what was
 * found, what is allowed), and the line and column in the file, for JSON
 * and YAML input. A change to any message shows up here as a diff.
 */
import { describe, expect, it } from 'vitest';
import { COST_IDS } from '../../src/model/costs.js';
import { DURATION_ALLOWED, formatErrors, parseScenarioText, SCENARIO_TEXT_MAX, SIZE_ALLOWED } from '../../src/scenario/index.js';
import { edited, errorsOf, jsonText, baseScenario } from './helpers.js';

// Line numbers below refer to jsonText(baseScenario()) plus the edit; its
// workload object starts at line 28, its fields at column 7.

describe('syntax errors', () => {
  it('reports malformed JSON once, with line and column', () => {
    expect(errorsOf('{\n  "version": 1,\n  "name": "x",,\n}\n')).toEqual([
      { path: '', message: "not valid JSON: found ',' where a key in double quotes was due", line: 3, column: 15 },
    ]);
  });

  it('reports an unclosed JSON object', () => {
    const [error, ...rest] = errorsOf('{\n  "version": 1,\n  "name": "x"\n');
    expect(rest.length).toBeLessThanOrEqual(2);
    expect(error).toMatchObject({ path: '', line: expect.any(Number), column: expect.any(Number) });
    expect(error!.message).toMatch(/^not valid JSON: /);
  });

  it('says what JSON expected where a comma is missing, not the YAML parser\'s words', () => {
    expect(errorsOf('{\n  "version": 1,\n  "name": "x"\n  "seed": 1\n}\n')).toEqual([{ path: '', message: "not valid JSON: found '\"' where ',' or '}' was due (a missing comma?)", line: 4, column: 3 }]);
    expect(errorsOf('{"version": 1}\n{"version": 1}\n')).toEqual([
      { path: '', message: "not valid JSON: found '{' after the end of the JSON value (a second object, or a stray character)", line: 2, column: 1 },
    ]);
    // Where Node's own message gave no position (the end of the file), and a trailing comma, which YAML would take.
    expect(errorsOf('{\n "version": 1,\n "name": "x",\n "vms": [ , ]\n}\n')).toEqual([{ path: '', message: "not valid JSON: found ',' where the list's first item was due", line: 4, column: 11 }]);
    expect(errorsOf('{\n "version": 1,\n "name": "x",\n}\n')).toEqual([{ path: '', message: "not valid JSON: found '}' after a comma (a trailing comma: JSON allows none)", line: 4, column: 1 }]);
    expect(errorsOf('{\n "version": 1,\n "name": "x",\n "vms": [{"id": "a"},]\n}\n')).toEqual([{ path: '', message: "not valid JSON: found ']' after a comma (a trailing comma: JSON allows none)", line: 4, column: 22 }]);
    // YAML keeps the YAML parser's words.
    expect(errorsOf('version: 1\nname: [x\n', 'x.yaml')[0]!.message).toMatch(/^not valid JSON or YAML: /);
  });

  it('refuses control characters in text, which a terminal would obey (ESC, BEL), with the field and the character', () => {
    const errors = errorsOf(edited((s) => (s.name = 'x\u001b]0;pwned\u0007\u001b[2J')));
    expect(errors).toEqual([
      { path: 'name', message: "found the control character U+001B at character 2, allowed printable text (tabs and line breaks are the only control characters allowed; no bidirectional overrides or isolates)", found: 'the control character U+001B at character 2', allowed: 'printable text (tabs and line breaks are the only control characters allowed; no bidirectional overrides or isolates)', line: 3, column: 3 },
    ]);
    expect(errorsOf(edited((s) => (s.description = 'line one\nline two\u0000')))[0]).toMatchObject({ path: 'description', found: 'the control character U+0000 at character 18' });
    // Tabs and line breaks stay allowed.
    expect(parseScenarioText(edited((s) => (s.description = 'one\ttab\nand a line\r\n'))).ok).toBe(true);
  });

  it('refuses bidirectional overrides and isolates, which make a line read in another order (Trojan Source), but keeps the marks right-to-left text needs', () => {
    expect(errorsOf(edited((s) => (s.name = 'safe \u202Eexe.txt')))[0]).toMatchObject({ path: 'name', found: 'the bidirectional override U+202E at character 6' });
    expect(errorsOf(edited((s) => (s.description = 'a \u2066b\u2069')))[0]).toMatchObject({ path: 'description', found: 'the bidirectional override U+2066 at character 3' });
    expect(parseScenarioText(edited((s) => (s.description = 'שלום\u200F world'))).ok).toBe(true);
  });

  it('refuses auto-EOI on a VM that never runs integration services, and takes it when an action loads them', () => {
    const never = (s: any) => {
      s.vms[0].integrationServices = false;
      s.vms[0].autoEoi = true;
      s.vms[0].disks[0].controller = 'ide';
    };
    expect(errorsOf(edited(never))).toMatchObject([{ path: 'vms.0.autoEoi', found: 'true on a VM that never runs integration services' }]);
    expect(parseScenarioText(edited((s) => (never(s), (s.actions = [{ at: '1ms', do: 'load-integration-services', vm: 'vm1' }])))).ok).toBe(true);
  });

  it('rejects a duplicate key', () => {
    expect(errorsOf('{"version": 1, "version": 1}')).toEqual([
      { path: '', message: 'not valid JSON or YAML: Map keys must be unique', line: 1, column: 16 },
    ]);
  });

  it('rejects YAML tags instead of running them', () => {
    expect(errorsOf('version: 1\nname: !!js/function "return 1"\n', 'x.yaml')).toEqual([
      { path: '', message: 'tags are not allowed in a scenario: Unresolved tag: tag:yaml.org,2002:js/function', line: 2, column: 7 },
    ]);
  });

  it('rejects an empty file and a file that is not an object', () => {
    expect(errorsOf('')).toEqual([{ path: '(top level)', message: 'found an empty file, allowed a scenario object', found: 'an empty file', allowed: 'a scenario object' }]);
    expect(errorsOf('[1, 2]')[0]).toMatchObject({ path: '(top level)', line: 1, column: 1, found: 'a list of 2 items' });
    expect(errorsOf('[1, 2]')[0]!.message).toMatch(/^found a list of 2 items, allowed an object with the fields \$schema, version, name, /);
  });

  it('rejects text over the size limit without parsing it', () => {
    expect(errorsOf(' '.repeat(SCENARIO_TEXT_MAX + 1))).toEqual([
      {
        path: '(top level)',
        message: 'found a text of 1,000,001 characters, allowed at most 1,000,000 characters',
        found: 'a text of 1,000,001 characters',
        allowed: 'at most 1,000,000 characters',
      },
    ]);
  });
});

describe('field errors', () => {
  it('names an unknown field, lists the known ones and suggests the nearest', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].queuDepth = 4)))).toEqual([
      {
        path: 'workloads.0.queuDepth',
        message:
          "found an unknown field 'queuDepth', allowed one of the fields vm, disk, op, readPercent, size, queueDepth, count, duration, pattern, lba, start, stream; did you mean 'queueDepth'?",
        found: "an unknown field 'queuDepth'",
        allowed: "one of the fields vm, disk, op, readPercent, size, queueDepth, count, duration, pattern, lba, start, stream; did you mean 'queueDepth'?",
        line: 32,
        column: 7,
      },
    ]);
  });

  it('names a wrong type with what was found', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].count = 'ten')))).toEqual([
      { path: 'workloads.0.count', message: 'found "ten", allowed an integer 1..1,000,000', found: '"ten"', allowed: 'an integer 1..1,000,000', line: 32, column: 7 },
    ]);
    expect(errorsOf(edited((s) => (s.vms[0].integrationServices = 'yes')))[0]).toMatchObject({
      path: 'vms.0.integrationServices',
      message: 'found "yes", allowed true or false',
    });
  });

  it('names a missing required field at the object that lacks it', () => {
    expect(errorsOf(edited((s) => delete s.name))).toEqual([
      { path: 'name', message: 'missing, allowed a name of 1 to 100 characters', found: 'nothing (the field is missing)', allowed: 'a name of 1 to 100 characters', line: 1, column: 1 },
    ]);
  });

  it('rejects size 0 and negative sizes', () => {
    for (const size of [0, -512]) {
      expect(errorsOf(edited((s) => (s.workloads[0].size = size)))).toEqual([
        { path: 'workloads.0.size', message: `found ${size}, allowed ${SIZE_ALLOWED}`, found: String(size), allowed: SIZE_ALLOWED, line: 31, column: 7 },
      ]);
    }
    expect(errorsOf(edited((s) => (s.workloads[0].size = '0KiB')))[0]!.message).toBe(`found "0KiB" (not positive), allowed ${SIZE_ALLOWED}`);
    expect(errorsOf(edited((s) => (s.workloads[0].size = 1000)))[0]!.message).toBe(`found 1000, allowed ${SIZE_ALLOWED}`);
    expect(errorsOf(edited((s) => (s.workloads[0].size = '1000B')))[0]!.message).toBe(
      `found "1000B" (not a multiple of 512 bytes (one sector)), allowed ${SIZE_ALLOWED}`,
    );
  });

  it("rejects the ambiguous 'KB' and says to write KiB", () => {
    expect(errorsOf(edited((s) => (s.workloads[0].size = '4KB')))[0]!.message).toBe(
      `found "4KB", allowed ${SIZE_ALLOWED} ('KB' is ambiguous (1000 or 1024 bytes?): write KiB (1 KiB = 1024 bytes))`,
    );
  });

  it('rejects queueDepth 0 and 100000', () => {
    for (const queueDepth of [0, 100000]) {
      expect(errorsOf(edited((s) => (s.workloads[0].queueDepth = queueDepth)))).toEqual([
        { path: 'workloads.0.queueDepth', message: `found ${queueDepth}, allowed an integer 1..255`, found: String(queueDepth), allowed: 'an integer 1..255', line: 32, column: 7 },
      ]);
    }
  });

  it('rejects a bad duration', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].start = '5 minutes')))).toEqual([
      { path: 'workloads.0.start', message: `found "5 minutes", allowed ${DURATION_ALLOWED}`, found: '"5 minutes"', allowed: DURATION_ALLOWED, line: 32, column: 7 },
    ]);
    expect(errorsOf(edited((s) => (s.workloads[0].start = '1.5ns')))[0]!.message).toBe(`found "1.5ns" (not a whole number of nanoseconds), allowed ${DURATION_ALLOWED}`);
    expect(errorsOf(edited((s) => (s.limits = { until: '2d' })))[0]).toMatchObject({ path: 'limits.until', message: `found "2d", allowed ${DURATION_ALLOWED}` });
  });

  it('suggests the nearest value of a list for a misspelt one, and none for a word of three letters', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].op = 'wrte')))[0]).toMatchObject({ path: 'workloads.0.op', message: `found "wrte", allowed one of 'read', 'write', 'mixed'; did you mean 'write'?` });
    expect(errorsOf(edited((s) => (s.workloads[0].pattern = 'sequental')))[0]!.allowed).toBe(`one of 'sequential', 'random', 'fixed'; did you mean 'sequential'?`);
    expect(errorsOf(edited((s) => (s.workloads[0].op = 'rd')))[0]!.allowed).toBe(`one of 'read', 'write', 'mixed'`);
    expect(errorsOf(edited((s) => (s.workloads[0].op = 'delete')))[0]!.allowed).toBe(`one of 'read', 'write', 'mixed'`);
  });

  it("suggests the nearest action for a misspelt action's do", () => {
    const [error] = errorsOf(edited((s) => (s.actions = [{ at: '1ms', do: 'turnoff', vm: s.vms[0].id }])));
    expect(error).toMatchObject({ path: 'actions.0.do', found: '"turnoff"' });
    expect(error!.allowed).toMatch(/^do: one of 'load-integration-services', .*'backup'; did you mean 'turn-off'\?$/);
  });

  it('rejects an unknown cost id and suggests the nearest', () => {
    const [error, ...rest] = errorsOf(edited((s) => (s.costs = { vmexit_rountrip: 100 })));
    expect(rest).toEqual([]);
    expect(error).toEqual({
      path: 'costs.vmexit_rountrip',
      message: `found an unknown cost id 'vmexit_rountrip', allowed a cost id (did you mean 'vmexit_roundtrip'?): one of ${COST_IDS.join(', ')}`,
      found: "an unknown cost id 'vmexit_rountrip'",
      allowed: `a cost id (did you mean 'vmexit_roundtrip'?): one of ${COST_IDS.join(', ')}`,
      line: 35,
      column: 5,
    });
  });

  it('names the cost ids of a family asked for by its word', () => {
    const allowedOf = (id: string): string | undefined => errorsOf(edited((s) => (s.costs = { [id]: 100 })))[0]!.allowed;
    expect(allowedOf('hypercall')).toBe(`a cost id (did you mean 'hypercall_signal_event' or 'hypercall_post_message'?): one of ${COST_IDS.join(', ')}`);
    expect(allowedOf('seek')).toMatch(/^a cost id \(did you mean 'hdd_seek_read_avg' or 'hdd_seek_write_avg'\?\)/);
    // A word shared by too many ids (or by none) suggests nothing.
    expect(allowedOf('hdd')).toBe(`a cost id: one of ${COST_IDS.join(', ')}`);
    expect(allowedOf('zzzz')).toBe(`a cost id: one of ${COST_IDS.join(', ')}`);
  });

  it('rejects a negative cost', () => {
    expect(errorsOf(edited((s) => (s.costs = { hba_command: -1 })))[0]).toMatchObject({
      path: 'costs.hba_command',
      message: 'found -1, allowed an integer number of nanoseconds, 0..10,000,000,000',
    });
  });

  it('rejects another format version', () => {
    expect(errorsOf(edited((s) => (s.version = 2)))[0]).toMatchObject({ path: 'version', message: 'found 2, allowed 1 (the scenario format version)', line: 2, column: 3 });
  });

  it('reports every bad field of a file, in file order', () => {
    const errors = errorsOf(edited((s) => {
      s.workloads[0].queueDepth = 0;
      s.host.disks[0].kind = 'tape';
    }));
    expect(errors.map((e) => [e.path, e.line])).toEqual([
      ['host.disks.0.kind', 8],
      ['workloads.0.queueDepth', 32],
    ]);
  });
});

describe('cross-field errors', () => {
  it('names a workload VM that does not exist', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].vm = 'vm2')))).toEqual([
      { path: 'workloads.0.vm', message: `found "vm2" (no VM has this id), allowed one of the VM ids: 'vm1'`, found: '"vm2" (no VM has this id)', allowed: "one of the VM ids: 'vm1'", line: 29, column: 7 },
    ]);
  });

  it('names a workload disk the VM does not have', () => {
    expect(errorsOf(edited((s) => (s.workloads[0].disk = 'logs')))).toEqual([
      {
        path: 'workloads.0.disk',
        message: `found "logs" (VM 'vm1' has no disk with this id), allowed one of the disks of VM 'vm1': 'data'`,
        found: `"logs" (VM 'vm1' has no disk with this id)`,
        allowed: "one of the disks of VM 'vm1': 'data'",
        line: 30,
        column: 7,
      },
    ]);
  });

  it('names a backend host disk that does not exist', () => {
    expect(errorsOf(edited((s) => (s.vms[0].disks[0].backend.disk = 'd9')))[0]).toMatchObject({
      path: 'vms.0.disks.0.backend.disk',
      message: `found "d9" (no host disk has this id), allowed one of the host disk ids: 'd1'`,
      line: 21,
    });
  });

  it('rejects duplicate ids', () => {
    expect(errorsOf(edited((s) => s.vms.push({ id: 'vm1' })))[0]).toMatchObject({ path: 'vms.1.id', message: `found "vm1" (already the id of vms.0), allowed an id no other VM has` });
  });

  it('rejects a SCSI disk on a VM without integration services', () => {
    expect(errorsOf(edited((s) => (s.vms[0].integrationServices = false)))[0]).toMatchObject({
      path: 'vms.0.disks.0.controller',
      message: `found "scsi" on VM 'vm1', which has integrationServices false, allowed 'ide', or integrationServices true on the VM (the synthetic SCSI controller needs the guest's VMBus drivers)`,
      line: 18,
    });
  });

  it('accepts more than 256 sectors per request on an IDE disk (the driver uses the 48-bit EXT commands)', () => {
    const text = edited((s) => {
      s.vms[0].disks[0].controller = 'ide';
      s.workloads[0].size = '8MiB';
    });
    expect(parseScenarioText(text).ok).toBe(true);
  });

  it('rejects requests that run past the end of the disk', () => {
    // The guest sees its VHD's virtual size (127 GiB by default), not the host disk's.
    expect(errorsOf(edited((s) => (s.workloads[0].lba = 266338299)))[0]).toMatchObject({
      path: 'workloads.0.lba',
      message: `found 266338299 (+ 8 sectors ends at sector 266338307), allowed a start sector that keeps the requests within disk 'data' (266338304 sectors): at most 266338296`,
    });
    const sequential = edited((s) => Object.assign(s.workloads[0], { pattern: 'sequential', count: 10, lba: 266338224 }));
    expect(parseScenarioText(sequential).ok).toBe(true); // ends exactly at the last sector
    expect(errorsOf(sequential.replace('266338224', '266338225'))[0]).toMatchObject({
      path: 'workloads.0.lba',
      found: '266338225 (+ 10 requests of 8 sectors ends at sector 266338305)',
    });
  });

  it('names an action on a VM that does not exist, and one past the end of the run', () => {
    const errors = errorsOf(edited((s) => (s.actions = [{ at: '70s', do: 'load-integration-services', vm: 'ghost' }])));
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['actions.0.at', 'found "70s" (not before limits.until, "60s"), allowed a time before limits.until (raise limits.until to run longer)'],
      ['actions.0.vm', `found "ghost" (no VM has this id), allowed one of the VM ids: 'vm1'`],
    ]);
  });
});

describe('YAML input', () => {
  const yaml = [
    'version: 1', // 1
    'name: yaml lab', // 2
    'profile: 2008 # YAML reads this as a number; it is accepted', // 3
    'host:', // 4
    '  disks:', // 5
    '    - id: d1', // 6
    '      kind: tape', // 7
    'vms:', // 8
    '  - id: vm1', // 9
    '    disks:', // 10
    '      - { id: data, controller: scsi, backend: { kind: fixed-vhd, disk: d1 } }', // 11
    'workloads:', // 12
    '  - vm: vm1', // 13
    '    disk: data', // 14
    '    size: 4KiB', // 15
    '    queueDepth: 0', // 16
    '',
  ].join('\n');

  it('reports errors with YAML line numbers', () => {
    expect(errorsOf(yaml, 'lab.yaml')).toEqual([
      { path: 'host.disks.0.kind', message: `found "tape", allowed one of 'hdd', 'ssd'`, found: '"tape"', allowed: "one of 'hdd', 'ssd'", line: 7, column: 7 },
      { path: 'workloads.0.queueDepth', message: 'found 0, allowed an integer 1..255', found: '0', allowed: 'an integer 1..255', line: 16, column: 5 },
    ]);
  });

  it('formats errors as file:line:col path: message', () => {
    expect(formatErrors(errorsOf(yaml, 'lab.yaml'), 'lab.yaml')).toEqual([
      `lab.yaml:7:7 host.disks.0.kind: found "tape", allowed one of 'hdd', 'ssd'`,
      'lab.yaml:16:5 workloads.0.queueDepth: found 0, allowed an integer 1..255',
    ]);
    expect(formatErrors([{ path: '', message: 'not valid JSON or YAML: x', line: 2, column: 3 }], 'a.json')).toEqual(['a.json:2:3 not valid JSON or YAML: x']);
  });

  it('accepts the same scenario once fixed, with profile 2008 as a bare number', () => {
    const fixed = yaml.replace('kind: tape', 'kind: hdd').replace('queueDepth: 0', 'queueDepth: 8');
    const result = parseScenarioText(fixed, 'lab.yaml');
    expect(result.ok && result.scenario.profile).toBe('2008');
    expect(result.ok && result.scenario.workloads[0]!.queueDepth).toBe(8);
  });
});

describe('defaults', () => {
  it('fills in every default of the format', () => {
    const result = parseScenarioText(jsonText(baseScenario()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.scenario;
    expect([s.seed, s.profile, s.options, s.limits, s.actions]).toEqual([
      1,
      '2008',
      { stringIo: 'per-instruction', vmbusSignal: 'hypercall', ringBytes: 131072, commonRandomNumbers: true },
      { maxEvents: 20_000_000, until: '60s' },
      [],
    ]);
    expect(s.host!.disks[0]).toEqual({ id: 'd1', kind: 'hdd', sizeGiB: 450, writeCache: false, sectorFormat: '512n' });
    expect(s.vms[0]).toMatchObject({ os: 'windows', integrationServices: true });
    // ideMode belongs to an IDE disk (default dma when the world is built); this SCSI disk has none.
    expect(s.vms[0]!.disks[0]!.ideMode).toBeUndefined();
    expect(s.workloads[0]).toEqual({ vm: 'vm1', disk: 'data', op: 'write', size: '4KiB', queueDepth: 1, count: 1, pattern: 'fixed', lba: 0, start: 0 });
  });
});

describe('back ends, guests, workloads and actions', () => {
  const base = () => JSON.parse(edited(() => {})) as Record<string, any>;
  const errors = (data: Record<string, any>) => errorsOf(JSON.stringify(data, null, 2));

  it('rejects a field that does not apply to the back end kind', () => {
    const data = base();
    data.vms[0].disks[0].backend.depth = 2;
    expect(errors(data)[0]).toMatchObject({ path: 'vms.0.disks.0.backend.depth', allowed: 'depth only on a differencing-vhd or differencing-vhdx' });
  });

  it('rejects an OS with no synthetic drivers that runs integration services', () => {
    const data = base();
    data.vms[0].os = 'legacy';
    data.vms[0].integrationServices = true;
    expect(errors(data).map((e) => e.path)).toContain('vms.0.integrationServices');
  });

  it('rejects readPercent on a workload that is not mixed', () => {
    const data = base();
    data.workloads[0].readPercent = 30;
    expect(errors(data)[0]).toMatchObject({ path: 'workloads.0.readPercent' });
  });

  it('rejects a snapshot of a passthrough disk, and of a VM with one, naming the disk', () => {
    const data = base();
    data.actions = [{ at: '1ms', do: 'snapshot', vm: data.vms[0].id, disk: data.vms[0].disks[0].id }];
    data.vms[0].disks[0].backend.kind = 'passthrough';
    expect(errors(data)[0]).toMatchObject({ path: 'actions.0.disk', allowed: 'a disk backed by a VHD: a passthrough disk cannot be snapshotted' });
    delete data.actions[0].disk; // a snapshot of the whole VM, as Hyper-V takes it
    const [issue] = errors(data);
    expect(issue).toMatchObject({ path: 'actions.0.do' });
    expect(issue!.found).toContain(`disk '${data.vms[0].disks[0].id}' is a pass-through disk`);
    expect(issue!.allowed).toContain("snapshots can't be used with pass-through disks");
  });

  it('lists only the actions the VM would accept there: a shutdown refused for want of integration services is not offered, nor a revert with no snapshot', () => {
    const data = base();
    data.vms[0].integrationServices = false;
    data.vms[0].disks[0].controller = 'ide';
    data.actions = [{ at: '1s', do: 'shutdown', vm: data.vms[0].id }];
    const [issue] = errors(data);
    expect(issue).toMatchObject({ path: 'actions.0.do' });
    expect(issue!.allowed).toMatch(/^an action a Running VM accepts: save, pause, turn-off, snapshot \(Hyper-V refuses this one with 4097/);
    expect(issue!.allowed).toContain('use turn-off');
    data.actions = [{ at: '1s', do: 'turn-off', vm: data.vms[0].id }, { at: '2s', do: 'restore', vm: data.vms[0].id }];
    expect(errors(data)[0]!.allowed).toMatch(/^an action an Off VM accepts: start, snapshot \(/);
  });

  it('rejects a save or snapshot of a VM with nowhere to keep its state files, and a 51st snapshot', () => {
    const bare = { version: 1, name: 'nd', vms: [{ id: 'vm', memoryMiB: 512 }], actions: [{ at: '1s', do: 'save', vm: 'vm' }] };
    const [issue] = errors(bare);
    expect(issue).toMatchObject({ path: 'actions.0.do' });
    expect(issue!.allowed).toContain('a host disk to keep its state files on');
    const data = base();
    data.actions = Array.from({ length: 51 }, (_, i) => ({ at: `${i + 1}s`, do: 'snapshot', vm: data.vms[0].id }));
    const many = errors(data).find((e) => e.path.startsWith('actions.'));
    expect(many).toMatchObject({ path: 'actions.50.do' });
    expect(many!.allowed).toContain('50 snapshots');
  });

  it('rejects VHD files that cannot fit on their host disk', () => {
    const data = base();
    data.host.disks[0].sizeGiB = 100;
    expect(errors(data)[0]).toMatchObject({ path: 'host.disks.0.sizeGiB' });
  });
});
