/**
 * Fitting a place's label into its box (pure, no pixi): the label itself,
 * over two lines, or shortened, in that order of preference. A label that
 * names a VM (`vmwp.exe (legacy-pio)`) is never cut: it is shortened to its
 * VM's tag instead (`vmwp.exe ①`), which the packet legend and the column
 * titles explain (`labelForms`). Split from layout.ts, which does the
 * grid search (STYLE §5).
 */

/**
 * A place's label as drawn. `centred`: one line, vertically centred, with
 * the counter at the right of the same line. Otherwise the lines stack from
 * the top and the counter sits at the bottom right.
 */
export interface BoxLabel {
  lines: string[];
  centred: boolean;
}

/**
 * The longest form of `label` whose `measure` is at most `maxWidth`:
 * the label itself; else the label cut with an ellipsis, unless the cut
 * would keep less than the label without its parenthetical part
 * (`ATA driver (data)` → `ATA driver`), which is then used (cut if need be).
 */
export function fitLabel(label: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(label) <= maxWidth) return label;
  const cut = (s: string): string => {
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(s.slice(0, mid).trimEnd() + '…') <= maxWidth) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? '' : s.slice(0, lo).trimEnd() + '…';
  };
  const truncated = cut(label);
  const bare = label.replace(/\s*\([^)]*\)\s*$/, '');
  if (bare === label || bare.length === 0) return truncated;
  if (truncated.length - 1 >= bare.length + 3) return truncated;
  return measure(bare) <= maxWidth ? bare : cut(bare);
}

/**
 * Fits `label` into a box: on one line beside the counter if it fits there
 * (`labelWidth`); else, when `twoLine`, over two lines, the first as wide as
 * the box (`lineWidth`) and the second beside the counter, breaking before a
 * parenthesis if that works, else at the last space that fits; else cut.
 */
export function boxLabel(label: string, lineWidth: number, labelWidth: number, twoLine: boolean, measure: (s: string) => number): BoxLabel {
  if (measure(label) <= labelWidth) return { lines: [label], centred: true };
  if (!twoLine) return { lines: [fitLabel(label, labelWidth, measure)], centred: true };
  if (measure(label) <= lineWidth) return { lines: [label], centred: false };
  const paren = label.lastIndexOf(' (');
  if (paren > 0) {
    const first = label.slice(0, paren);
    const rest = label.slice(paren + 1);
    if (measure(first) <= lineWidth && measure(rest) <= labelWidth) return { lines: [first, rest], centred: false };
  }
  const words = label.split(' ');
  for (let k = words.length - 1; k >= 1; k--) {
    const first = words.slice(0, k).join(' ');
    if (measure(first) <= lineWidth) return { lines: [first, fitLabel(words.slice(k).join(' '), labelWidth, measure)], centred: false };
  }
  return { lines: [fitLabel(label, lineWidth, measure)], centred: false };
}

/** Tags for up to 20 VMs: circled digits, drawn by every common UI font. */
const TAGS = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱', '⑲', '⑳'];

/** The tag of the `index`th VM (0-based): a circled digit, else `#n`. */
export function vmTag(index: number): string {
  return TAGS[index] ?? `#${index + 1}`;
}

/**
 * Short forms of the generic place labels every VM repeats, for columns too narrow for the whole word (eight VMs
 * at 1366×768). The inspector and the explanations keep the full name.
 */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Application: 'App',
  'Disk class': 'Disk',
  Volume: 'Vol',
  'Ring data': 'Ring',
  'CPU load': 'CPU',
  StorPort: 'Port', // the port driver of Windows' class / port / miniport storage stack
  storvsc: 'VSC', // the virtualization service client and provider, as the lessons name them
  storvsp: 'VSP',
};

