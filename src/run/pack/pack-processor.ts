/**
 * `--pack N`: items are gathered N at a time, sent as one request that lists them by id, and the answer is
 * split back into one result per item. Everything a single request gets (budget, rate limits, retries) comes
 * from `ItemProcessor.ask`; any item a pack cannot answer goes through `ItemProcessor.process` on its own.
 */
import type { Item } from '../../input/types.js';
import type { ResultRecord, RunMode } from '../../journal/records.js';
import type { ChatRequest, Completion, Usage } from '../../providers/types.js';
import type { ChatMessage } from '../../template/types.js';
import type { EventSink } from '../events.js';
import type { ItemPorts, ItemProcessor } from '../item-processor.js';
import type { RunControl } from '../run-control.js';
import type { RunStats } from '../run-stats.js';
import { choosePackSize, groupForRequests, PACK_INPUT_TOKEN_BUDGET, PACK_OUTPUT_TOKEN_CAP } from './pack-limits.js';
import { buildPackedRequest } from './pack-prompt.js';
import { describePackAnswer, type PackAnswerShape } from './pack-shape.js';
import { splitPackedAnswer, type PackSplitInput } from './pack-split.js';

export interface PackProcessorOptions {
  processor: ItemProcessor;
  ports: Pick<ItemPorts, 'render' | 'cache' | 'cacheKey' | 'requestHash' | 'estimateInputTokens' | 'writeResult' | 'now'>;
  /** Items per request (`--pack`). */
  size: number;
  request: Omit<ChatRequest, 'messages'>;
  mode: RunMode;
  control: RunControl;
  stats: RunStats;
  emit: EventSink;
  /** @default PACK_INPUT_TOKEN_BUDGET */
  inputTokenBudget?: number;
}

/** What packing saved, for the summary. */
export interface PackSavings {
  /** Items answered by packed requests minus the packed requests sent (retries and failed packs included). */
  requestsSaved: number;
  /** Estimated input tokens those items would have cost alone, minus what their packs cost (the shared prefix once). */
  inputTokensSaved: number;
  /** Items a pack could not answer, sent on their own. */
  fallbackItems: number;
}

/** An item rendered and ready to share a request. */
interface Member {
  item: Item;
  prefix: ChatMessage[];
  /** Identical for items that can share a request. */
  prefixKey: string;
  message: ChatMessage;
  /** Estimated input tokens of the item's own message: its weight in the shared usage. */
  tokens: number;
  /** Estimated input tokens of the item as a single request. */
  singleTokens: number;
  /** The request hash of the item as a single request: what its record says was asked. */
  requestHash: string;
}

/** The packed answer is checked by splitting it, so `ask` must not reject it as a single answer. */
const ACCEPT_ANY = (): { parsed?: unknown } => ({});

export class PackProcessor {
  readonly #options: PackProcessorOptions;
  readonly #size: number;
  readonly #itemOutputTokens: number;
  readonly #shape: PackAnswerShape;
  readonly #savings: PackSavings = { requestsSaved: 0, inputTokensSaved: 0, fallbackItems: 0 };
  #open: { items: Item[]; done: (settled: Promise<void>) => void; promise: Promise<void> } | null = null;
  #warned = false;
  #prefixTokens = { key: '', tokens: 0 };

  constructor(options: PackProcessorOptions) {
    this.#options = options;
    const chosen = choosePackSize(options.size, options.request.params.maxTokens);
    this.#size = chosen.size;
    this.#itemOutputTokens = chosen.itemOutputTokens;
    this.#shape = describePackAnswer(options.request.params);
    if (chosen.reducedBecause) options.emit({ type: 'warning', message: chosen.reducedBecause });
  }

