/** llm-batch itself: the built CLI, exactly as row a/b/g of `npm run bench` run it, with `-c`. */
import fs from 'node:fs';
import path from 'node:path';
import { writeLines, itemLine } from '../inputs.js';
import { cliArgs } from '../rows.js';
import { CLI, commandLine, runCli } from '../spawn-cli.js';
import { readJsonl } from './read-jsonl.js';

export const llmBatch = {
  name: 'llm-batch',

  /** Nothing to install; the CLI must be built. */
  async prepare() {
    const bundle = path.join(path.dirname(CLI), '..', 'dist');
    return fs.existsSync(bundle) ? {} : { skip: 'dist/ is missing: run `npm run build` first' };
  },

  /** Run the items through the CLI; its results and dead letters are the records. */
  async run({ dir, items, serverUrl, concurrency }) {
    const input = path.join(dir, 'items.jsonl');
    const output = path.join(dir, 'out.jsonl');
    writeLines(input, items.length, itemLine);
    const { args, env } = cliArgs(input, output, serverUrl, ['-c', String(concurrency)]);
    const result = await runCli(args, { env });
    const records = [
      ...readJsonl(output).map((r) => ({ id: r.id, output: r.output })),
      ...readJsonl(path.join(dir, 'out.failed.jsonl')).map((r) => ({ id: r.id, error: r.error })),
    ];
    return { result, records, command: commandLine(args, { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:$PORT/v1' }) };
  },
};
