import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/template/handlebars-template.js';
import { TemplateVariableError } from '../../src/template/types.js';

/** Renders `source` with `data`, or returns the missing variable's name. */
function outcome(source: string, data: Record<string, unknown>): string {
  try {
    return `ok: ${compileText(source, 'test')(data)}`;
  } catch (error) {
    if (error instanceof TemplateVariableError) return `missing: ${error.variable}`;
    throw error;
  }
}

describe('strict variables', () => {
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a top-level variable', 'Hi {{name}}', {}, 'missing: name'],
    ['a triple-stash variable', 'Hi {{{name}}}', {}, 'missing: name'],
    ['a nested path whose leaf is missing', '{{a.b}}', { a: {} }, 'missing: a.b'],
    ['a nested path whose parent is missing', '{{a.b.c}}', {}, 'missing: a.b.c'],
    ['a nested path through null', '{{a.b}}', { a: null }, 'missing: a.b'],
    ['a nested path through a string', '{{a.b}}', { a: 'text' }, 'missing: a.b'],
    ['an inherited property', '{{constructor}}', {}, 'missing: constructor'],
    ['the value to loop over', '{{#each items}}x{{/each}}', {}, 'missing: items'],
    ['a field of one element', '{{#each items}}{{name}};{{/each}}', { items: [{ name: 'a' }, {}] }, 'missing: name'],
    ['a block param field', '{{#each items as |item|}}{{item.name}}{{/each}}', { items: [{}] }, 'missing: item.name'],
    ['a parent variable', '{{#each items}}{{../title}}{{/each}}', { items: [1] }, 'missing: ../title'],
    ['the value of #with', '{{#with product}}{{name}}{{/with}}', {}, 'missing: product'],
    ['a field inside #with', '{{#with product}}{{name}}{{/with}}', { product: { id: 1 } }, 'missing: name'],
    ['a variable in the taken branch', '{{#if flag}}{{yes}}{{else}}{{no}}{{/if}}', { flag: true }, 'missing: yes'],
    ['a variable in the else branch', '{{#if flag}}{{yes}}{{else}}{{no}}{{/if}}', { flag: false }, 'missing: no'],
    ['a lookup key', '{{lookup prices currency}}', { prices: { eur: 1 }, currency: 'usd' }, 'missing: prices.usd'],
    ['a lookup argument', '{{lookup prices currency}}', { prices: {} }, 'missing: currency'],
    ['@index outside a loop', '{{@index}}', {}, 'missing: @index'],
    ['@root path', '{{#each items}}{{@root.title}}{{/each}}', { items: [1] }, 'missing: @root.title'],
  ])('reports %s', (_, source, data, expected) => {
    expect(outcome(source, data)).toBe(expected);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['null and empty values', '[{{a}}][{{b}}]', { a: null, b: '' }, 'ok: [][]'],
    ['zero and false', '{{n}} {{f}}', { n: 0, f: false }, 'ok: 0 false'],
    ['nested paths', '{{a.b.c}}', { a: { b: { c: 'deep' } } }, 'ok: deep'],
    ['this, @index, @first, @last, @key inside #each', '{{#each xs}}{{@index}}{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/each}}', { xs: ['a', 'b'] }, 'ok: 0aF;1bL;'],
    ['@key over an object', '{{#each o}}{{@key}}={{this}} {{/each}}', { o: { x: 1, y: 2 } }, 'ok: x=1 y=2 '],
    ['block params', '{{#each xs as |x i|}}{{i}}:{{x.n}} {{/each}}', { xs: [{ n: 'a' }, { n: 'b' }] }, 'ok: 0:a 1:b '],
    ['parent access', '{{#each xs}}{{../sep}}{{this}}{{/each}}', { xs: [1, 2], sep: '-' }, 'ok: -1-2'],
    ['@../index in nested loops', '{{#each a}}{{#each this}}{{@../index}}-{{@index}} {{/each}}{{/each}}', { a: [[1, 2], [3]] }, 'ok: 0-0 0-1 1-0 '],
    ['a missing #if condition', '{{#if nickname}}{{nickname}}{{else}}anon{{/if}}', {}, 'ok: anon'],
    ['a missing nested #if condition', '{{#if user.nickname}}x{{else}}y{{/if}}', {}, 'ok: y'],
    ['a missing #unless condition', '{{#unless done}}todo{{/unless}}', {}, 'ok: todo'],
    ['an empty list with else', '{{#each xs}}{{name}}{{else}}none{{/each}}', { xs: [] }, 'ok: none'],
    ['a null list with else', '{{#each xs}}{{name}}{{else}}none{{/each}}', { xs: null }, 'ok: none'],
    ['an unused branch', '{{#if flag}}{{missing}}{{/if}}ok', { flag: 0 }, 'ok: ok'],
    ['includeZero', '{{#if n includeZero=true}}zero{{/if}}', { n: 0 }, 'ok: zero'],
    ['#with on an empty value', '{{#with p}}{{name}}{{else}}none{{/with}}', { p: null }, 'ok: none'],
    ['#with and this', '{{#with p}}{{this.name}}{{/with}}', { p: { name: 'n' } }, 'ok: n'],
    ['string length', '{{s.length}}', { s: 'abc' }, 'ok: 3'],
    ['array elements', '{{xs.[1]}}', { xs: ['a', 'b'] }, 'ok: b'],
    ['comments', '{{! missing }}{{!-- {{missing}} --}}ok', {}, 'ok: ok'],
    ['no HTML escaping', '{{q}}', { q: '<b> & "quotes"' }, 'ok: <b> & "quotes"'],
    ['a field named like a key of Object.prototype', '{{toString}}', { toString: 'own' }, 'ok: own'],
    ['else if chains', '{{#if a}}A{{else if b}}B{{else}}C{{/if}}', { b: 1 }, 'ok: B'],
  ])('accepts %s', (_, source, data, expected) => {
    expect(outcome(source, data)).toBe(expected);
  });
});
