/**
 * The lesson panel in the side column: a bar (open a bundled lesson, what
 * stepping follows, the glossary), then the open lesson's step n of m,
 * its caption (glossary terms as buttons), the question with its input
 * (a number field or radio choices), Check or Show answer, the verdict,
 * the computed answer with the figures it came from and the reveal; Back
 * and Next; after the last step, a summary. Built from DOM nodes with
 * textContent only: a caption holding `<b>` shows `<b>`.
 */
import { BUNDLED_LESSONS, LESSON_TOPICS, type FigureUse, type ResolvedStep } from '../../scenario/index.js';
import { el, uniqueId } from '../panels/dom.js';
import type { FollowTarget } from './follow.js';
import { linkedText } from './glossary-view.js';
import { headInColumn } from './scroll-within.js';
import { requestFlow, type LessonController, type LessonHost } from './lesson-controller.js';

/** The keys the panel names (the actions in `../actions.ts` bind them). */
export const LESSON_KEYS = { next: 'PageDown or ]', back: 'PageUp or [' };

export class LessonPanel {
  private readonly lessonSelect: HTMLSelectElement;
  private readonly followSelect: HTMLSelectElement;
  private readonly requestInput: HTMLInputElement;
  private readonly body: HTMLElement;
  private readonly backButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly nav: HTMLElement;
  private readonly content: HTMLElement;
  private followVms = '';
  /** The lesson and step last rendered ('' for none), to know a new step from a re-render of the same one. */
  private shownStep = '';

  constructor(
    private readonly root: HTMLElement,
    private readonly lessons: LessonController,
    private readonly host: LessonHost,
    openGlossary: () => void,
  ) {
    const lessonId = uniqueId('hv-lesson-pick');
    const followId = uniqueId('hv-follow');
    const requestId = uniqueId('hv-follow-request');
    this.lessonSelect = el('select', { attrs: { id: lessonId } });
    this.lessonSelect.append(el('option', { text: 'none', attrs: { value: '' } }));
    for (const topic of LESSON_TOPICS) {
      const group = el('optgroup', { attrs: { label: topic } });
      for (const l of BUNDLED_LESSONS) if (l.topic === topic) group.append(el('option', { text: l.name, attrs: { value: l.name } }));
      if (group.children.length > 0) this.lessonSelect.append(group);
    }
    this.lessonSelect.addEventListener('change', () => {
      const name = this.lessonSelect.value;
      if (name === '') this.lessons.close();
      else void this.lessons.openBundled(name);
    });
    this.followSelect = el('select', { attrs: { id: followId, title: 'Stepping (→, ←, N, play) visits only the records of this VM or request; the canvas dims the rest' } });
    this.requestInput = el('input', { attrs: { id: requestId, type: 'number', min: '0', step: '1', inputmode: 'numeric', placeholder: 'all', title: "One request of the VM, counted from 0 in issue order (empty: all of the VM's records)" } });
    const pickFollow = (): void => this.pickFollow();
    this.followSelect.addEventListener('change', pickFollow);
    this.requestInput.addEventListener('change', pickFollow);
    const glossary = el('button', { class: 'hv-button hv-lesson-glossary', text: 'Glossary', attrs: { type: 'button' } });
    glossary.addEventListener('click', openGlossary);
    const bar = el(
      'div',
      { class: 'hv-lesson-bar' },
      el('label', { class: 'hv-lesson-field', attrs: { for: lessonId } }, document.createTextNode('Lesson'), this.lessonSelect),
      el('label', { class: 'hv-lesson-field', attrs: { for: followId } }, document.createTextNode('Follow'), this.followSelect),
      el('label', { class: 'hv-lesson-field hv-lesson-request', attrs: { for: requestId } }, document.createTextNode('request'), this.requestInput),
      glossary,
    );
    this.backButton = el('button', { class: 'hv-button', text: '◀ Back', attrs: { type: 'button', title: `The step before (${LESSON_KEYS.back})`, 'aria-keyshortcuts': 'PageUp' } });
    this.nextButton = el('button', { class: 'hv-button hv-lesson-next', text: 'Next ▶', attrs: { type: 'button', title: `The next step (${LESSON_KEYS.next})`, 'aria-keyshortcuts': 'PageDown' } });
    this.backButton.addEventListener('click', () => this.lessons.back());
    this.nextButton.addEventListener('click', () => this.lessons.next());
    this.content = el('div', { class: 'hv-lesson-content' });
    this.nav = el('div', { class: 'hv-lesson-nav' }, this.backButton, this.nextButton);
    this.body = el('div', { class: 'hv-lesson' }, this.content, this.nav);
    root.append(bar, this.body);
    root.hidden = false;
    lessons.onChange(() => this.render());
    this.render();
  }