  get savings(): PackSavings {
    return { ...this.#savings };
  }

  /** Add an item to the pack being gathered; resolves when its record is written (or the run stopped). */
  process(item: Item): Promise<void> {
    if (this.#open === null) {
      let done!: (settled: Promise<void>) => void;
      const promise = new Promise<void>((resolve) => (done = resolve));
      this.#open = { items: [], done, promise };
    }
    const open = this.#open;
    open.items.push(item);
    if (open.items.length >= this.#size) this.flush();
    return open.promise;
  }

  /** Send the pack being gathered, however small (end of input). */
  flush(): void {
    const open = this.#open;
    if (open === null) return;
    this.#open = null;
    open.done(this.#dispatch(open.items));
  }

  async #dispatch(items: Item[]): Promise<void> {
    // Unsent items stay pending: a resume picks them up.
    if (this.#options.control.stopping) return;
    const { processor } = this.#options;
    const rendered = await Promise.all(items.map((item) => this.#prepare(item)));
    const alone: Item[] = [];
    const candidates = [];
    for (const [index, member] of rendered.entries()) {
      if (member === null) alone.push(items[index]);
      else candidates.push({ value: member, prefixKey: member.prefixKey, prefixTokens: this.#prefixCost(member), tokens: member.tokens });
    }
    const groups = groupForRequests(candidates, this.#options.inputTokenBudget ?? PACK_INPUT_TOKEN_BUDGET);
    await Promise.all([
      ...alone.map((item) => processor.process(item)),
      ...groups.map((group) => (group.length === 1 ? processor.process(group[0].item) : this.#sendPack(group))),
    ]);
  }

  /** The item's rendered prompt split into shared prefix and own message; null when it cannot be packed. */
  async #prepare(item: Item): Promise<Member | null> {
    let messages: ChatMessage[];
    try {
      messages = await this.#options.ports.render(item);
    } catch {
      return null; // sent alone, where the template error becomes its dead letter
    }
    const message = messages.at(-1);
    if (message === undefined || message.role !== 'user') return null;
    const prefix = messages.slice(0, -1);
    const { estimateInputTokens } = this.#options.ports;
    const params = this.#options.request.params;
    const tokens = estimateInputTokens({ messages: [message], params: { model: params.model, extra: {} } });
    const single = { messages, params };
    const singleTokens = estimateInputTokens(single);
    const requestHash = this.#options.ports.requestHash(single, this.#options.ports.cacheKey(single));
    return { item, prefix, prefixKey: JSON.stringify(prefix), message, tokens, singleTokens, requestHash };
  }

  /** The prefix is nearly always the same system prompt: estimate it once, not per item. */
  #prefixCost({ prefix, prefixKey }: Member): number {
    if (this.#prefixTokens.key !== prefixKey) {
      const params = { model: this.#options.request.params.model, extra: {} };
      const tokens = prefix.length === 0 ? 0 : this.#options.ports.estimateInputTokens({ messages: prefix, params });
      this.#prefixTokens = { key: prefixKey, tokens };
    }
    return this.#prefixTokens.tokens;
  }

  async #sendPack(group: Member[]): Promise<void> {
    const { processor, ports, stats } = this.#options;
    const request = buildPackedRequest({
      prefix: group[0].prefix,
      members: group.map((m) => ({ id: m.item.id, message: m.message })),
      shape: this.#shape,
      params: this.#options.request.params,
      maxTokens: Math.min(PACK_OUTPUT_TOKEN_CAP, this.#itemOutputTokens * group.length),
    });
    // Packs are not deduplicated in-run (identical packs are vanishingly rare), so a key is only for the cache.
    const key = ports.cache ? ports.cacheKey(request) : undefined;
    const cached = key === undefined ? undefined : ports.cache?.get(key);
    if (cached) {
      const split = this.#split(group, cached.completion, { costUsd: 0, attempts: 0, latencyMs: 0, cached: true });
      if (!split.ok) return this.#fallBack(group.map((m) => m.item), split.reason);
      for (const { record } of split.answered) this.#record(record, null);
      return this.#fallBack(itemsOf(group, split.fallback), split.fallback[0]?.reason);
    }

    const label = `pack of ${group.length} (${group[0].item.id} … ${group.at(-1)?.item.id})`;
    const answer = await processor.ask(label, request, ACCEPT_ANY);
    if (answer.kind === 'stopped') return;
    if (answer.kind === 'failed') {
      this.#savings.requestsSaved -= answer.attempts;
      return this.#fallBack(group.map((m) => m.item), `${answer.info.class}: ${answer.info.message}`);
    }
    const { completion, costUsd, attempts, latencyMs } = answer;
    this.#savings.requestsSaved -= attempts;
    const split = this.#split(group, completion, { costUsd, attempts, latencyMs, cached: false });
    if (!split.ok) {
      stats.addUsage(completion.usage, costUsd);
      return this.#fallBack(group.map((m) => m.item), split.reason);
    }
    if (key !== undefined) ports.cache?.put(key, { completion, storedAt: ports.now() });
    for (const { record, usage } of split.answered) this.#record(record, usage);
    stats.addUsage(split.unused.usage, split.unused.costUsd);
    const answeredIds = new Set(split.answered.map((a) => a.record.id));
    const answeredTokens = group.filter((m) => answeredIds.has(m.item.id)).reduce((sum, m) => sum + m.singleTokens, 0);
    this.#savings.requestsSaved += split.answered.length;
    this.#savings.inputTokensSaved += calibratedSaving(answeredTokens, ports.estimateInputTokens(request), completion.usage.inputTokens);
    return this.#fallBack(itemsOf(group, split.fallback), split.fallback[0]?.reason);
  }

  #split(group: Member[], completion: Completion, outcome: Pick<PackSplitInput, 'costUsd' | 'attempts' | 'latencyMs' | 'cached'>) {
    return splitPackedAnswer({
      completion,
      members: group.map((m) => ({ id: m.item.id, weight: m.tokens, requestHash: m.requestHash })),
      shape: this.#shape,
      ...outcome,
      mode: this.#options.mode,
      ts: new Date(this.#options.ports.now()).toISOString(),
    });
  }

  /** Write one item's result; `usage` is null for a cache hit (nothing paid). */
  #record(record: ResultRecord, usage: Usage | null): void {
    const { ports, stats, emit } = this.#options;
    ports.writeResult(record);
    stats.recordSuccess(usage, record.cost_usd, record.cached ? 'cache' : 'api');
    emit({ type: 'item-succeeded', id: record.id, cached: record.cached, costUsd: record.cost_usd, latencyMs: record.latency_ms, attempts: record.attempts });
  }

  async #fallBack(items: Item[], reason: string | undefined): Promise<void> {
    if (items.length === 0) return;
    this.#savings.fallbackItems += items.length;
    if (!this.#warned) {
      this.#warned = true;
      this.#options.emit({ type: 'warning', message: `a packed request could not answer ${items.length} of its items (${reason ?? 'unknown reason'}); sending them one by one (later cases are counted in the summary)` });
    }
    await Promise.all(items.map((item) => this.#options.processor.process(item)));
  }
}

/**
 * Input tokens the answered items would have cost alone, minus what the pack cost. Both sides are estimates
 * by the same estimator, scaled by how far it was off for the pack itself (the quick estimate over-counts on
 * purpose), so the figure is in billed tokens.
 */
function calibratedSaving(singlesEstimate: number, packEstimate: number, packBilled: number): number {
  const scale = packEstimate > 0 && packBilled > 0 ? packBilled / packEstimate : 1;
  return Math.round((singlesEstimate - packEstimate) * scale);
}

function itemsOf(group: Member[], wanted: ReadonlyArray<{ id: string }>): Item[] {
  const ids = new Set(wanted.map((w) => w.id));
  return group.filter((m) => ids.has(m.item.id)).map((m) => m.item);
}
