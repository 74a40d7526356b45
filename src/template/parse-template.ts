import Handlebars from 'handlebars';
import { UsageError } from '../errors.js';
import { BLOCK_ARITY, PROMPT_ROLES, type HelperSet } from './helper-sets.js';

export interface ParseTemplateOptions {
  /** Names the template in messages: a file path, `--prompt` or `--system`. */
  label: string;
  helpers: HelperSet;
  /** Lines above the template body in its file (Dotprompt front matter), so messages give file lines. @default 0 */
  lineOffset?: number;
}

/**
 * Parses a Handlebars body and rejects, at load time, what would otherwise fail or go silently wrong per
 * item: syntax errors, unknown helpers, sections over variables, partials, decorators, unknown roles.
 */
export function parseTemplate(source: string, options: ParseTemplateOptions): hbs.AST.Program {
  const offset = options.lineOffset ?? 0;
  const fail = (error: unknown): never => {
    const [first = 'invalid template', ...rest] = String((error as Error).message).split('\n');
    const located = first.replace(/on line (\d+)/, (_, line: string) => `on line ${Number(line) + offset}`);
    throw new UsageError(`cannot parse template ${options.label}: ${located}`, rest);
  };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    return fail(error);
  }
  const problem = findUnsupported(program, options.helpers);
  if (problem !== undefined) {
    throw new UsageError(`cannot use template ${options.label}: line ${problem.line + offset}: ${problem.message}`);
  }
  try {
    // The compiler catches a few mistakes the parser lets through; surface them now rather than per item.
    Handlebars.precompile(source, { noEscape: true, knownHelpersOnly: true, knownHelpers: toKnown(options.helpers) });
  } catch (error) {
    fail(error);
  }
  return program;
}

interface Unsupported {
  line: number;
  message: string;
}

function findUnsupported(program: hbs.AST.Program, helpers: HelperSet): Unsupported | undefined {
  for (const statement of program.body) {
    const problem = checkNode(statement, helpers);
    if (problem) return problem;
  }
  return undefined;
}

function checkNode(node: hbs.AST.Node, helpers: HelperSet): Unsupported | undefined {
  const at = (message: string): Unsupported => ({ line: node.loc.start.line, message });
  switch (node.type) {
    case 'ContentStatement':
    case 'CommentStatement':
    case 'PathExpression':
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'UndefinedLiteral':
      return undefined;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return at('partials ({{> name}}) are not supported');
    case 'Decorator':
    case 'DecoratorBlock':
      return at('decorators ({{* name}}) are not supported');
    case 'MustacheStatement':
    case 'SubExpression':
      return checkCall(node as hbs.AST.MustacheStatement | hbs.AST.SubExpression, helpers, at);
    case 'BlockStatement':
      return checkBlock(node as hbs.AST.BlockStatement, helpers, at);
    default:
      return at(`unsupported template syntax (${node.type})`);
  }
}

function checkCall(
  node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
  helpers: HelperSet,
  at: (message: string) => Unsupported,
): Unsupported | undefined {
  const name = findHelperName(node.path);
  const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
  const isCall = node.type === 'SubExpression' || hasArguments || (name !== undefined && helpers.block.has(name));
  if (isCall) {
    if (name !== undefined && helpers.block.has(name)) {
      return at(`\`${name}\` is a block helper: write {{#${name} …}}…{{/${name}}}`);
    }
    if (name === undefined || !helpers.inline.has(name)) {
      return at(`unknown helper \`${describePath(node.path)}\` (known: ${[...helpers.inline].join(', ')})`);
    }
    if (name === 'role') {
      const role = node.params[0];
      if (role?.type !== 'StringLiteral' || !PROMPT_ROLES.has((role as hbs.AST.StringLiteral).value)) {
        return at(`{{role}} takes one of ${[...PROMPT_ROLES].map((r) => `"${r}"`).join(', ')}`);
      }
    }
  }
  return checkChildren([...node.params, ...(node.hash?.pairs.map((pair) => pair.value) ?? [])], helpers);
}

function checkBlock(
  node: hbs.AST.BlockStatement,
  helpers: HelperSet,
  at: (message: string) => Unsupported,
): Unsupported | undefined {
  const name = findHelperName(node.path);
  if (name === undefined || !helpers.block.has(name)) {
    const shown = describePath(node.path);
    if (name !== undefined && helpers.inline.has(name)) return at(`\`${name}\` is not a block helper`);
    return at(
      `unknown block helper {{#${shown}}} (known: ${[...helpers.block].join(', ')}); ` +
        `to loop or test a variable write {{#each ${shown}}} or {{#if ${shown}}}`,
    );
  }
  const arity = BLOCK_ARITY[name] ?? 0;
  if (node.params.length !== arity) {
    return at(`{{#${name}}} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${node.params.length}`);
  }
  const children: hbs.AST.Node[] = [...node.params, ...(node.hash?.pairs.map((pair) => pair.value) ?? [])];
  const problem = checkChildren(children, helpers);
  if (problem) return problem;
  return (
    (node.program && findUnsupported(node.program, helpers)) ||
    (node.inverse && findUnsupported(node.inverse, helpers)) ||
    undefined
  );
}

function checkChildren(nodes: hbs.AST.Node[], helpers: HelperSet): Unsupported | undefined {
  for (const child of nodes) {
    const problem = checkNode(child, helpers);
    if (problem) return problem;
  }
  return undefined;
}

/** The helper a call names: a plain one-part path such as `each`, never `this.each` or `../each`. */
export function findHelperName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const expression = path as hbs.AST.PathExpression;
  const simple = expression.parts.length === 1 && !expression.data && expression.depth === 0;
  return simple && !isScoped(expression) ? expression.parts[0] : undefined;
}

/** `this.x` and `./x` always mean a variable, never a helper (Handlebars' `scopedId`). */
export function isScoped(path: hbs.AST.PathExpression): boolean {
  return /^\.|this\b/.test(path.original);
}

function describePath(path: hbs.AST.PathExpression | hbs.AST.Literal): string {
  return path.type === 'PathExpression' ? (path as hbs.AST.PathExpression).original : String((path as hbs.AST.StringLiteral).value);
}

function toKnown(helpers: HelperSet): Record<string, boolean> {
  return Object.fromEntries([...helpers.inline, ...helpers.block].map((name) => [name, true]));
}