  /** The Lesson list in view (the side column scrolls at 1366×768) with the keyboard on it. */
  focusPicker(): void {
    this.lessonSelect.scrollIntoView({ block: 'nearest' });
    this.lessonSelect.focus();
  }

  /** The follow control from the run's VMs and the follow in force. */
  updateFollow(): void {
    const shown = this.host.shown;
    const vms = shown === null ? [] : shown.run.output.topology.partitions.filter((p) => p.kind === 'child').map((p) => p.id);
    const key = vms.join(' ');
    if (key !== this.followVms) {
      this.followVms = key;
      this.followSelect.replaceChildren(el('option', { text: 'every record', attrs: { value: '' } }), ...vms.map((vm) => el('option', { text: `VM ${vm}`, attrs: { value: vm } })));
    }
    const f = this.host.follow;
    this.followSelect.value = f?.vm ?? '';
    if (document.activeElement !== this.requestInput) this.requestInput.value = f?.request === undefined ? '' : String(f.request);
    this.requestInput.disabled = f === null;
    this.root.classList.toggle('hv-following', f !== null);
  }

  private pickFollow(): void {
    const vm = this.followSelect.value;
    const shown = this.host.shown;
    if (vm === '' || shown === null) {
      this.host.setFollow(null);
      return;
    }
    const target: FollowTarget = { vm };
    const raw = this.requestInput.value.trim();
    if (raw !== '' && this.host.follow?.vm === vm) {
      const n = Number(raw);
      const flow = Number.isInteger(n) && n >= 0 ? requestFlow(shown.run, vm, n) : undefined;
      if (flow === undefined) this.host.say(`VM ${vm} has no request ${raw} in this run; following the whole VM.`);
      else Object.assign(target, { request: n, flow });
    }
    this.host.setFollow(target);
  }

  render(): void {
    const l = this.lessons.lesson;
    this.lessonSelect.value = l !== null && l.source.kind === 'bundled' ? l.source.name : '';
    if (l !== null && l.source.kind !== 'bundled' && this.lessonSelect.querySelector('option[data-other]') === null) {
      this.lessonSelect.append(el('option', { text: l.name, attrs: { value: `@${l.name}`, 'data-other': '' } }));
    }
    for (const o of this.lessonSelect.querySelectorAll<HTMLOptionElement>('option[data-other]')) {
      if (l === null || l.source.kind === 'bundled' || o.value !== `@${l.name}`) o.remove();
    }
    if (l !== null && l.source.kind !== 'bundled') this.lessonSelect.value = `@${l.name}`;
    this.updateFollow();
    this.body.hidden = l === null;
    this.root.classList.toggle('hv-lesson-open', l !== null);
    if (l === null) {
      this.shownStep = '';
      this.content.replaceChildren();
      return;
    }
    this.backButton.disabled = l.at === 0 && !l.summary;
    this.nextButton.disabled = l.summary;
    this.nextButton.textContent = l.at === l.steps.length - 1 && !l.summary ? 'Summary ▶' : 'Next ▶';
    if (l.summary) {
      this.content.replaceChildren(...this.summary());
      if (this.shownStep !== `${l.name}#summary`) headInColumn(this.content);
      this.shownStep = `${l.name}#summary`;
      return;
    }
    const step = l.steps[l.at]!;
    const head = el(
      'div',
      { class: 'hv-lesson-head' },
      el('h2', { class: 'hv-lesson-title', text: l.title }),
      el('span', { class: 'hv-lesson-count', text: `Step ${l.at + 1} of ${l.steps.length}` }),
    );
    const caption = el('p', { class: 'hv-lesson-caption' });
    caption.append(linkedText(step.caption));
    const parts: HTMLElement[] = [head, caption];
    if (step.question !== undefined) parts.push(this.question(step, l.at));
    this.content.replaceChildren(...parts);
    // A new step starts with its head in view, not where the last step's answer left the column.
    if (this.shownStep !== `${l.name}#${l.at}`) headInColumn(head);
    this.shownStep = `${l.name}#${l.at}`;
  }

