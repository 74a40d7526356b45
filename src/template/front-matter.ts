import type { PromptMetadata } from 'dotprompt';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import type { TemplateDefaults } from './types.js';

/** Dotprompt's own front-matter pattern, so we accept exactly the files it does. */
const FRONT_MATTER = /^---\s*(?:\r\n|\r|\n)([\s\S]*?)(?:\r\n|\r|\n)---\s*(?:\r\n|\r|\n)([\s\S]*)$/;

const MAX_TOKENS_KEYS = new Set(['maxOutputTokens', 'maxTokens', 'max_tokens']);

/**
 * Checks the YAML front matter before Dotprompt sees it: Dotprompt logs a YAML error to the console and
 * then treats the whole file as the template body, which would send the front matter to the model.
 */
export function checkFrontMatter(source: string, label: string): void {
  if (!source.startsWith('---')) return;
  const match = FRONT_MATTER.exec(source);
  if (!match) {
    throw new UsageError(`cannot parse template ${label}: the front matter opened by --- on line 1 is not closed by a --- line`);
  }
  let value: unknown;
  try {
    value = parseYaml(match[1]);
  } catch (error) {
    const [first, ...rest] = String((error as Error).message).split('\n');
    throw new UsageError(`cannot parse the front matter of ${label}: ${first}`, rest.filter((line) => line.trim() !== ''));
  }
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new UsageError(`cannot parse the front matter of ${label}: expected YAML keys such as model: and config:`);
  }
}

/** The request defaults a `.prompt` file's front matter sets (flags override them). */
export function toTemplateDefaults(metadata: PromptMetadata, label: string): TemplateDefaults {
  const defaults: TemplateDefaults = {};
  if (metadata.model !== undefined) {
    if (typeof metadata.model !== 'string' || metadata.model === '') fail(label, 'model', 'a model name', metadata.model);
    defaults.model = metadata.model;
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata.config ?? {})) {
    if (key === 'temperature') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(label, 'config.temperature', 'a number ≥ 0', value);
      defaults.temperature = value;
    } else if (MAX_TOKENS_KEYS.has(key)) {
      if (!Number.isSafeInteger(value) || (value as number) < 1) fail(label, `config.${key}`, 'an integer ≥ 1', value);
      defaults.maxTokens = value as number;
    } else if (value !== undefined) {
      // Kept under the Dotprompt name: the provider's parameter table maps it (providers/param-table.ts).
      params[key] = value;
    }
  }
  if (Object.keys(params).length > 0) defaults.params = params;
  const schema = metadata.output?.schema;
  if (schema !== undefined && schema !== null) {
    if (typeof schema !== 'object' || Array.isArray(schema)) fail(label, 'output.schema', 'a schema object', schema);
    defaults.schema = schema as Record<string, unknown>;
  } else if (metadata.output?.format === 'json') {
    defaults.jsonOutput = true;
  }
  return defaults;
}

function fail(label: string, key: string, expected: string, got: unknown): never {
  throw new UsageError(`${label}: expected \`${key}\` to be ${expected}, got \`${JSON.stringify(got)}\``);
}
