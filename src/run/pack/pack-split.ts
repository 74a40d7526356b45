/**
 * Split a packed answer back into one result per item: each entry's answer becomes that item's `output`
 * and `parsed`, checked as a single answer would be, with the request's tokens and cost shared out.
 * Items the answer lacks, or answers that fail their check, are returned for sending on their own.
 */
import { toResultRecord } from '../../journal/result-record.js';
import type { ResultRecord, RunMode } from '../../journal/records.js';
import type { Completion, Usage } from '../../providers/types.js';
import { compileOutputSchema } from '../../providers/validate-output.js';
import { addTokens, zeroTokens } from '../../usage/token-usage.js';
import { apportionUsage, apportionUsd } from './apportion.js';
import { PACK_ANSWER_KEY, PACK_ID_KEY, PACK_ITEMS_KEY } from './pack-format.js';
import type { PackAnswerShape } from './pack-shape.js';

export interface PackSplitInput {
  completion: Completion;
  /** The pack's items in prompt order; `weight` is the item's share of the prompt (estimated tokens). */
  members: ReadonlyArray<{ id: string; weight: number; requestHash?: string }>;
  shape: PackAnswerShape;
  /** What the request cost (0 for a cache hit, null when the price is unknown). */
  costUsd: number | null;
  attempts: number;
  latencyMs: number;
  cached: boolean;
  mode: RunMode;
  ts: string;
}

export interface SplitAnswer {
  record: ResultRecord;
  /** The item's share of the usage, for the run's totals. */
  usage: Usage;
}

export type PackSplit =
  | {
      ok: true;
      answered: SplitAnswer[];
      /** Items to send on their own, with the reason. */
      fallback: Array<{ id: string; reason: string }>;
      /** The shares of the fallback items: paid for, without a result. */
      unused: { usage: Usage; costUsd: number | null };
    }
  | { ok: false; reason: string };

/** Split `input.completion`; `ok: false` when the answer as a whole cannot be read. */
export function splitPackedAnswer(input: PackSplitInput): PackSplit {
  const { completion, members, shape } = input;
  if (completion.truncated) return { ok: false, reason: `the answer was cut off (finish_reason ${completion.finishReason})` };
  const entries = readEntries(completion.text);
  if (typeof entries === 'string') return { ok: false, reason: entries };

  const byId = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const id = entry[PACK_ID_KEY];
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, entry);
  }
  const weights = members.map((m) => m.weight);
  const usages = apportionUsage(completion.usage, weights);
  const costs = apportionUsd(input.costUsd, weights);

  const answered: SplitAnswer[] = [];
  const fallback: Array<{ id: string; reason: string }> = [];
  const unused = { usage: zeroTokens(), costUsd: input.costUsd === null ? null : 0 };
  members.forEach((member, i) => {
    const entry = byId.get(member.id);
    const answer = entry === undefined ? 'missing from the packed answer' : readAnswer(entry, shape);
    if (typeof answer === 'string') {
      fallback.push({ id: member.id, reason: answer });
      addTokens(unused.usage, usages[i]);
      if (unused.costUsd !== null) unused.costUsd += costs[i] ?? 0;
      return;
    }
    answered.push({ record: toRecord(input, member, answer, usages[i], costs[i]), usage: usages[i] });
  });
  return { ok: true, answered, fallback, unused };
}

/** The entries of a packed answer, or why there are none. */
function readEntries(text: string): Array<Record<string, unknown>> | string {
  let value: unknown;
  try {
    value = JSON.parse(stripCodeFence(text));
  } catch {
    return 'the packed answer is not valid JSON';
  }
  const list = isRecord(value) ? value[PACK_ITEMS_KEY] : Array.isArray(value) ? value : undefined;
  if (!Array.isArray(list)) return `the packed answer has no "${PACK_ITEMS_KEY}" list`;
  return list.filter(isRecord);
}

/** One entry's answer as a single request would have stored it, or why it cannot be used. */
function readAnswer(entry: Record<string, unknown>, shape: PackAnswerShape): { output: string; parsed?: unknown } | string {
  let value: unknown;
  if (shape.placement === 'fields') {
    const { [PACK_ID_KEY]: _id, ...fields } = entry;
    value = fields;
  } else {
    if (!(PACK_ANSWER_KEY in entry)) return `the entry has no "${PACK_ANSWER_KEY}"`;
    value = entry[PACK_ANSWER_KEY];
  }
  if (shape.itemSchema !== undefined) {
    const validate = compileOutputSchema(shape.itemSchema);
    if (!validate(value)) return `the answer does not match the schema: ${validate.errors?.[0]?.instancePath || '/'} ${validate.errors?.[0]?.message ?? 'is invalid'}`;
    return { output: JSON.stringify(value), parsed: shape.unwrap === undefined ? value : (value as Record<string, unknown>)[shape.unwrap] };
  }
  if (shape.jsonOutput) {
    if (!isRecord(value)) return 'the answer is not a JSON object';
    return { output: JSON.stringify(value), parsed: value };
  }
  if (typeof value !== 'string') return 'the answer is not text';
  return { output: value };
}

function toRecord(
  input: PackSplitInput,
  member: { id: string; requestHash?: string },
  answer: { output: string; parsed?: unknown },
  usage: Usage,
  costUsd: number | null | undefined,
): ResultRecord {
  const { completion } = input;
  return toResultRecord({
    id: member.id,
    requestHash: member.requestHash,
    output: answer.output,
    parsed: answer.parsed,
    model: completion.model,
    usage,
    costUsd: costUsd ?? null,
    attempts: input.attempts,
    latencyMs: input.latencyMs,
    cached: input.cached,
    finishReason: completion.finishReason,
    mode: input.mode,
    ts: input.ts,
  });
}

/** Models asked for JSON in prose sometimes wrap it in a Markdown fence. */
function stripCodeFence(text: string): string {
  const match = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?\s*```\s*$/.exec(text);
  return match ? match[1] : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
