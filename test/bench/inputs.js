/** Benchmark inputs, written in large chunks so a million lines take a second or two, not a minute. */
import fs from 'node:fs';

const LINES_PER_WRITE = 20_000;

export const TEMPLATE = 'Classify the sentiment of this product review as positive or negative.\n\nReview: {{text}}\n';

/** `count` lines produced by `line(i)`, for i from `from`. */
export function writeLines(file, count, line, from = 0) {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = from; start < from + count; start += LINES_PER_WRITE) {
      let text = '';
      const end = Math.min(from + count, start + LINES_PER_WRITE);
      for (let i = start; i < end; i += 1) text += `${line(i)}\n`;
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** An input item: short, like a product review; the id is what resume matches on. */
export function itemLine(i) {
  return JSON.stringify({ id: `item-${i}`, text: `review ${i}: arrived on time, works as described, ${i % 5} stars` });
}

/** A results line shaped like the writer's (SPEC §6), id first. */
export function resultLine(i) {
  return JSON.stringify({
    id: `item-${i}`,
    output: i % 3 === 0 ? 'positive' : 'negative',
    model: 'gpt-4o-mini-2024-07-18',
    usage: { input_tokens: 32, output_tokens: 2, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
    cost_usd: 0.0000060,
    attempts: 1,
    latency_ms: 3,
    cached: false,
    finish_reason: 'stop',
    mode: 'realtime',
    ts: '2025-05-01T10:00:01.000Z',
  });
}
