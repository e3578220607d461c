/**
 * The expressions lesson answers are written in: arithmetic over the run's
 * figures, read by a small hand-written recursive-descent parser (no eval,
 * no Function, no regular expression over the whole text). A figure is
 * written as claims name one, `vm[/disk[/path]] metric`, e.g.
 * `legacy-pio/data perIo.vmExits` or `enlightened cpuNsPerIo.total`.
 *
 *   comparison := sum ( '<' | '>' | '<=' | '>=' ) sum
 *   sum        := product ( ( '+' | '-' ) product )*
 *   product    := unary ( ( '*' | '/' ) unary )*
 *   unary      := '-' unary | primary
 *   primary    := number | figure | run-figure | '(' sum ')'
 *   figure     := name ( '/' name ( '/' path-kind )? )? spaces metric
 *   run-figure := word ( '.' word | '[' digits ']' )+
 *
 * A '-' inside a VM or disk id belongs to the id (ids may hold hyphens):
 * write a subtraction right after a figure's path with spaces, as any
 * subtraction reads best anyway. Errors carry the 1-based column.
 */
import { PATH_KINDS, type PathKind } from '../../model/trace-events.js';
import { FIGURE_FOLDERS, figureKeys } from '../../metrics/run-figures.js';
import { CLAIM_METRICS, type ClaimMetric } from '../claims.js';
import { closest } from '../errors.js';

/** The longest expression accepted, in characters. */
export const EXPRESSION_MAX = 500;
/** The deepest nesting of parentheses and unary minus accepted. */
const MAX_DEPTH = 32;

/** A reference to one figure: of one path of the run, or of the run beyond its paths. */
export type FigureRef = PathFigureRef | RunFigureRef;

/** A reference to one figure of one path of the run. */
export interface PathFigureRef {
  vm: string;
  disk?: string;
  path?: PathKind;
  metric: ClaimMetric;
  /** The reference as written, e.g. `legacy-pio/data perIo.vmExits`. */
  text: string;
}

/** A figure of the run beyond its paths (VM life, the cluster, scheduling), by its dotted name, as a claim's `figure`. */
export interface RunFigureRef {
  figure: string;
  /** The reference as written (the name). */
  text: string;
}

/** Whether `figure` is a run figure (by name) rather than a path's metric. */
export function isRunFigure(figure: FigureRef): figure is RunFigureRef {
  return 'figure' in figure;
}

/** An arithmetic expression; `start` and `end` are 0-based offsets into the text. */
export type Expr =
  | { type: 'number'; value: number; start: number; end: number }
  | ({ type: 'figure'; start: number; end: number } & FigureRef)
  | { type: 'negate'; operand: Expr; start: number; end: number }
  | { type: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr; start: number; end: number };

