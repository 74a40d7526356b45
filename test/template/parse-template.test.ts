import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DOTPROMPT_HELPERS, HANDLEBARS_HELPERS } from '../../src/template/helper-sets.js';
import { parseTemplate } from '../../src/template/parse-template.js';

function problemOf(source: string, dotprompt = false): string {
  try {
    parseTemplate(source, { label: 't.hbs', helpers: dotprompt ? DOTPROMPT_HELPERS : HANDLEBARS_HELPERS });
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
}

describe('parseTemplate', () => {
  it('accepts built-in helpers, comments and nested blocks', () => {
    expect(problemOf('{{#each xs as |x|}}{{#if x.on}}{{lookup x "name"}}{{/if}}{{/each}}{{! note }}')).toBe('ok');
    expect(problemOf('{{role "system"}}{{json data}}{{media url=u}}{{#ifEquals a b}}y{{/ifEquals}}', true)).toBe('ok');
  });

  it('reports syntax errors with the parser message and the template name', () => {
    expect(problemOf('Hello\n{{#each items}}{{name}}')).toMatch(/^cannot parse template t\.hbs: Parse error on line 2:/);
    expect(problemOf('{{#if a}}x{{/each}}')).toMatch(/^cannot parse template t\.hbs: if doesn't match each/);
  });

  it.each([
    ['an unknown helper', 'x\n{{shout name}}', 'line 2: unknown helper `shout`'],
    ['a section over a variable', '{{#items}}{{name}}{{/items}}', 'line 1: unknown block helper {{#items}}'],
    ['a block helper used inline', '{{each items}}', 'line 1: `each` is a block helper'],
    ['a partial', '{{> header}}', 'line 1: partials ({{> name}}) are not supported'],
    ['#if without a condition', '{{#if}}x{{/if}}', 'line 1: {{#if}} takes 1 argument, got 0'],
    ['Dotprompt helpers in a plain template', '{{role "system"}}', 'line 1: unknown helper `role`'],
  ])('rejects %s', (_, source, expected) => {
    expect(problemOf(source)).toContain(`cannot use template t.hbs: ${expected}`);
  });

  it('rejects roles Dotprompt cannot send', () => {
    expect(problemOf('{{role "tool"}}', true)).toContain('{{role}} takes one of "system", "user", "model", "assistant"');
    expect(problemOf('{{role who}}', true)).toContain('{{role}} takes one of');
  });

  it('reports file line numbers below front matter', () => {
    const error = (() => {
      try {
        parseTemplate('a\n{{nope x}}', { label: 'p.prompt', helpers: DOTPROMPT_HELPERS, lineOffset: 5 });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe('cannot use template p.prompt: line 7: unknown helper `nope` (known: lookup, log, json, role, history, section, media)');
  });
});