/**
 * The forms a label may take, longest first: a generic label and its short form (`Application` → `App`); the label; for a label ending
 * in a VM's name in parentheses, the label with the VM's tag instead
 * (`vmwp.exe (legacy-pio)` → `vmwp.exe ①`); else the label without its
 * parenthetical part (`storflt (data)` → `storflt`); the part before a
 * ` + ` (`StorPort + miniport` → `StorPort`); for a disk (`Disk d-pio`),
 * its id alone; for a logical processor (`LP3`), its number. `tags` maps a VM id to its tag. A VM's label is never
 * shortened past its tag.
 */
export function labelForms(label: string, tags: ReadonlyMap<string, string>, role?: string): string[] {
  const forms = [label];
  const m = /^(.*\S)\s*\(([^()]+)\)$/.exec(label);
  const tag = m === null ? undefined : tags.get(m[2]!);
  if (m !== null && tag !== undefined) {
    // `IDE emulator (legacy-pio)` → `IDE emulator ①` → `IDE ①`; `vmwp.exe (vm)` → `vmwp ①`. Never cut past the tag.
    const head = m[1]!.split(' ')[0]!.replace(/\.exe$/, '');
    return head === m[1] ? [label, `${m[1]} ${tag}`] : [label, `${m[1]} ${tag}`, `${head} ${tag}`];
  }
  if (m !== null) forms.push(m[1]!);
  const plus = forms[forms.length - 1]!.indexOf(' + ');
  if (plus > 0) forms.push(forms[forms.length - 1]!.slice(0, plus));
  const disk = role === 'disk' ? /^Disk (\S+)$/.exec(label) : null;
  if (disk !== null) forms.push(disk[1]!);
  const lp = role === 'cpu' ? /^LP(\d+)$/.exec(label) : null; // an LP lane: its number beside who runs there
  if (lp !== null) forms.push(lp[1]!);
  const short = SHORT_FORMS[forms[forms.length - 1]!];
  if (short !== undefined) forms.push(short);
  return forms;
}

/**
 * Fits the first of `forms` that `boxLabel` places without cutting it;
 * else the last form, cut as `boxLabel` cuts.
 */
export function fitForms(forms: readonly string[], lineWidth: number, labelWidth: number, twoLine: boolean, measure: (s: string) => number): BoxLabel {
  let fitted: BoxLabel | null = null;
  for (const form of forms) {
    fitted = boxLabel(form, lineWidth, labelWidth, twoLine, measure);
    if (fitted.lines.join(' ') === form) return fitted;
  }
  return fitted ?? { lines: [''], centred: true };
}

/**
 * A column title over two lines, each at most `maxWidth`: broken at a
 * space or after a hyphen (`⑤ rewrite-` / `dynamic`), where the wider
 * line is narrowest; null when no break fits (the title then falls back
 * to its tag). The title row of the projector view has room for two lines.
 */
export function titleLines(name: string, maxWidth: number, measure: (s: string) => number): [string, string] | null {
  let best: [string, string] | null = null;
  let bestW = Infinity;
  for (let i = 1; i < name.length; i++) {
    const c = name.charAt(i - 1);
    if (c !== ' ' && c !== '-') continue;
    const first = name.slice(0, i).trimEnd();
    const second = name.slice(i).trimStart();
    if (first === '' || second === '') continue;
    const w = Math.max(measure(first), measure(second));
    if (w <= maxWidth && w < bestW) {
      best = [first, second];
      bestW = w;
    }
  }
  return best;
}

/**
 * Fits a place's label beside its counter (`counterWidth` wide), or alone
 * when it does not fit there: the count is dropped before the name is
 * shortened or cut, so a box never shows a bare number (the inspector
 * still counts). `counter`: whether the counter is drawn.
 */
export function fitWithCounter(forms: readonly string[], lineWidth: number, counterWidth: number, twoLine: boolean, measure: (s: string) => number): { label: BoxLabel; counter: boolean } {
  const beside = fitForms(forms, lineWidth, lineWidth - counterWidth, twoLine, measure);
  if (counterWidth <= 0 || forms.includes(beside.lines.join(' '))) return { label: beside, counter: true };
  return { label: fitForms(forms, lineWidth, lineWidth, twoLine, measure), counter: false };
}
