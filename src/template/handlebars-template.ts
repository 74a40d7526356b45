import Handlebars from 'handlebars';
import { VariableChecker } from './check-variables.js';
import { HANDLEBARS_HELPERS } from './helper-sets.js';
import { parseTemplate } from './parse-template.js';
import { substitutionRenderer } from './substitution-renderer.js';

/** Our own instance, so helpers registered on the global one (or Dotprompt's) cannot change our output. */
const handlebars = Handlebars.create();

/** Renders one item to text; throws `TemplateVariableError` for a variable the item lacks. */
export type TextRenderer = (data: Record<string, unknown>) => string;

/**
 * Compiles a plain Handlebars template (`--prompt`, `--system`, any non-`.prompt` file) once. Prompts are
 * not HTML: nothing is escaped. Throws `UsageError` naming `label` when the template is invalid.
 */
export function compileText(source: string, label: string): TextRenderer {
  const program = parseTemplate(source, { label, helpers: HANDLEBARS_HELPERS });
  const substitute = substitutionRenderer(program, HANDLEBARS_HELPERS);
  if (substitute !== undefined) return substitute;
  const checker = new VariableChecker(program, HANDLEBARS_HELPERS);
  const render = handlebars.compile(source, { noEscape: true, knownHelpersOnly: true });
  return (data) => {
    checker.check(data);
    return render(data);
  };
}
