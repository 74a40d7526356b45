import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../src/input/shard.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const ITEMS = 240;
const SHARDS = 3;

const e2e = useMockServer();

describe('--shard k/n, end to end', () => {
  it('splits one input over three processes: disjoint, complete, each shard exactly its hash, merged by status', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, ITEMS);
    const outputOf = (k: number) => join(e2e.dir(), `out-${k}.jsonl`);
    const shards = Array.from({ length: SHARDS }, (_, i) => i + 1);

    const runs = await Promise.all(
      shards.map((k) =>
        runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet', '--shard', `${k}/${SHARDS}`, '-o', outputOf(k)], {
          env: openaiEnv(e2e.server),
        }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);

    const idsByShard = shards.map((k) => readResults(outputOf(k)).map((record) => record.id));
    const all = idsByShard.flat();
    expect(all).toHaveLength(ITEMS);
    expect(new Set(all)).toEqual(new Set(items.map((item) => item.id)));
    for (const [index, ids] of idsByShard.entries()) {
      // The assignment is the documented hash, so machines that never talk agree on it.
      expect(ids.every((id) => shardOf(id, SHARDS) === index)).toBe(true);
      expect(ids.length).toBeGreaterThan(ITEMS / SHARDS / 2);
      // Progress and the summary count only the shard's items.
      expect(runs[index].stderr).toContain(`${ids.length} ok`);
    }
    expect(e2e.server.stats().requests).toBe(ITEMS);

    const status = await runCli(['status', '--json', join(e2e.dir(), 'out-*.jsonl')]);
    expect(status.code, status.stderr).toBe(0);
    const merged = JSON.parse(status.stdout).merged;
    expect(merged).toMatchObject({ outputs: SHARDS, done: ITEMS, pending: { count: 0, inScope: ITEMS } });
  });

  it('is stable: a second run of a shard finds everything done and sends nothing', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 60);
    const out = join(e2e.dir(), 'out-2.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet', '--shard', '2/2', '-o', out];
    const first = await runCli(args, { env: openaiEnv(e2e.server) });
    expect(first.code, first.stderr).toBe(0);
    const sent = e2e.server.stats().requests;
    const again = await runCli([...args, '--resume'], { env: openaiEnv(e2e.server) });
    expect(again.code, again.stderr).toBe(0);
    expect(e2e.server.stats().requests).toBe(sent);
    expect(readResults(out)).toHaveLength(sent);
  });
});
