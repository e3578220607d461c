/**
 * Where a text written as JSON first breaks JSON's grammar (RFC 8259), and
 * what was found there, for a scenario or lesson file's error: the line
 * and column of the token itself. `JSON.parse`'s own message gives no
 * position on every engine (Node 20's V8 quotes a snippet for an
 * unexpected token, and put `[ , ]` at the end of the file), and the YAML
 * parser, which reads what JSON does and more, takes a trailing comma that
 * every JSON tool and editor rejects. It checks the grammar only; the
 * values are read by the YAML parser as before.
 */

/** The first place `text` breaks JSON's grammar, or null when it is JSON. */
export interface JsonBreak {
  /** Offset of the character where the grammar broke (the text's length: it ended early). */
  offset: number;
  /** What was found there and what was due, in words. */
  message: string;
}

/** Nesting beyond this is refused rather than recursed into. */
const MAX_DEPTH = 512;

/** The first break of JSON's grammar in `text`, or null. */
export function scanJson(text: string): JsonBreak | null {
  return new Scanner(text).document();
}

class Scanner {
  private at: number;
  constructor(private readonly text: string) {
    this.at = text.startsWith('\uFEFF') ? 1 : 0; // a byte-order mark before the text
  }

  document(): JsonBreak | null {
    const broke = this.value(0);
    if (broke !== null) return broke;
    this.space();
    return this.at < this.text.length ? this.fail(`found ${this.found()} after the end of the JSON value (a second object, or a stray character)`) : null;
  }

  private value(depth: number): JsonBreak | null {
    this.space();
    const c = this.text[this.at];
    if (c === undefined) return this.fail('the text ends where a value was due');
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return null;
      }
    }
    return this.fail(`found ${this.found()} where a value was due`);
  }

  private object(depth: number): JsonBreak | null {
    if (depth > MAX_DEPTH) return this.fail(`more than ${MAX_DEPTH} objects and arrays nested`);
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return null;
    }
    for (;;) {
      this.space();
      const c = this.text[this.at];
      if (c === '}') return this.fail("found '}' after a comma (a trailing comma: JSON allows none)");
      if (c !== '"') return this.fail(`found ${this.found()} where a key in double quotes was due`);
      const key = this.string();
      if (key !== null) return key;
      this.space();
      if (this.text[this.at] !== ':') return this.fail(`found ${this.found()} where ':' after a key was due`);
      this.at++;
      const value = this.value(depth);
      if (value !== null) return value;
      this.space();
      const next = this.text[this.at];
      if (next === '}') {
        this.at++;
        return null;
      }
      if (next !== ',') return this.fail(`found ${this.found()} where ',' or '}' was due (a missing comma?)`);
      this.at++;
    }
  }

  private array(depth: number): JsonBreak | null {
    if (depth > MAX_DEPTH) return this.fail(`more than ${MAX_DEPTH} objects and arrays nested`);
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return null;
    }
    for (let first = true; ; first = false) {
      this.space();
      const c = this.text[this.at];
      if (c === ']' && !first) return this.fail("found ']' after a comma (a trailing comma: JSON allows none)");
      if (c === ',') return this.fail(first ? "found ',' where the list's first item was due" : "found ',' right after a comma (an item missing)");
      const value = this.value(depth);
      if (value !== null) return value;
      this.space();
      const next = this.text[this.at];
      if (next === ']') {
        this.at++;
        return null;
      }
      if (next !== ',') return this.fail(`found ${this.found()} where ',' or ']' was due (a missing comma?)`);
      this.at++;
    }
  }

  private string(): JsonBreak | null {
    const start = this.at;
    this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) {
        this.at = start;
        return this.fail('a string that is never closed (a missing ")');
      }
      if (c === '"') {
        this.at++;
        return null;
      }
      if (c === '\\') {
        const e = this.text[this.at + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) return this.fail('a \\u escape without four hexadecimal digits');
          this.at += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.at += 2;
        else return this.fail(`an escape \\${e ?? ''} that JSON does not have (its escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
        continue;
      }
      if (c < ' ') return this.fail('a line break or control character inside a string (write it as an escape, \\n)');
      this.at++;
    }
  }

  private number(): JsonBreak | null {
    // The longest run that could be a number, then its parts checked: a break is placed where a digit was due.
    const run = /^-?\d*(\.\d*)?([eE][+-]?\d*)?/.exec(this.text.slice(this.at, this.at + 400))![0];
    const start = this.at;
    const sign = run.startsWith('-') ? 1 : 0;
    const integer = /^\d*/.exec(run.slice(sign))![0];
    if (integer === '') {
      this.at = start + sign;
      return this.fail(`found ${this.found()} where a digit was due after '-'`);
    }
    if (integer.length > 1 && integer.startsWith('0')) {
      this.at = start + sign + 1;
      return this.fail('a number with a leading zero (JSON writes 7, not 07)');
    }
    let at = start + sign + integer.length;
    const fraction = run.slice(at - start).match(/^\.(\d*)/);
    if (fraction !== null) {
      if (fraction[1] === '') {
        this.at = at + 1;
        return this.fail(`found ${this.found()} where a digit was due after '.'`);
      }
      at += fraction[0].length;
    }
    const exponent = run.slice(at - start).match(/^[eE][+-]?(\d*)/);
    if (exponent !== null) {
      if (exponent[1] === '') {
        this.at = at + exponent[0].length;
        return this.fail(`found ${this.found()} where a digit of the exponent was due`);
      }
      at += exponent[0].length;
    }
    this.at = at;
    return null;
  }

  private space(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t[this.at];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.at++;
    }
  }

  /** The character at the current place, quoted, or named by its code when it cannot be seen (a control character, a non-breaking space), or "the end of the text". */
  private found(): string {
    const c = this.text[this.at];
    if (c === undefined) return 'the end of the text';
    const code = c.charCodeAt(0);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code < 32 || code === 127) return `the control character ${hex}`;
    return code > 126 && /[\s\u00AD\u200B-\u200F\u2028-\u202F\u2060\uFEFF]/.test(c) ? `the invisible character ${hex}` : `'${c}'`;
  }

  private fail(message: string): JsonBreak {
    return { offset: this.at, message };
  }
}
