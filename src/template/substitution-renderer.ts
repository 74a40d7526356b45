import type { HelperSet } from './helper-sets.js';
import { findHelperName } from './parse-template.js';
import { TemplateVariableError } from './types.js';

/** Helpers every Handlebars environment knows, whether or not a template kind offers them. */
const BUILT_IN_HELPERS = new Set(['helperMissing', 'blockHelperMissing', 'each', 'if', 'unless', 'with', 'log', 'lookup']);

type Piece = string | readonly string[];

/**
 * A renderer for a template that only substitutes variables (`Review: {{text}}`, `{{a.b}}`, comments), the
 * common case; undefined for anything else, which Handlebars renders. Handlebars spends most of a render of
 * such a template setting up its runtime (merging and wrapping helpers, prototype-access tables) per call:
 * a pre-scan renders every item, and this cut its time by a third (issue 13, start-up of row b).
 *
 * Output and errors are Handlebars' (with `noEscape`) plus the variable check's: values are joined with `+`
 * as its generated code joins them (null and undefined as ""), and a missing own property throws
 * `TemplateVariableError` naming the path as written. `test/template/substitution-renderer.test.ts` compares the two on generated templates.
 */
export function substitutionRenderer(program: hbs.AST.Program, helpers: HelperSet): ((data: Record<string, unknown>) => string) | undefined {
  const pieces: Piece[] = [];
  const originals = new Map<readonly string[], string>();
  for (const statement of program.body) {
    if (statement.type === 'ContentStatement') {
      // Handlebars emits no literal for text that whitespace control emptied.
      const text = (statement as hbs.AST.ContentStatement).value;
      if (text !== '') pieces.push(text);
    } else if (statement.type === 'MustacheStatement') {
      const path = plainVariable(statement as hbs.AST.MustacheStatement, helpers);
      if (path === undefined) return undefined;
      const parts: readonly string[] = [...path.parts];
      originals.set(parts, path.original);
      pieces.push(parts);
    } else if (statement.type !== 'CommentStatement') {
      return undefined;
    }
  }
  return (data) => {
    // Handlebars' generated code is one `+` chain with no leading "" when the template starts with a variable,
    // so `{{a}}{{b}}` adds numbers and booleans before anything becomes a string (true + true is 2). Same here.
    let joined: unknown;
    let started = false;
    for (const piece of pieces) {
      let value: unknown = piece;
      if (typeof piece !== 'string') {
        value = data;
        for (const part of piece) {
          if (value === null || value === undefined || !Object.hasOwn(Object(value), part)) {
            throw new TemplateVariableError(originals.get(piece) as string);
          }
          value = (value as Record<string, unknown>)[part];
        }
        // Handlebars would call a function it finds; JSON and CSV items hold none.
        if (typeof value === 'function') throw new TypeError('a template variable holds a function');
        if (value === null || value === undefined) value = '';
      }
      joined = started ? (joined as string) + (value as string) : value;
      started = true;
    }
    return started ? '' + (joined as string) : '';
  };
}

/** The path of `{{a.b}}`-style mustaches: no helper, arguments, `@data`, `../` or prototype names. */
function plainVariable(node: hbs.AST.MustacheStatement, helpers: HelperSet): hbs.AST.PathExpression | undefined {
  if (node.path.type !== 'PathExpression' || node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) return undefined;
  const path = node.path as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length === 0) return undefined;
  const name = findHelperName(path);
  if (name !== undefined && (BUILT_IN_HELPERS.has(name) || helpers.inline.has(name) || helpers.block.has(name))) return undefined;
  // Handlebars denies inherited names (and logs it); such a template keeps Handlebars' own behaviour.
  if (path.parts.some((part) => part in Object.prototype || part === '__proto__')) return undefined;
  return path;
}
