/**
 * The boundary test (STYLE §4.2, §4.10): the engine imports nothing outside
 * src/engine and reads no wall clock or global randomness; the model imports
 * neither the presentation layers nor global randomness or clocks. Each
 * violation is reported as `path:line: what`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const ENGINE_DIR = join(ROOT, 'src', 'engine');
const MODEL_DIR = join(ROOT, 'src', 'model');

interface Rule {
  pattern: RegExp;
  what: string;
}

const rule = (pattern: RegExp, what: string): Rule => ({ pattern, what });

const RANDOMNESS_AND_CLOCKS: Rule[] = [
  rule(/\bMath\s*\.\s*random\b/, 'Math.random'),
  rule(/\bDate\s*\.\s*now\b/, 'Date.now'),
  rule(/\bperformance\s*\.\s*now\b/, 'performance.now'),
];

const ENGINE_FORBIDDEN: Rule[] = [
  ...RANDOMNESS_AND_CLOCKS,
  rule(/\bnew\s+Date\b/, 'new Date'),
  rule(/\bsetTimeout\b/, 'setTimeout'),
  rule(/\bsetInterval\b/, 'setInterval'),
  rule(/\bsetImmediate\b/, 'setImmediate'),
  rule(/\brequestAnimationFrame\b/, 'requestAnimationFrame'),
  rule(/\bqueueMicrotask\b/, 'queueMicrotask'),
  rule(/\bprocess\s*\.\s*hrtime\b/, 'process.hrtime'),
];

/** Every .ts file under `dir`, recursively, sorted. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

/**
 * Blanks out comments, keeping every newline so line numbers survive.
 * Knows string and template literals well enough not to take `//` inside one
 * for a comment; the code inside strings stays visible to the scans.
 */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quote !== null) {
      out += c;
      if (c === '\\' && next !== undefined) {
        out += next;
        i += 2;
        continue;
      }
      if (c === quote || (c === '\n' && quote !== '`')) quote = null;
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

interface ModuleReference {
  specifier: string;
  line: number;
}

/** Module specifiers in static imports, `export … from`, side-effect imports, `import()` and `require()`. */
function moduleReferences(code: string): ModuleReference[] {
  const patterns = [
    /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g,
    /\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g,
  ];
  const refs: ModuleReference[] = [];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) {
      const at = m.index + m[0].lastIndexOf(m[2]!);
      refs.push({ specifier: m[2]!, line: lineAt(code, at) });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

/** `path:line: what` for every line where a rule's pattern appears. */
function forbiddenUses(code: string, rules: Rule[]): { line: number; what: string }[] {
  const found: { line: number; what: string }[] = [];
  code.split('\n').forEach((text, i) => {
    for (const r of rules) if (r.pattern.test(text)) found.push({ line: i + 1, what: r.what });
  });
  return found;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const display = (file: string): string => relative(ROOT, file).split(sep).join('/');

/** Where a relative specifier points, as an absolute path; null for bare specifiers. */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  return resolve(dirname(file), specifier);
}

const inside = (dir: string, path: string): boolean => path === dir || path.startsWith(dir + sep);

function engineViolations(file: string): string[] {
  const code = stripComments(readFileSync(file, 'utf8'));
  const out: string[] = [];
  for (const { specifier, line } of moduleReferences(code)) {
    const to = target(file, specifier);
    const ok = specifier.startsWith('./') && to !== null && inside(ENGINE_DIR, to);
    if (!ok) out.push(`${display(file)}:${line}: imports '${specifier}', which leaves src/engine`);
  }
  for (const { line, what } of forbiddenUses(code, ENGINE_FORBIDDEN)) {
    out.push(`${display(file)}:${line}: uses ${what}`);
  }
  return out;
}

const MODEL_FORBIDDEN_DIRS = ['ui', 'render', 'scenario', 'metrics', 'cli'].map((d) => join(ROOT, 'src', d));

function modelViolations(file: string): string[] {
  const code = stripComments(readFileSync(file, 'utf8'));
  const out: string[] = [];
  for (const { specifier, line } of moduleReferences(code)) {
    const to = target(file, specifier);
    const pixi = specifier === 'pixi.js' || specifier.startsWith('pixi.js/') || specifier.startsWith('@pixi/');
    const layer = to !== null && MODEL_FORBIDDEN_DIRS.find((dir) => inside(dir, to) || inside(dir, to.replace(/\.[jt]s$/, '')));
    if (pixi) out.push(`${display(file)}:${line}: imports '${specifier}' (pixi belongs to the renderer)`);
    else if (layer) out.push(`${display(file)}:${line}: imports '${specifier}', which is in ${display(layer)}`);
  }
  for (const { line, what } of forbiddenUses(code, RANDOMNESS_AND_CLOCKS)) {
    out.push(`${display(file)}:${line}: uses ${what}`);
  }
  return out;
}

describe('engine boundary (src/engine)', () => {
  const files = existsSync(ENGINE_DIR) ? tsFiles(ENGINE_DIR) : [];

  it('has files to scan', () => {
    expect(files.length, `no .ts files found under ${display(ENGINE_DIR)}`).toBeGreaterThan(0);
    expect(files.map(display)).toContain('src/engine/simulation.ts');
  });

  it('imports nothing outside src/engine and reads no clock or global randomness', () => {
    expect(files.flatMap(engineViolations)).toEqual([]);
  });
});

describe('model boundary (src/model)', () => {
  it('imports no presentation layer and reads no clock or global randomness', () => {
    expect(existsSync(MODEL_DIR)).toBe(true);
    expect(tsFiles(MODEL_DIR).flatMap(modelViolations)).toEqual([]);
  });
});

/**
 * The dependency table of STYLE §4.2 (and DESIGN §1), one row per folder:
 * which folders (and packages) it may import at run time, and which only
 * with `import type`. scenario may use metrics: runScenario returns the
 * figures the CLI and the app both show (pure functions, no cycle).
 */
const LAYERS: Record<string, { runtime: string[]; typeOnly: string[]; packages: string[] }> = {
  metrics: { runtime: ['metrics'], typeOnly: ['engine', 'model'], packages: [] },
  render: { runtime: ['render'], typeOnly: ['engine', 'model', 'metrics'], packages: ['pixi.js'] },
  scenario: { runtime: ['scenario', 'engine', 'model', 'metrics'], typeOnly: [], packages: ['zod', 'yaml'] },
  cli: { runtime: ['cli', 'engine', 'model', 'scenario', 'metrics'], typeOnly: [], packages: [] },
  ui: { runtime: ['ui', 'engine', 'model', 'scenario', 'metrics', 'render'], typeOnly: [], packages: ['pixi.js'] },
};

/** Is the statement around `index` an `import type` / `export type`? */
function typeOnlyAt(code: string, index: number): boolean {
  const start = Math.max(code.lastIndexOf(';', index), code.lastIndexOf('\n\n', index), 0);
  return /\b(?:import|export)\s+type\b/.test(code.slice(start, index));
}

function layerViolations(layer: string, file: string): string[] {
  const rules = LAYERS[layer]!;
  const code = stripComments(readFileSync(file, 'utf8'));
  const out: string[] = [];
  for (const { specifier, line } of moduleReferences(code)) {
    const to = target(file, specifier);
    if (to === null) {
      const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      if (!pkg.startsWith('node:') && !rules.packages.includes(pkg)) out.push(`${display(file)}:${line}: imports package '${specifier}'`);
      if (pkg.startsWith('node:') && layer !== 'cli' && layer !== 'scenario') out.push(`${display(file)}:${line}: imports '${specifier}' (Node only)`);
      continue;
    }
    // The bundled scenarios and lessons are data files the scenario layer ships (scenarios/*.json, lessons/*.json).
    if (layer === 'scenario' && (inside(join(ROOT, 'scenarios'), to) || inside(join(ROOT, 'lessons'), to)) && to.endsWith('.json')) continue;
    const folder = relative(join(ROOT, 'src'), to).split(sep)[0]!;
    if (rules.runtime.includes(folder)) continue;
    const index = code.split('\n').slice(0, line - 1).join('\n').length + 1;
    if (rules.typeOnly.includes(folder) && typeOnlyAt(code, index + code.slice(index).indexOf(specifier))) continue;
    out.push(`${display(file)}:${line}: imports '${specifier}' from src/${folder}${rules.typeOnly.includes(folder) ? ' at run time (types only allowed)' : ''}`);
  }
  return out;
}

describe.each(Object.keys(LAYERS))('boundary of src/%s', (layer) => {
  it('imports only what the dependency table allows', () => {
    const dir = join(ROOT, 'src', layer);
    const files = tsFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => layerViolations(layer, f))).toEqual([]);
  });
});

