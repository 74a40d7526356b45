import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { VariableChecker } from '../../src/template/check-variables.js';
import { HANDLEBARS_HELPERS } from '../../src/template/helper-sets.js';
import { parseTemplate } from '../../src/template/parse-template.js';
import { substitutionRenderer } from '../../src/template/substitution-renderer.js';
import { TemplateVariableError } from '../../src/template/types.js';

const handlebars = Handlebars.create();

/** What compileText did for every template before the fast path: the variable check, then Handlebars. */
function viaHandlebars(source: string): (data: Record<string, unknown>) => string {
  const program = parseTemplate(source, { label: 'test', helpers: HANDLEBARS_HELPERS });
  const checker = new VariableChecker(program, HANDLEBARS_HELPERS);
  const render = handlebars.compile(source, { noEscape: true, knownHelpersOnly: true });
  return (data) => {
    checker.check(data);
    return render(data);
  };
}

function fast(source: string): ((data: Record<string, unknown>) => string) | undefined {
  return substitutionRenderer(parseTemplate(source, { label: 'test', helpers: HANDLEBARS_HELPERS }), HANDLEBARS_HELPERS);
}

function outcome(render: (data: Record<string, unknown>) => string, data: Record<string, unknown>): string {
  try {
    return `ok:${render(data)}`;
  } catch (error) {
    if (error instanceof TemplateVariableError) return `missing:${error.message}`;
    throw error;
  }
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['text', 'id', 'a', 'b', 'title', 'n'];
const TEXTS = ['Review: ', ' ', '\n', '  \n\t', 'x<y & "z"', 'ünï 🚀', '\\{{text}}', '{', '}', 'a}b'];
const MUSTACHES = (name: string, inner: string): string[] => [
  `{{${name}}}`,
  `{{{${name}}}}`,
  `{{&${name}}}`,
  `{{~${name}}}`,
  `{{${name}~}}`,
  `{{ ${name} }}`,
  `{{this.${name}}}`,
  `{{./${name}}}`,
  `{{${name}.${inner}}}`,
  '{{! a comment }}',
  '{{!-- a {{long}} comment --}}',
];
const VALUES: unknown[] = [null, '', 'plain', '  padded  ', 0, -1.5, Number.NaN, true, false, [], [1, [2, 3]], [null, 'x'], {}, { a: 'inner', text: 7 }, 'x<y'];

function generateTemplate(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  let source = '';
  const length = 1 + Math.floor(next() * 6);
  for (let i = 0; i < length; i += 1) source += next() < 0.5 ? pick(TEXTS) : pick(MUSTACHES(pick(NAMES), pick(NAMES)));
  return source;
}

function generateItem(next: () => number): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const name of NAMES) if (next() < 0.8) item[name] = VALUES[Math.floor(next() * VALUES.length)];
  return item;
}

describe('substitutionRenderer', () => {
  it('renders and refuses exactly as the variable check plus Handlebars do, on 3,000 generated templates', () => {
    const next = random(13);
    let fastPaths = 0;
    let unparsable = 0;
    let missing = 0;
    for (let t = 0; t < 3000; t += 1) {
      const source = generateTemplate(next);
      let quick: ReturnType<typeof fast>;
      try {
        quick = fast(source);
      } catch {
        // A generated `{` next to a mustache can make a template Handlebars refuses at load: not a render case.
        unparsable += 1;
        continue;
      }
      expect(quick, source).toBeDefined();
      if (quick === undefined) continue;
      fastPaths += 1;
      const reference = viaHandlebars(source);
      for (let i = 0; i < 5; i += 1) {
        const item = generateItem(next);
        const expected = outcome(reference, item);
        if (expected.startsWith('missing:')) missing += 1;
        expect(outcome(quick, item), `template ${JSON.stringify(source)}, item ${JSON.stringify(item)}`).toBe(expected);
      }
    }
    // Every generated template is a plain substitution, and both outcomes were met many times.
    expect(fastPaths + unparsable).toBe(3000);
    expect(fastPaths).toBeGreaterThan(2500);
    expect(missing).toBeGreaterThan(1000);
  });

  it('leaves to Handlebars what is more than substitution', () => {
    for (const source of [
      '{{#if a}}x{{/if}}',
      '{{lookup a "b"}}',
      '{{log a}}',
      '{{@root.a}}',
      '{{#each a}}{{../b}}{{/each}}',
      '{{constructor}}',
      '{{a.toString}}',
      '{{this}}',
    ]) {
      expect(fast(source), source).toBeUndefined();
    }
  });

  it('is what compileText uses for a plain template', async () => {
    const { compileText } = await import('../../src/template/handlebars-template.js');
    const render = compileText('Review: {{text}} ({{meta.stars}} stars)', '--prompt');
    expect(render({ text: 'good', meta: { stars: 5 } })).toBe('Review: good (5 stars)');
    expect(() => render({ text: 'good', meta: {} })).toThrow(TemplateVariableError);
  });
});
