import { closest } from '../suggest/closest.js';
import { TemplateVariableError } from './types.js';

/** Fields listed in the hint; a wide CSV would drown the message. */
const SHOWN_FIELDS = 15;

/**
 * `missing template variable "nmae" (did you mean "name"? the item has: id, name, description)`: the error
 * names what the input offers, so a typo is fixed without opening the file.
 */
export function describeMissingVariable(error: TemplateVariableError, data: Record<string, unknown>): string {
  const fields = fieldPaths(data);
  const suggestion = closest(error.variable, fields);
  const listed = fields.slice(0, SHOWN_FIELDS).join(', ') + (fields.length > SHOWN_FIELDS ? `, … (${fields.length} in all)` : '');
  const hint = [suggestion === undefined ? undefined : `did you mean "${suggestion}"?`, fields.length === 0 ? 'the item has no fields' : `the item has: ${listed}`];
  return `${error.message} (${hint.filter((part) => part !== undefined).join(' ')})`;
}

/** Top-level keys, and `a.b` for the keys of nested objects (templates reach them as `{{a.b}}`). */
function fieldPaths(data: Record<string, unknown>): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    paths.push(key);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) paths.push(`${key}.${inner}`);
    }
  }
  return paths;
}