/**
 * Folder edges between the subfolders of src/model (type-only imports
 * count too: a cycle of types is still a knot between folders). Files
 * directly in src/model (the cost table, the trace catalog, the tracer, the
 * composition root) are the model's shared base and its wiring, not a
 * folder, and are left out.
 */
function modelFolderEdges(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of tsFiles(MODEL_DIR)) {
    const from = relative(MODEL_DIR, dirname(file)).split(sep)[0]!;
    if (from === '') continue;
    const code = stripComments(readFileSync(file, 'utf8'));
    for (const { specifier, line } of moduleReferences(code)) {
      const to = target(file, specifier);
      if (to === null || !inside(MODEL_DIR, to)) continue;
      const rel = relative(MODEL_DIR, to).split(sep);
      if (rel.length < 2) continue; // a file directly in src/model
      const folder = rel[0]!;
      if (folder === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const out = edges.get(from)!;
      if (!out.has(folder)) out.set(folder, `${display(file)}:${line}`);
    }
  }
  return edges;
}

/** Every cycle in `edges` (each reported once, from its smallest folder), as `a -> b -> a` with the import that makes each step. */
function folderCycles(edges: Map<string, Map<string, string>>): string[] {
  const cycles: string[] = [];
  const nodes = [...edges.keys()].sort();
  for (const start of nodes) {
    const walk = (node: string, path: string[], via: string[]): void => {
      for (const [next, at] of [...(edges.get(node) ?? new Map<string, string>())].sort()) {
        if (next === start) cycles.push([...path, start].join(' -> ') + ` (${[...via, at].join(', ')})`);
        else if (next > start && !path.includes(next)) walk(next, [...path, next], [...via, at]);
      }
    };
    walk(start, [start], []);
  }
  return cycles;
}

