/**
 * Check an answer against what was asked for: JSON, and when a schema was given, a value satisfying it.
 * Shared by the realtime provider and the Batch API path, which must judge answers the same way.
 */
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import { UsageError } from '../errors.js';
import { InvalidOutputError, RefusalError } from './invalid-output-error.js';
import { unwrapAnswer } from './output-schema.js';
import type { Completion, OutputSchema } from './types.js';

export interface OutputExpectation {
  /** The answer must be JSON satisfying this schema. */
  schema?: OutputSchema;
  /** The answer must be JSON (`output.format: json`). */
  jsonOutput?: boolean;
}

export type OutputCheck = { ok: true; parsed: unknown } | { ok: false; error: InvalidOutputError | RefusalError };

/** How many schema violations a message lists; the rest are counted. */
const MAX_LISTED_ERRORS = 3;

// Formats (`email`, `date-time`) are left to the model: checking them needs ajv-formats, and a wrong
// format is rarely worth paying for another try. `logger: false` keeps ajv's warnings off the terminal.
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, logger: false } as const;
type AjvClass = new (options: typeof AJV_OPTIONS) => Ajv;
let validators: { draft07: Ajv; draft2020: Ajv } | undefined;

/**
 * The validators, built on first use: ajv takes a noticeable share of start-up (issue 13), and most runs
 * have no schema. Loaded with require because it is CommonJS and this keeps compiling synchronous.
 */
function loadValidators(): { draft07: Ajv; draft2020: Ajv } {
  if (validators !== undefined) return validators;
  const require = createRequire(import.meta.url);
  const draft07Class = (require('ajv') as { Ajv: AjvClass }).Ajv;
  const draft2020Class = (require('ajv/dist/2020.js') as { Ajv2020: AjvClass }).Ajv2020;
  validators = { draft07: new draft07Class(AJV_OPTIONS), draft2020: new draft2020Class(AJV_OPTIONS) };
  return validators;
}

/** Compiled once per schema object: a run validates millions of answers against the same schema. */
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Compile `schema` (cached). Throws `UsageError` when it is not a valid JSON Schema, so callers can check a
 * `--schema` file before any request is sent.
 */
export function compileOutputSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const { draft07, draft2020 } = loadValidators();
  const ajv = typeof schema.$schema === 'string' && /2020-12|2019-09/.test(schema.$schema) ? draft2020 : draft07;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new UsageError(`The output schema is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  compiled.set(schema, validate);
  return validate;
}

/**
 * Parse and check an answer. A refusal always fails (SPEC §6: never recorded as an answer). Without a schema or JSON output there is nothing to check (`parsed` is
 * undefined). A truncated answer fails: cut-off JSON is never a complete value.
 */
export function validateOutput(completion: Completion, expectation: OutputExpectation): OutputCheck {
  if (completion.refusal !== undefined) return { ok: false, error: new RefusalError({ ...completion, refusal: completion.refusal }) };
  if (expectation.schema === undefined && !expectation.jsonOutput) return { ok: true, parsed: undefined };
  if (completion.truncated) {
    return fail(
      completion,
      'truncated',
      `the answer was cut off by the token limit (finish_reason ${completion.finishReason}); raise --max-tokens`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripCodeFence(completion.text));
  } catch {
    return fail(completion, 'invalid_json', `the answer is not valid JSON (${describeStart(completion.text)})`);
  }
  if (expectation.schema === undefined) return { ok: true, parsed };

  const validate = compileOutputSchema(expectation.schema.schema);
  if (validate(parsed)) return { ok: true, parsed: unwrapAnswer(expectation.schema, parsed) };
  const errors = validate.errors ?? [];
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  const more = errors.length > MAX_LISTED_ERRORS ? ` (and ${errors.length - MAX_LISTED_ERRORS} more)` : '';
  return fail(completion, 'schema_mismatch', `the answer does not match the schema: ${listed.join('; ')}${more}`);
}

/** Models asked for JSON in prose (Anthropic without a schema) sometimes wrap it in a Markdown fence. */
function stripCodeFence(text: string): string {
  const match = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?\s*```\s*$/.exec(text);
  return match ? match[1] : text;
}

function describeStart(text: string): string {
  if (text.trim() === '') return 'it is empty';
  const start = text.trim().slice(0, 40).replace(/\s+/g, ' ');
  return `starts "${start}${text.trim().length > 40 ? '…' : ''}"`;
}

function fail(completion: Completion, reason: InvalidOutputError['reason'], message: string): OutputCheck {
  return { ok: false, error: new InvalidOutputError(message, reason, completion) };
}
