/**
 * The glossary: each term has two plain sentences and a source, and the
 * finder returns spans (never HTML) that cover every glossary term the
 * bundled lessons use in their captions, questions and reveals.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_LESSONS, compareTerms, findGlossaryTerms, GLOSSARY, glossaryEntry, termForms } from '../../src/scenario/index.js';

const lessonTexts = (): string[] =>
  BUNDLED_LESSONS.flatMap((bundled) => {
    const lesson = JSON.parse(bundled.text) as { steps: { caption: string; question?: { prompt: string; reveal: string } }[] };
    return lesson.steps.flatMap((step) => [step.caption, ...(step.question === undefined ? [] : [step.question.prompt, step.question.reveal])]);
  });

describe('glossary', () => {
  it('defines each term in two plain sentences with a non-empty source, in alphabetical order', () => {
    for (const entry of GLOSSARY) {
      expect(entry.definition.match(/[.!?](\s|$)/g)?.length, entry.term).toBe(2);
      expect(entry.definition, entry.term).not.toMatch(/[<>*_`#]/);
      expect(entry.source.trim().length, entry.term).toBeGreaterThan(5);
    }
    const terms = GLOSSARY.map((entry) => entry.term.toLowerCase());
    expect(terms).toEqual([...terms].sort(compareTerms));
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('covers the terms the brief lists', () => {
    for (const term of ['VM exit', 'hypercall', 'VMBus', 'ring buffer', 'VSP', 'VSC', 'worker process', 'vmwp.exe', 'VID', 'interrupt injection', 'EOI', 'auto-EOI', 'SynIC', 'DMA', 'PIO', 'PRD table', 'SRB', 'VHD', 'fixed VHD', 'dynamic VHD', 'differencing VHD', 'integration services', 'fast path', 'root partition', 'child partition', 'intercept', 'storvsc', 'storvsp', 'storflt', 'monitor page', 'pending send size', 'queue depth', 'IOPS', 'latency']) {
      expect(glossaryEntry(term), term).toBeDefined();
    }
  });

  it('finds terms as spans: leftmost, then longest, plurals too, never overlapping', () => {
    const text = 'The ring buffer: VM exits and auto-EOI, not EOI; vmwp.exe and VID.sys.';
    const spans = findGlossaryTerms(text);
    expect(spans.map((s) => [text.slice(s.start, s.end), s.term])).toEqual([
      ['ring buffer', 'ring buffer'],
      ['VM exits', 'VM exit'],
      ['auto-EOI', 'auto-EOI'],
      ['EOI', 'EOI'],
      ['vmwp.exe', 'worker process'],
      ['VID.sys', 'VID'],
    ]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    expect(findGlossaryTerms('video, dmax, pios')).toEqual([]); // whole words; acronyms keep their case
  });

  it('finds every glossary term the bundled lessons use', () => {
    const texts = lessonTexts();
    let found = 0;
    for (const text of texts) {
      const spans = findGlossaryTerms(text);
      found += spans.length;
      for (const entry of GLOSSARY) {
        for (const form of termForms(entry)) {
          let at = text.toLowerCase().indexOf(form.toLowerCase());
          while (at >= 0) {
            const before = text[at - 1];
            const after = text[at + form.length];
            const whole = !/[A-Za-z0-9_]/.test(before ?? ' ') && !/[A-Za-z0-9_]/.test(after ?? ' ');
            const exactCase = (form.match(/[A-Z]/g) ?? []).length < 2 || text.slice(at, at + form.length) === form;
            if (whole && exactCase) expect(spans.some((s) => s.start <= at && s.end >= at + form.length), `'${form}' in "${text}"`).toBe(true);
            at = text.toLowerCase().indexOf(form.toLowerCase(), at + 1);
          }
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });
});
