import type { HelperSet } from './helper-sets.js';
import { findHelperName, isScoped } from './parse-template.js';
import { TemplateVariableError } from './types.js';

/** Handlebars' `@`-variables: `@index`, `@key`, `@first`, `@last`, `@root`, linked to the enclosing frame. */
interface DataFrame {
  [name: string]: unknown;
  _parent?: DataFrame;
}

interface BlockParams {
  names: string[];
  values: unknown[];
}

/** What a template position sees, modelled on Handlebars' runtime so `../`, `this` and `as |x|` resolve alike. */
interface Scope {
  context: unknown;
  /** Handlebars' depth stack: `depths[0]` is the current context, `../` is `depths[1]`. */
  depths: unknown[];
  data: DataFrame;
  /** Innermost first. */
  blockParams: BlockParams[];
}

/** What a helper call evaluates to when only its truthiness matters: Handlebars' SafeString, an object. */
const HELPER_OUTPUT = Object.freeze({});

/**
 * Walks a template against one item, following the branches and loops Handlebars would take, and throws
 * `TemplateVariableError` for the first variable the item lacks. Handlebars' own `strict` mode misses
 * helper arguments (`{{#each missing}}` renders nothing), block params, and fails on `{{a.b}}` with a
 * TypeError that names no variable; this check covers those. Conditions of `{{#if}}`/`{{#unless}}` may be
 * missing (testing presence is what they are for); a variable present with `null` or `""` is fine.
 */
export class VariableChecker {
  constructor(
    private readonly program: hbs.AST.Program,
    private readonly helpers: HelperSet,
  ) {}

  /** Throws `TemplateVariableError` when rendering `data` would use a variable it lacks. */
  check(data: Record<string, unknown>): void {
    const scope: Scope = { context: data, depths: [data], data: { root: data }, blockParams: [] };
    this.visitProgram(this.program, scope);
  }

  private visitProgram(program: hbs.AST.Program | undefined, scope: Scope): void {
    if (!program) return;
    for (const statement of program.body) {
      if (statement.type === 'MustacheStatement') this.visitMustache(statement as hbs.AST.MustacheStatement, scope);
      else if (statement.type === 'BlockStatement') this.visitBlock(statement as hbs.AST.BlockStatement, scope);
      // Content and comments use no variables; everything else was rejected by parseTemplate.
    }
  }

  private visitMustache(node: hbs.AST.MustacheStatement, scope: Scope): void {
    if (node.path.type !== 'PathExpression') return;
    const path = node.path as hbs.AST.PathExpression;
    const name = findHelperName(path);
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (hasArguments || (name !== undefined && this.helpers.inline.has(name))) {
      this.callHelper(name ?? path.original, node.params, node.hash, scope, true);
    } else {
      this.resolve(path, scope, true);
    }
  }

  private visitBlock(node: hbs.AST.BlockStatement, scope: Scope): void {
    const name = findHelperName(node.path);
    switch (name) {
      case 'if':
      case 'unless': {
        const value = this.evaluate(node.params[0], scope, false);
        const includeZero = this.hashValue(node.hash, 'includeZero', scope, false);
        const truthy = !isFalsy(value, includeZero === true);
        this.visitProgram(truthy === (name === 'if') ? node.program : node.inverse, scope);
        return;
      }
      case 'ifEquals':
      case 'unlessEquals': {
        const equal = this.evaluate(node.params[0], scope, true) === this.evaluate(node.params[1], scope, true);
        this.visitProgram(equal === (name === 'ifEquals') ? node.program : node.inverse, scope);
        return;
      }
      case 'with': {
        const value = this.evaluate(node.params[0], scope, true);
        if (isEmpty(value)) this.visitProgram(node.inverse, scope);
        else this.visitProgram(node.program, enter(scope, node.program, value, [value], scope.data));
        return;
      }
      case 'each':
        this.visitEach(node, scope);
        return;
      default:
        throw new Error(`unexpected block helper ${String(name)} (parseTemplate should have rejected it)`);
    }
  }

