/**
 * The OpenAI cookbook's `api_request_parallel_processor.py`, from the path in
 * `LLM_BATCH_BENCH_COOKBOOK` (its code is never part of this repository). It needs a python3 with
 * `aiohttp` (`LLM_BATCH_BENCH_PYTHON`, else the first of `python3`, `/usr/bin/python3` that has it) and
 * `tiktoken`, which the bench stands in for when it is missing (see STAND_IN_TIKTOKEN).
 *
 * What bounds it: it has no concurrency setting. Its main loop starts at most one request per 1 ms
 * sleep and otherwise only its own rate limiter holds it back, which the bench sets far above anything
 * reached; aiohttp's default connection pool (100 connections per session) is what caps the requests in
 * flight at 100, the same as everyone's concurrency here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runProcess } from '../spawn-cli.js';
import { readJsonl } from './read-jsonl.js';

const MODEL = 'gpt-4o-mini';
/** Its limiter's capacity starts full at these and refills per minute: never the bound here. */
const UNBINDING_RPM = 1e9;
const UNBINDING_TPM = 1e12;
/** Its default (`--max_attempts`). */
const MAX_ATTEMPTS = 5;
/** ERROR: its default INFO logs a line per request, which no batch user leaves on (llm-batch runs `--quiet`). */
const LOGGING_LEVEL = 40;

/**
 * Only the script's own rate-limit estimate reads tiktoken (tokens per request, against
 * max_tokens_per_minute, which never binds here), so characters / 4 stands in for it.
 */
const STAND_IN_TIKTOKEN = `# Stand-in for tiktoken (not installable here): characters / 4, for the script's rate-limit estimate only.
class _Encoding:
    def encode(self, text):
        return [0] * max(1, (len(text) + 3) // 4)


def get_encoding(name):
    return _Encoding()
`;

/**
 * The script accepts only https:// request URLs (its api_endpoint_from_url), and the mock server is
 * plain http on 127.0.0.1. This runner imports the script, lets that one function read an http URL as
 * if it were https, and calls its process_api_requests_from_file with the arguments its command line
 * would pass; nothing else of the script is touched.
 */
const RUNNER = `import asyncio, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("api_request_parallel_processor", sys.argv[1])
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)
https_only = script.api_endpoint_from_url
script.api_endpoint_from_url = lambda url: https_only(url.replace("http://", "https://", 1))
asyncio.run(script.process_api_requests_from_file(**json.loads(sys.argv[2])))
`;

export const cookbook = {
  name: 'openai-cookbook',

  /** The script's path from the environment and a python with aiohttp; writes the runner (and tiktoken stand-in) to `dir`. */
  async prepare({ dir }) {
    const script = process.env.LLM_BATCH_BENCH_COOKBOOK;
    if (!script) return { skip: 'LLM_BATCH_BENCH_COOKBOOK is not set (the path to the cookbook\'s examples/api_request_parallel_processor.py)' };
    if (!fs.existsSync(script)) return { skip: `LLM_BATCH_BENCH_COOKBOOK=${script} does not exist` };
    const candidates = process.env.LLM_BATCH_BENCH_PYTHON ? [process.env.LLM_BATCH_BENCH_PYTHON] : ['python3', '/usr/bin/python3'];
    const python = candidates.find((p) => spawnSync(p, ['-c', 'import aiohttp'], { stdio: 'ignore' }).status === 0);
    if (python === undefined) return { skip: `no python with aiohttp among ${candidates.join(', ')} (Debian: apt-get install python3-aiohttp; or set LLM_BATCH_BENCH_PYTHON)` };
    const shim = path.join(dir, 'cookbook-shim');
    fs.mkdirSync(shim, { recursive: true });
    fs.writeFileSync(path.join(shim, 'run_cookbook.py'), RUNNER);
    const hasTiktoken = spawnSync(python, ['-c', 'import tiktoken'], { stdio: 'ignore' }).status === 0;
    if (!hasTiktoken) fs.writeFileSync(path.join(shim, 'tiktoken.py'), STAND_IN_TIKTOKEN);
    return { state: { script, python, shim }, note: hasTiktoken ? undefined : 'tiktoken stand-in' };
  },

  async run({ dir, items, serverUrl, state }) {
    const requests = path.join(dir, 'requests.jsonl');
    const output = path.join(dir, 'results.jsonl');
    // Its input is the requests themselves, rendered beforehand (not timed: a user writes this file with their own script).
    fs.writeFileSync(requests, items.map((item) => `${JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: item.prompt }], metadata: { id: item.id } })}\n`).join(''));
    const options = {
      requests_filepath: requests,
      save_filepath: output,
      request_url: `${serverUrl}/v1/chat/completions`,
      api_key: 'bench',
      max_requests_per_minute: UNBINDING_RPM,
      max_tokens_per_minute: UNBINDING_TPM,
      token_encoding_name: 'cl100k_base',
      max_attempts: MAX_ATTEMPTS,
      logging_level: LOGGING_LEVEL,
    };
    const runner = path.join(state.shim, 'run_cookbook.py');
    const env = { PYTHONPATH: state.shim };
    const result = await runProcess(state.python, [runner, state.script, JSON.stringify(options)], { env });
    const records = readJsonl(output).map(toRecord);
    return { result, records, command: `PYTHONPATH=${state.shim} ${state.python} ${runner} ${state.script} '${JSON.stringify(options)}'` };
  },
};

/** A line is [request, response, metadata] on success, [request, [errors], metadata] after its last attempt. */
function toRecord([, response, metadata]) {
  const id = metadata?.id;
  if (Array.isArray(response)) return { id, error: response.at(-1) };
  const output = response?.choices?.[0]?.message?.content;
  return typeof output === 'string' ? { id, output } : { id, error: response };
}
