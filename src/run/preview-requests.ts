import { UsageError } from '../errors.js';
import { readInput } from '../input/open-input.js';
import { requestTarget } from '../providers/create-provider.js';
import { openaiWire } from '../providers/openai-wire.js';
import type { ChatRequest } from '../providers/types.js';
import { describeMissingVariable } from '../template/describe-missing-variable.js';
import type { PromptTemplate } from '../template/types.js';
import { TemplateVariableError } from '../template/types.js';
import { applySample } from './apply-sample.js';
import type { RunConfig } from './run-config.js';

/** Stands in for the key in every header shown: `preview` never prints a key, and needs none. */
export const REDACTED_KEY = '<redacted>';

export interface PreviewRequest {
  id: string;
  /** 1-based line of the item in the input. */
  line: number;
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** The JSON body exactly as `run` would send it for this item. */
  body: object;
}

/**
 * The requests `run` would send for the first `count` items in scope (after --shard), built by the same wire
 * format the provider uses. Reads only as far as it needs; sends and writes nothing. A bad row or a missing
 * template variable among them is a UsageError naming its line, as it would be for `run`.
 */
export async function previewRequests(resolved: RunConfig, template: PromptTemplate, count: number): Promise<PreviewRequest[]> {
  const requests: PreviewRequest[] = [];
  if (count <= 0) return requests;
  const config = await applySample(resolved);
  for await (const event of readInput(config.input, { shard: config.shard })) {
    if (event.kind === 'bad-row') {
      throw new UsageError(`${config.input.path} line ${event.row.line}: ${event.row.message}`);
    }
    const { item } = event;
    let messages;
    try {
      messages = await template.render(item.data);
    } catch (error) {
      if (!(error instanceof TemplateVariableError)) throw error;
      throw new UsageError(`${config.input.path} line ${item.line}: ${describeMissingVariable(error, item.data)}`);
    }
    requests.push({ id: item.id, line: item.line, ...wireRequest(config, { messages, params: config.params }) });
    if (requests.length >= count) break;
  }
  return requests;
}

function wireRequest(config: RunConfig, request: ChatRequest): Omit<PreviewRequest, 'id' | 'line'> {
  if (config.provider === 'mock') {
    // The mock answers in-process; it is handed the same request an OpenAI endpoint would get.
    return { method: 'POST', url: 'mock:// (in-process, nothing leaves this machine)', headers: {}, body: openaiWire.buildBody(request) };
  }
  const { wire, url, headers } = requestTarget({ ...config, provider: config.provider }, REDACTED_KEY);
  return { method: 'POST', url, headers, body: wire.buildBody(request) };
}