  /** Mirrors Handlebars' `each`: arrays by index, other objects by `Object.keys`, anything else is empty. */
  private visitEach(node: hbs.AST.BlockStatement, scope: Scope): void {
    const value = this.evaluate(node.params[0], scope, true);
    let count = 0;
    if (value !== null && typeof value === 'object') {
      const frame: DataFrame = { ...scope.data, _parent: scope.data };
      const record = value as Record<string, unknown>;
      const keys = Array.isArray(value) ? undefined : Object.keys(record);
      const length = keys ? keys.length : (value as unknown[]).length;
      for (let i = 0; i < length; i += 1) {
        const key = keys ? keys[i] : i;
        if (!keys && !(i in record)) continue;
        Object.assign(frame, { key, index: i, first: i === 0, last: i === length - 1 });
        const element = record[key];
        this.visitProgram(node.program, enter(scope, node.program, element, [element, key], frame));
        count += 1;
      }
    }
    if (count === 0) this.visitProgram(node.inverse, scope);
  }

  private callHelper(
    name: string,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    scope: Scope,
    strict: boolean,
  ): unknown {
    const args = params.map((param) => this.evaluate(param, scope, strict));
    for (const pair of hash?.pairs ?? []) this.evaluate(pair.value, scope, strict);
    if (name === 'lookup') return lookup(args[0], args[1], params[0], strict);
    if (name === 'log') return undefined;
    return HELPER_OUTPUT;
  }

  private hashValue(hash: hbs.AST.Hash | undefined, key: string, scope: Scope, strict: boolean): unknown {
    const pair = hash?.pairs.find((candidate) => candidate.key === key);
    return pair ? this.evaluate(pair.value, scope, strict) : undefined;
  }

  private evaluate(expression: hbs.AST.Expression | undefined, scope: Scope, strict: boolean): unknown {
    if (!expression) return undefined;
    switch (expression.type) {
      case 'PathExpression':
        return this.resolve(expression as hbs.AST.PathExpression, scope, strict);
      case 'SubExpression': {
        const call = expression as hbs.AST.SubExpression;
        return this.callHelper(call.path.original, call.params, call.hash, scope, strict);
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (expression as hbs.AST.StringLiteral).value;
      case 'NullLiteral':
        return null;
      default:
        return undefined;
    }
  }

  private resolve(path: hbs.AST.PathExpression, scope: Scope, strict: boolean): unknown {
    if (path.data) {
      if (this.helpers.externalData.has(path.parts[0])) return undefined;
      let frame: DataFrame | undefined = scope.data;
      for (let depth = path.depth; depth > 0 && frame; depth -= 1) frame = frame._parent;
      return walk(frame, path, 0, strict);
    }
    if (path.depth === 0 && path.parts.length > 0 && !isScoped(path)) {
      for (const params of scope.blockParams) {
        const position = params.names.indexOf(path.parts[0]);
        if (position >= 0) return walk(params.values[position], path, 1, strict);
      }
    }
    return walk(path.depth === 0 ? scope.context : scope.depths[path.depth], path, 0, strict);
  }
}

function enter(scope: Scope, program: hbs.AST.Program, context: unknown, values: unknown[], data: DataFrame): Scope {
  // Handlebars pushes a depth only when the context changes, and compares loosely.
  const depths = context != scope.depths[0] ? [context, ...scope.depths] : scope.depths;
  const names = program.blockParams;
  const blockParams = names && names.length > 0 ? [{ names, values }, ...scope.blockParams] : scope.blockParams;
  return { context, depths, data, blockParams };
}

/** Follows `path.parts` from `base`; own properties only, as Handlebars' prototype-access rules allow. */
function walk(base: unknown, path: hbs.AST.PathExpression, from: number, strict: boolean): unknown {
  let value = base;
  for (let i = from; i < path.parts.length; i += 1) {
    if (value === null || value === undefined || !Object.hasOwn(Object(value), path.parts[i])) {
      if (strict) throw new TemplateVariableError(path.original);
      return undefined;
    }
    value = (value as Record<string, unknown>)[path.parts[i]];
  }
  return value;
}

function lookup(target: unknown, key: unknown, source: hbs.AST.Expression | undefined, strict: boolean): unknown {
  if (!target) return target;
  const name = String(key);
  if (Object.hasOwn(Object(target), name)) return (target as Record<string, unknown>)[name];
  if (strict) {
    const base = source?.type === 'PathExpression' ? (source as hbs.AST.PathExpression).original : 'lookup';
    throw new TemplateVariableError(`${base}.${name}`);
  }
  return undefined;
}

/** Handlebars' `isEmpty`: falsy except 0, or an empty array. */
function isEmpty(value: unknown): boolean {
  return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
}

/** Handlebars' `if` test. */
function isFalsy(value: unknown, includeZero: boolean): boolean {
  return (!includeZero && !value) || isEmpty(value);
}
