import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, expectedAnswers, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
// The first message batch create is carried out at the mock, but its answer is lost to a reset.
const e2e = useMockServer({ batchCompletionDelayMs: 200, batchCreateAnswerDrops: 1 });

describe('never paid twice in batch mode, end to end', () => {
  it('Anthropic: a create whose answer is dropped → the batch is found by listing, exactly one created, every item answered once', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 20);
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-m', 'claude-haiku-4-5', '-o', out, '-t', TEMPLATE, '--no-cache', '--quiet', '--mode', 'batch'], {
      env: anthropicEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    const stats = e2e.server.stats();
    expect(stats.batchesCreated).toBe(1);
    // The dropped create and the listing that found its batch; no second create.
    expect(stats.byPath['/v1/messages/batches']).toBe(2);
    const results = readResults(out);
    expect(results.map((record) => record.id).sort()).toEqual(items.map((item) => item.id).sort());
    const expected = await expectedAnswers(TEMPLATE, items);
    for (const record of results) expect(record.output).toBe(expected.get(record.id)?.text);
  });
});
