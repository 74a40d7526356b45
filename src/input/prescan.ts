import type { Readable } from 'node:stream';
import { ImageFileError } from '../template/image-part.js';
import { TemplateVariableError, type ChatMessage, type PromptTemplate } from '../template/types.js';
import { describeMissingVariable } from '../template/describe-missing-variable.js';
import { IdRegistry } from './id-registry.js';
import { LineSet } from './line-set.js';
import { readInputBatches } from './open-input.js';
import type { Problem } from './problems.js';
import type { Shard } from './shard.js';
import type { InputSource, Item } from './types.js';

export { formatProblems, type Problem } from './problems.js';

/** Problems kept for the report; beyond this only the count grows, so a broken 1M-line file stays cheap. */
const MAX_STORED_PROBLEMS = 1000;

export interface PrescanOptions {
  source: InputSource;
  template: PromptTemplate;
  /** The stream read when the source path is `-`. @default process.stdin */
  stdin?: Readable;
  /** Only items in this shard are in scope. @default every item */
  shard?: Shard;
  /** Stop after this many valid pending items (`--limit`); later lines are not read. @default no limit */
  limit?: number;
  /** Ids finished by an earlier run (`--resume`): counted in `total`, not rendered, not pending. @default none */
  isDone?: (id: string) => boolean;
  /**
   * Resuming, for the ids with a result: `IdRegistry.claim` on them. They are then checked for repeats
   * there instead of being registered a second time here (a million ids: ~0.5 s and ~40 MB). `isDone`
   * still covers any other done ids. @default none
   */
  claimDone?: (id: string, line: number) => number | null | undefined;
  /** Called for every valid pending item with its messages (token estimates without a second pass). */
  onRendered?: (item: Item, messages: ChatMessage[]) => void;
  /**
   * Resuming: asked, for every item with a result, whether its rendered request changed since the answer
   * was recorded (SPEC §7). A changed item is pending again, so an answer is never kept for other content.
   * @default done items are not rendered
   */
  isChanged?: (item: Item, messages: ChatMessage[]) => boolean;
}

/** Whether ids are row numbers, and which column looks like the real id (SPEC §3). */
export interface IdSource {
  rowNumbers: boolean;
  /** A field of the first item whose name says it is an id (`review_id`, `uuid`, `key`…), when ids are row numbers. */
  likelyIdField?: string;
}

export interface PrescanResult {
  /** Items in scope after `shard` and `limit`: pending, already done and bad ones. */
  total: number;
  /** Valid items not already done: what the run will send. */
  pending: number;
  /** The first problems in file order (at most 1000 kept). */
  problems: Problem[];
  /** Every problem found, including those not kept. */
  problemCount: number;
  /**
   * Line → first line of its id, for every line that repeats an earlier id: all the run needs to reject
   * duplicates without a registry of every id of its own. Empty for a clean file.
   */
  duplicates: Map<number, number>;
  /** Lines of items already done (`isDone`): the run reads past them without parsing them again. */
  doneLines: LineSet;
  /** Done items whose content changed (`isChanged`): redone by this run, counted in `pending`. */
  changed: number;
  /** The first line of a changed item. */
  firstChangedLine?: number;
  /** How the items got their ids; undefined when there was no valid item. */
  ids?: IdSource;
}

/**
 * The pre-scan (SPEC §3): reads the input once before any API call, renders every pending item, and checks
 * ids for presence and uniqueness. Keeps each id's bytes and first line, off the JS heap, and nothing else
 * per item.
 */
