/**
 * The support policy's verdicts beside the claims: supported or not for
 * the host and each VM, and under each, the rules it breaks with what broke
 * them and the quote they rest on (`scenario/policy/`, the same verdicts
 * `hvsim check` prints). Text only (textContent): findings quote ids from
 * the scenario file. Hidden for a scenario with nothing to say: no rule
 * broken and no Exchange VM.
 */
import { brokenRulesText, type BrokenRule, type PolicyVerdicts, type VmVerdict } from '../../scenario/policy/check.js';
import type { PolicyQuote } from '../../scenario/policy/rule.js';
import { el } from './dom.js';

/** A quote as text: verbatim words in quotation marks (`q`), a summary plainly marked as one; then its source. */
function quoteNodes(quote: PolicyQuote, b: BrokenRule): HTMLElement[] {
  return [
    quote.verbatim ? el('q', { class: 'hv-policy-quote', text: quote.text }) : el('span', { class: 'hv-policy-quote', text: `${quote.text} (the reference's summary)` }),
    el('cite', { class: 'hv-claim-detail', text: `${quote.source}; ${b.reference} [${b.tag}]` }),
  ];
}

/** One broken rule: its id and title, each finding, and its first quote (and, when that is a summary, the first verbatim one). */
function ruleItem(b: BrokenRule): HTMLElement {
  const [first] = b.quotes;
  const verbatim = b.quotes.find((q) => q.verbatim);
  const shown = first === undefined ? [] : first.verbatim || verbatim === undefined ? [first] : [first, verbatim];
  return el(
    'li',
    { class: 'hv-policy-rule', attrs: { 'data-rule': b.rule } },
    el('span', { class: 'hv-policy-rule-title', text: `${b.rule}: ${b.title}` }),
    ...b.findings.map((f) => el('span', { class: 'hv-claim-detail', text: `${f.path}: ${f.found}` })),
    ...shown.flatMap((q) => quoteNodes(q, b)),
  );
}

/** One verdict row: the mark, who, and the broken rules below. */
function verdictItem(who: string, supported: boolean, note: string, broken: readonly BrokenRule[]): HTMLElement {
  return el(
    'li',
    { class: supported ? 'hv-claim hv-claim-held' : 'hv-claim hv-claim-not-held', attrs: { 'data-supported': String(supported) } },
    el('span', { class: 'hv-claim-verdict', text: supported ? '✓ supported' : '✗ not supported' }),
    el('span', { class: 'hv-claim-text', text: who }),
    el('span', { class: 'hv-claim-detail', text: note }),
    broken.length === 0 ? null : el('ul', { class: 'hv-policy-rules' }, ...broken.map(ruleItem)),
  );
}

function vmWho(v: VmVerdict): string {
  const what = v.subject === 'exchange' ? `Exchange ${v.roles.map((r) => r.replace(/^exchange-/, '')).join(', ')}` : v.subject === 'native' ? 'native host' : 'no Exchange role';
  return `VM ${v.vm} (${what})`;
}

export class PolicyPanel {
  private readonly list: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly root: HTMLElement;

  constructor(host: HTMLElement) {
    this.summary = el('p', { class: 'hv-policy-summary' });
    this.list = el('ul', { class: 'hv-claims-list' });
    this.root = el('section', { class: 'hv-panel hv-policy', attrs: { 'aria-label': 'Support policy' } }, el('h2', { text: 'Support policy' }), this.summary, this.list);
    host.append(this.root);
  }

  /** Shows `verdicts`; hides the panel when no rule is broken and no VM runs Exchange. */
  setVerdicts(verdicts: PolicyVerdicts): void {
    this.root.hidden = verdicts.supported && !verdicts.vms.some((v) => v.subject === 'exchange');
    const vmsDown = verdicts.vms.filter((v) => !v.supported).length;
    this.summary.textContent = verdicts.supported
      ? 'Supported: every rule of the support policy holds.'
      : `Not supported: ${brokenRulesText(verdicts)}; ${vmsDown} of ${verdicts.vms.length} VMs not supported (hvsim check prints every quote).`;
    const hostNote = verdicts.host.supported ? 'every host rule holds' : 'these rules judge the whole host or deployment';
    this.list.replaceChildren(
      verdictItem(`host (${verdicts.host.edition})`, verdicts.host.supported, hostNote, verdicts.host.broken),
      ...verdicts.vms.map((v) => verdictItem(vmWho(v), v.supported, v.hostRules.length === 0 ? v.note : `${v.note}; host rules broken: ${v.hostRules.join(', ')}`, v.broken)),
    );
  }
}
