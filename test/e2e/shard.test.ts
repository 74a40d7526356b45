import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/input/shard.js';
import type { MockServer } from '../../src/mock/server.js';
import { FIXTURES, makeTempDir, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const ITEMS = 240;
const SHARDS = 3;

let server: MockServer;
let temp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  temp?.cleanup();
  server.resetStats();
});

describe('--shard k/n, end to end', () => {
  it('splits one input over three processes: disjoint, complete, each shard exactly its hash, merged by status', async () => {
    temp = makeTempDir();
    const input = join(temp.dir, 'items.jsonl');
    const items = writeItems(input, ITEMS);
    const outputOf = (k: number) => join(temp.dir, `out-${k}.jsonl`);
    const shards = Array.from({ length: SHARDS }, (_, i) => i + 1);

    const runs = await Promise.all(
      shards.map((k) =>
        runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet', '--shard', `${k}/${SHARDS}`, '-o', outputOf(k)], {
          env: openaiEnv(server),
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
    expect(server.stats().requests).toBe(ITEMS);

    const status = await runCli(['status', '--json', join(temp.dir, 'out-*.jsonl')]);
    expect(status.code, status.stderr).toBe(0);
    const merged = JSON.parse(status.stdout).merged;
    expect(merged).toMatchObject({ outputs: SHARDS, done: ITEMS, pending: { count: 0, inScope: ITEMS } });
  });

  it('is stable: a second run of a shard finds everything done and sends nothing', async () => {
    temp = makeTempDir();
    const input = join(temp.dir, 'items.jsonl');
    writeItems(input, 60);
    const out = join(temp.dir, 'out-2.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet', '--shard', '2/2', '-o', out];
    const first = await runCli(args, { env: openaiEnv(server) });
    expect(first.code, first.stderr).toBe(0);
    const sent = server.stats().requests;
    const again = await runCli([...args, '--resume'], { env: openaiEnv(server) });
    expect(again.code, again.stderr).toBe(0);
    expect(server.stats().requests).toBe(sent);
    expect(readResults(out)).toHaveLength(sent);
  });
});