describe('folders of src/model', () => {
  it('import one another without a cycle (no partition <-> storage knot)', () => {
    const edges = modelFolderEdges();
    expect(edges.size).toBeGreaterThan(3);
    expect(folderCycles(edges)).toEqual([]);
  });

  it('the cycle finder finds a cycle, once, with the imports that make it', () => {
    const e = new Map([
      ['partition', new Map([['storage', 'p.ts:3']])],
      ['storage', new Map([['partition', 's.ts:7'], ['hardware', 's.ts:8']])],
      ['hardware', new Map<string, string>()],
    ]);
    expect(folderCycles(e)).toEqual(['partition -> storage -> partition (p.ts:3, s.ts:7)']);
    e.get('storage')!.delete('partition');
    expect(folderCycles(e)).toEqual([]);
  });
});

describe('the scanner itself', () => {
  const sample = [
    "import { a } from './a.js';", // 1
    'import {', // 2
    '  b,', // 3
    "} from '../model/b.js';", // 4
    "export * from 'node:fs';", // 5
    "import './side-effect.js';", // 6
    "const lazy = import('pixi.js');", // 7
    '// Math.random() in a comment is fine', // 8
    '/* Date.now() in a block', // 9
    '   comment is fine too */', // 10
    "const url = 'http://example'; const r = Math.random();", // 11
    'const t = performance.now(); setTimeout(f, 1);', // 12
    'const d = new Date();', // 13
    "export { x } from './sub/x.js';", // 14
  ].join('\n');
  const code = stripComments(sample);

  it('finds every kind of module reference with its line', () => {
    expect(moduleReferences(code)).toEqual([
      { specifier: './a.js', line: 1 },
      { specifier: '../model/b.js', line: 4 },
      { specifier: 'node:fs', line: 5 },
      { specifier: './side-effect.js', line: 6 },
      { specifier: 'pixi.js', line: 7 },
      { specifier: './sub/x.js', line: 14 },
    ]);
  });

  it('finds forbidden uses in code but not in comments', () => {
    expect(forbiddenUses(code, ENGINE_FORBIDDEN)).toEqual([
      { line: 11, what: 'Math.random' },
      { line: 12, what: 'performance.now' },
      { line: 12, what: 'setTimeout' },
      { line: 13, what: 'new Date' },
    ]);
  });

  it('keeps line numbers when stripping comments', () => {
    expect(code.split('\n')).toHaveLength(sample.split('\n').length);
    expect(code).toContain("'http://example'");
  });
});

describe('the experiment worker', () => {
  /** Every file a run-time import chain from `entry` reaches (type-only imports are erased), with the packages each imports. */
  function reach(entry: string): Map<string, string[]> {
    const seen = new Map<string, string[]>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      const packages: string[] = [];
      seen.set(file, packages);
      const code = stripComments(readFileSync(file, 'utf8'));
      for (const { specifier } of moduleReferences(code)) {
        const at = code.indexOf(specifier);
        if (typeOnlyAt(code, at)) continue;
        const to = target(file, specifier);
        if (to === null) packages.push(specifier);
        else visit(to.replace(/\.js$/, '.ts'));
      }
    };
    visit(entry);
    return seen;
  }

  it('loads no zod: a worker builds and runs validated scenarios, it never parses one (issue 13, the sweep on worker threads)', () => {
    const files = reach(join(ROOT, 'src/cli/experiment-worker.ts'));
    expect(files.size).toBeGreaterThan(50);
    const withZod = [...files].filter(([, packages]) => packages.includes('zod')).map(([file]) => display(file));
    expect(withZod).toEqual([]);
  });
});