/** The comparison operators a choice's `correctIf` may use. */
export const COMPARISON_OPS = ['<', '>', '<=', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** One comparison of two expressions. */
export interface Comparison {
  type: 'comparison';
  op: ComparisonOp;
  left: Expr;
  right: Expr;
}

/** A parse's outcome: the tree, or the first problem with its 1-based column. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; column: number; message: string };

/** What an expression allows, in words (for error messages). */
export const EXPRESSION_ALLOWED =
  "an expression over the run's figures: figures written vm[/disk[/path]] metric (e.g. \"legacy-pio/data perIo.vmExits\") or by their dotted name (e.g. \"migrations[0].blackoutNs\"), numbers, + - * / and parentheses";
/** What a comparison allows, in words. */
export const COMPARISON_ALLOWED =
  "one comparison (<, >, <= or >=) of two expressions over the run's figures: figures written vm[/disk[/path]] metric or by their dotted name, numbers, + - * / and parentheses";

class ParseError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isPathChar = (c: string | undefined): boolean => isLower(c) || isDigit(c) || c === '-' || c === '/';
const isMetricChar = (c: string | undefined): boolean => isLetter(c) || isDigit(c) || c === '.';
const isRunFigureChar = (c: string | undefined): boolean => isLetter(c) || isDigit(c) || c === '.' || c === '-' || c === '_' || c === '[' || c === ']';
const ID = /^[a-z][a-z0-9-]{0,31}$/; // the scenario id pattern (schema.ts ID_PATTERN)

/** A recursive-descent parser over one expression's text. */
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  comparison(): Comparison {
    const left = this.sum();
    this.skipSpace();
    const op = this.comparisonOp();
    if (op === undefined) throw new ParseError(this.pos, this.atEnd() ? 'expected a comparison (<, >, <= or >=)' : `expected a comparison (<, >, <= or >=), found '${this.text[this.pos]}'`);
    const right = this.sum();
    this.end();
    return { type: 'comparison', op, left, right };
  }

  expression(): Expr {
    const expr = this.sum();
    this.end();
    return expr;
  }

  private end(): void {
    this.skipSpace();
    if (this.atEnd()) return;
    const c = this.text[this.pos]!;
    if (c === '<' || c === '>') throw new ParseError(this.pos, `a comparison ('${c}') is allowed only in a choice's correctIf`);
    if (c === ')') throw new ParseError(this.pos, "')' without a matching '('");
    throw new ParseError(this.pos, `expected an operator (+ - * /) or the end, found '${c}'`);
  }

  private comparisonOp(): ComparisonOp | undefined {
    const c = this.text[this.pos];
    if (c !== '<' && c !== '>') return undefined;
    const withEquals = this.text[this.pos + 1] === '=';
    this.pos += withEquals ? 2 : 1;
    return `${c}${withEquals ? '=' : ''}` as ComparisonOp;
  }

  private sum(): Expr {
    let left = this.product();
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c !== '+' && c !== '-') return left;
      this.pos++;
      const right = this.product();
      left = { type: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
  }

  private product(): Expr {
    let left = this.unary();
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c !== '*' && c !== '/') return left;
      this.pos++;
      const right = this.unary();
      left = { type: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Expr {
    this.skipSpace();
    if (this.text[this.pos] !== '-') return this.primary();
    const start = this.pos++;
    this.enter(start);
    const operand = this.unary();
    this.depth--;
    return { type: 'negate', operand, start, end: operand.end };
  }

  private primary(): Expr {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[start];
    if (c === undefined) throw new ParseError(start, 'expected a number, a figure or (, found the end');
    if (c === '(') {
      this.pos++;
      this.enter(start);
      const inner = this.sum();
      this.depth--;
      this.skipSpace();
      if (this.text[this.pos] !== ')') throw new ParseError(this.pos, this.atEnd() ? `expected ')' to close the '(' at column ${start + 1}` : `expected ')' to close the '(' at column ${start + 1}, found '${this.text[this.pos]}'`);
      this.pos++;
      return { ...inner, start, end: this.pos };
    }
    if (isDigit(c) || c === '.') return this.number();
    if (isLower(c)) return this.figure();
    throw new ParseError(start, `expected a number, a figure or (, found '${c}'`);
  }

  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) throw new ParseError(at, `nested more than ${MAX_DEPTH} deep`);
  }

  private number(): Expr {
    const start = this.pos;
    while (isDigit(this.text[this.pos])) this.pos++;
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (!isDigit(this.text[this.pos])) throw new ParseError(this.pos, 'expected a digit after the decimal point');
      while (isDigit(this.text[this.pos])) this.pos++;
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (!isDigit(this.text[this.pos])) throw new ParseError(this.pos, 'expected the digits of an exponent');
      while (isDigit(this.text[this.pos])) this.pos++;
    }
    if (isLetter(this.text[this.pos])) throw new ParseError(this.pos, `a number cannot have a unit or letters ('${this.text[this.pos]}'); figures are in ns, counts or IOPS`);
    const value = Number(this.text.slice(start, this.pos));
    if (!Number.isFinite(value)) throw new ParseError(start, 'the number is too large');
    return { type: 'number', value, start, end: this.pos };
  }

  private figure(): Expr {
    const start = this.pos;
    while (isPathChar(this.text[this.pos])) this.pos++;
    const pathText = this.text.slice(start, this.pos);
    const next = this.text[this.pos];
    if ((next === '.' || next === '[') && !pathText.includes('/')) return this.runFigure(start);
    const segments = pathText.split('/');
    const [vm, disk, path] = segments;
    if (segments.length > 3) throw new ParseError(start, `'${pathText}' has ${segments.length} parts; a figure's path is vm, vm/disk or vm/disk/path`);
    let offset = start;
    for (const [i, segment] of segments.entries()) {
      if (i < 2 && !ID.test(segment)) {
        throw new ParseError(offset, `'${segment}' is not ${i === 0 ? 'a VM' : 'a disk'} id (a lowercase letter, then lowercase letters, digits or '-')`);
      }
      if (i === 2 && !(PATH_KINDS as readonly string[]).includes(segment)) {
        const guess = closest(segment, PATH_KINDS);
        throw new ParseError(offset, `no path '${segment}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}; paths: ${PATH_KINDS.join(', ')}`);
      }
      offset += segment.length + 1;
    }
    if (!isSpace(this.text[this.pos])) {
      if (this.atEnd()) throw new ParseError(this.pos, `expected a metric after '${pathText}' (a figure is vm[/disk[/path]] metric, e.g. "${pathText} perIo.vmExits")`);
      throw new ParseError(this.pos, `expected a space and a metric after '${pathText}', found '${this.text[this.pos]}'`);
    }
    this.skipSpace();
    const metricStart = this.pos;
    if (!isLetter(this.text[this.pos])) {
      throw new ParseError(this.pos, `expected a metric after '${pathText}' (a figure is vm[/disk[/path]] metric, e.g. "${pathText} perIo.vmExits")`);
    }
    while (isMetricChar(this.text[this.pos])) this.pos++;
    const metric = this.text.slice(metricStart, this.pos);
    if (!(CLAIM_METRICS as readonly string[]).includes(metric)) {
      const guess = closest(metric, CLAIM_METRICS);
      throw new ParseError(metricStart, `no metric '${metric}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}; metrics: ${CLAIM_METRICS.join(', ')}`);
    }
    return {
      type: 'figure',
      vm: vm!,
      ...(disk === undefined ? {} : { disk }),
      ...(path === undefined ? {} : { path: path as PathKind }),
      metric: metric as ClaimMetric,
      text: this.text.slice(start, this.pos),
      start,
      end: this.pos,
    };
  }

  /** A run figure by its dotted name, from `start` (its first word is read). */
  private runFigure(start: number): Expr {
    while (isRunFigureChar(this.text[this.pos])) this.pos++;
    const name = this.text.slice(start, this.pos);
    if (figureKeys(name) === undefined) {
      throw new ParseError(start, `'${name}' is not a figure name (words joined by dots, [n] for a list item, e.g. "migrations[0].blackoutNs")`);
    }
    const part = figureKeys(name)![0] as string;
    if (!FIGURE_FOLDERS.some((folder) => folder.part === part)) {
      const parts = FIGURE_FOLDERS.map((folder) => folder.part);
      const guess = closest(part, parts);
      throw new ParseError(start, `no part of the run's figures is called '${part}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}; parts: ${parts.join(', ')}`);
    }
    return { type: 'figure', figure: name, text: name, start, end: this.pos };
  }

  private skipSpace(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

function run<T>(text: string, parse: (parser: Parser) => T): Parsed<T> {
  if (text.length > EXPRESSION_MAX) return { ok: false, column: EXPRESSION_MAX + 1, message: `longer than ${EXPRESSION_MAX} characters` };
  if (text.trim() === '') return { ok: false, column: 1, message: 'empty' };
  const newline = text.search(/[\r\n]/);
  if (newline >= 0) return { ok: false, column: newline + 1, message: 'an expression is one line' };
  try {
    return { ok: true, value: parse(new Parser(text)) };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, column: error.offset + 1, message: error.message };
    throw error;
  }
}