  /** The question: its prompt, the input and Check, or (once answered or revealed) the verdict and the answer. */
  private question(step: ResolvedStep, index: number): HTMLElement {
    const q = step.question!;
    const l = this.lessons.lesson!;
    const answered = l.answers.get(index);
    const box = el('section', { class: 'hv-lesson-question', attrs: { 'aria-label': 'Question' } });
    const prompt = el('p', { class: 'hv-lesson-prompt' });
    prompt.append(linkedText(q.spec.prompt));
    box.append(prompt);
    const form = el('form', { class: 'hv-lesson-form' });
    const check = el('button', { class: 'hv-button hv-lesson-check', text: 'Check', attrs: { type: 'submit' } });
    const show = el('button', { class: 'hv-button hv-lesson-show', text: 'Show answer', attrs: { type: 'button' } });
    show.addEventListener('click', () => {
      this.lessons.reveal();
      this.answerInView();
    });
    let read: () => number | null;
    if (q.kind === 'number') {
      const inputId = uniqueId('hv-lesson-answer');
      const input = el('input', { class: 'hv-lesson-input', attrs: { id: inputId, type: 'number', step: 'any', inputmode: 'decimal', required: '', 'aria-label': 'Your prediction' } });
      if (answered !== undefined) input.value = String(answered.value);
      form.append(el('div', { class: 'hv-lesson-answer-row' }, input, q.spec.unit === undefined ? null : el('span', { class: 'hv-lesson-unit', text: q.spec.unit }), check, show));
      read = () => (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber);
    } else {
      const group = el('fieldset', { class: 'hv-lesson-choices' }, el('legend', { class: 'hv-visually-hidden', text: 'Choices' }));
      const name = uniqueId('hv-lesson-choice');
      q.choices.forEach((choice, i) => {
        const radio = el('input', { attrs: { type: 'radio', name, value: String(i) } });
        if (answered?.value === i) radio.checked = true;
        // The text in one span: the label is a flex row, and glossary terms as loose children would each become a column.
        const label = el('label', { class: 'hv-lesson-choice' }, radio, el('span', { class: 'hv-lesson-choice-text' }, linkedText(choice.text)));
        group.append(label);
      });
      form.append(group, el('div', { class: 'hv-lesson-answer-row' }, check, show));
      read = () => {
        const picked = form.querySelector<HTMLInputElement>('input[type=radio]:checked');
        return picked === null ? null : Number(picked.value);
      };
    }
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = read();
      if (value === null) {
        this.host.say(q.kind === 'number' ? 'Type a number first.' : 'Pick a choice first.');
        return;
      }
      if (this.lessons.answer(value) === null) return;
      this.answerInView();
    });
    box.append(form);
    // Answered or shown: the prediction is kept as it was (the first counts), its field and Check no longer taken;
    // a glossary term in a choice still opens the glossary.
    if (answered !== undefined || l.revealed.has(index)) {
      for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button:not(.hv-term)')) control.disabled = true;
    }
    const verdict = el('p', { class: 'hv-lesson-verdict', attrs: { role: 'status', 'aria-live': 'polite' } });
    box.append(verdict);
    if (answered !== undefined || l.revealed.has(index)) {
      if (answered !== undefined) {
        verdict.textContent = answered.right ? '✔ Right.' : '✘ Not quite.';
        verdict.classList.add(answered.right ? 'hv-right' : 'hv-wrong');
      }
      box.append(this.revealBlock(step));
    }
    return box;
  }

  /**
   * After Check or Show answer: focus moves on to Next (pinned at the foot
   * of the side column, lesson.css), and the verdict and the answer come
   * into view above it in the side column, which scrolls at 1366×768; the
   * caption stays if it can.
   */
  private answerInView(): void {
    this.nextButton.focus({ preventScroll: true });
    (this.content.querySelector('.hv-lesson-reveal') ?? this.content.querySelector('.hv-lesson-verdict'))?.scrollIntoView({ block: 'nearest' });
  }

  /** The computed answer, the figures it was computed from, and the reveal. */
  private revealBlock(step: ResolvedStep): HTMLElement {
    const q = step.question!;
    const block = el('div', { class: 'hv-lesson-reveal' });
    block.append(el('p', { class: 'hv-lesson-expected', text: q.answer.ok ? `The run says: ${q.answer.text}` : `The run cannot say: ${q.answer.why}` }));
    block.append(figureList(q.figures));
    const reveal = el('p', { class: 'hv-lesson-reveal-text' });
    reveal.append(linkedText(q.spec.reveal));
    block.append(reveal);
    return block;
  }

  /** The summary: questions right, and each question's answer and figures. */
  private summary(): HTMLElement[] {
    const l = this.lessons.lesson!;
    const asked = l.steps.filter((s) => s.question !== undefined);
    const right = asked.filter((s) => l.answers.get(s.index)?.right === true).length;
    const answered = asked.filter((s) => l.answers.has(s.index)).length;
    const out: HTMLElement[] = [
      el('div', { class: 'hv-lesson-head' }, el('h2', { class: 'hv-lesson-title', text: l.title }), el('span', { class: 'hv-lesson-count', text: 'Summary' })),
      el('p', { class: 'hv-lesson-score', text: `${right} of ${asked.length} questions right (${answered} answered).` }),
    ];
    const list = el('ol', { class: 'hv-lesson-summary' });
    for (const s of asked) {
      const q = s.question!;
      const a = l.answers.get(s.index);
      const item = el('li', {}, el('p', { class: 'hv-lesson-summary-prompt', text: `Step ${s.index + 1}: ${q.spec.prompt}` }));
      const mine = a === undefined ? 'not answered' : `${a.right ? '✔' : '✘'} you said ${q.kind === 'choice' ? (q.choices[a.value]?.text ?? String(a.value)) : String(a.value)}`;
      item.append(el('p', { text: `${mine}; the run says ${q.answer.ok ? q.answer.text : 'nothing'}` }), figureList(q.figures));
      list.append(item);
    }
    const clear = el('button', { class: 'hv-button', text: 'Forget my answers', attrs: { type: 'button', title: 'Answers stay in this browser only; this removes them' } });
    clear.addEventListener('click', () => this.lessons.clearAnswers());
    out.push(list, el('p', { class: 'hv-lesson-note', text: 'Your answers stay in this browser (localStorage) and are never sent anywhere.' }), clear);
    return out;
  }
}

function figureList(figures: readonly FigureUse[]): HTMLElement {
  const list = el('ul', { class: 'hv-lesson-figures', attrs: { 'aria-label': 'Figures from the run' } });
  for (const f of figures) list.append(el('li', {}, el('span', { class: 'hv-lesson-figure-label', text: f.label }), document.createTextNode(`: ${f.formatted}`)));
  return list;
}