export async function prescan(options: PrescanOptions): Promise<PrescanResult> {
  const { template, isDone, claimDone, onRendered, isChanged, limit } = options;
  const seenIds = new IdRegistry();
  const problems: Problem[] = [];
  const duplicates = new Map<number, number>();
  const doneLines = new LineSet();
  let problemCount = 0;
  let total = 0;
  let pending = 0;
  let changed = 0;
  let firstChangedLine: number | undefined;
  let ids: IdSource | undefined;
  const report = (problem: Problem): void => {
    problemCount += 1;
    if (problems.length < MAX_STORED_PROBLEMS) problems.push(problem);
  };

  /**
   * A done item stays done (undefined) unless its request changed since its answer was recorded: then its
   * messages, and it is pending again. Without `isChanged` a finished item is not rendered at all, so its
   * rendering cannot stop this run.
   */
  const recheckDone = async (item: Item): Promise<ChatMessage[] | undefined> => {
    if (isChanged !== undefined) {
      const messages = await renderOrReport(template, item, report);
      if (messages === undefined) return undefined;
      if (isChanged(item, messages)) {
        changed += 1;
        firstChangedLine ??= item.line;
        return messages;
      }
    }
    doneLines.add(item.line);
    return undefined;
  };
  const result = (): PrescanResult => ({ total, pending, problems, problemCount, duplicates, doneLines, changed, firstChangedLine, ids });
  if (limit !== undefined && limit <= 0) return result();
  // Batches, not items: an async step per item cost as much as the rest of the pre-scan of a done item.
  batches: for await (const events of readInputBatches(options.source, { stdin: options.stdin, shard: options.shard })) {
    for (const event of events) {
      total += 1;
      if (event.kind === 'bad-row') {
        const { line, id, message } = event.row;
        report({ line, id, kind: 'input', message });
        continue;
      }
      const { item } = event;
      ids ??= idSourceOf(item, options.source.idField);
      const claimed = claimDone === undefined ? null : claimDone(item.id, item.line);
      let messages: ChatMessage[] | undefined;
      if (claimed === undefined) {
        messages = await recheckDone(item);
        if (messages === undefined) continue;
      } else {
        const firstLine = claimed ?? seenIds.add(item.id, item.line);
        if (firstLine !== undefined) {
          duplicates.set(item.line, firstLine);
          report({ line: item.line, id: item.id, kind: 'id', message: `duplicate id "${item.id}" (first seen on line ${firstLine})` });
          continue;
        }
        if (isDone?.(item.id)) {
          messages = await recheckDone(item);
          if (messages === undefined) continue;
        } else {
          messages = await renderOrReport(template, item, report);
          if (messages === undefined) continue;
        }
      }
      pending += 1;
      onRendered?.(item, messages);
      if (limit !== undefined && pending >= limit) break batches;
    }
  }
  return result();
}

async function renderOrReport(template: PromptTemplate, item: Item, report: (problem: Problem) => void): Promise<ChatMessage[] | undefined> {
  try {
    return await template.render(item.data);
  } catch (error) {
    report({ line: item.line, id: item.id, kind: 'template', message: describeRenderError(error, item.data) });
    return undefined;
  }
}

/** Field names that say "I am the id": `review_id`, `ReviewId`, `uuid`, `key`, `sku`… */
const ID_LIKE_FIELD = [/(^|[_\-\s.])(id|uuid|guid|key)$/i, /[a-z](Id|ID|Uuid|UUID|Key)$/, /^(uuid|guid|key|sku|slug)$/i];

/** Ids are row numbers when no --id-field was given and the first item has no `id` (see IdReader). */
export function idSourceOf(first: Item, idField: string | undefined): IdSource {
  if (idField !== undefined || Object.hasOwn(first.data, 'id')) return { rowNumbers: false };
  const likely = Object.keys(first.data).find((key) => ID_LIKE_FIELD.some((pattern) => pattern.test(key)));
  return likely === undefined ? { rowNumbers: true } : { rowNumbers: true, likelyIdField: likely };
}

function describeRenderError(error: unknown, data: Record<string, unknown>): string {
  if (error instanceof TemplateVariableError) return describeMissingVariable(error, data);
  if (error instanceof ImageFileError) return error.message;
  return `cannot render the template: ${(error as Error).message}`;
}