/**
 * Parses an arithmetic expression over figures.
 * @example parseExpression('legacy-pio perIo.vmExits / enlightened perIo.vmExits')
 */
export function parseExpression(text: string): Parsed<Expr> {
  return run(text, (parser) => parser.expression());
}

/**
 * Parses one comparison of two expressions (a choice's `correctIf`).
 * @example parseComparison('legacy-pio cpuNsPerIo.total > 10 * enlightened cpuNsPerIo.total')
 */
export function parseComparison(text: string): Parsed<Comparison> {
  return run(text, (parser) => parser.comparison());
}

/** The figures an expression or comparison reads, in the order written. */
export function figuresOf(tree: Expr | Comparison): FigureRef[] {
  switch (tree.type) {
    case 'comparison':
      return [...figuresOf(tree.left), ...figuresOf(tree.right)];
    case 'number':
      return [];
    case 'figure':
      if (isRunFigure(tree)) return [{ figure: tree.figure, text: tree.text }];
      return [{ vm: tree.vm, ...(tree.disk === undefined ? {} : { disk: tree.disk }), ...(tree.path === undefined ? {} : { path: tree.path }), metric: tree.metric, text: tree.text }];
    case 'negate':
      return figuresOf(tree.operand);
    case 'binary':
      return [...figuresOf(tree.left), ...figuresOf(tree.right)];
  }
}

/** A figure's value, or why it has none. */
export type FigureValue = { ok: true; value: number } | { ok: false; why: string };

/** An evaluation's outcome. */
export type Evaluated<T> = { ok: true; value: T } | { ok: false; why: string };

/**
 * Evaluates an expression, reading each figure through `read`. Pure: it
 * fails (never throws) on a figure without a value, a division by zero or
 * a result that is not finite.
 */
export function evaluateExpression(expr: Expr, read: (figure: FigureRef) => FigureValue): Evaluated<number> {
  switch (expr.type) {
    case 'number':
      return { ok: true, value: expr.value };
    case 'figure': {
      const figure = read(expr);
      return figure.ok ? figure : { ok: false, why: `${expr.text}: ${figure.why}` };
    }
    case 'negate': {
      const operand = evaluateExpression(expr.operand, read);
      return operand.ok ? { ok: true, value: -operand.value } : operand;
    }
    case 'binary': {
      const left = evaluateExpression(expr.left, read);
      if (!left.ok) return left;
      const right = evaluateExpression(expr.right, read);
      if (!right.ok) return right;
      if (expr.op === '/' && right.value === 0) return { ok: false, why: `divides by zero at column ${expr.right.start + 1}` };
      const value = expr.op === '+' ? left.value + right.value : expr.op === '-' ? left.value - right.value : expr.op === '*' ? left.value * right.value : left.value / right.value;
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: 'the result is not a finite number' };
    }
  }
}

/** Evaluates a comparison: whether it holds, with both sides' values. */
export function evaluateComparison(comparison: Comparison, read: (figure: FigureRef) => FigureValue): Evaluated<{ holds: boolean; left: number; right: number }> {
  const left = evaluateExpression(comparison.left, read);
  if (!left.ok) return left;
  const right = evaluateExpression(comparison.right, read);
  if (!right.ok) return right;
  const l = left.value;
  const r = right.value;
  const holds = comparison.op === '<' ? l < r : comparison.op === '>' ? l > r : comparison.op === '<=' ? l <= r : l >= r;
  return { ok: true, value: { holds, left: l, right: r } };
}
