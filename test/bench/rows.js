/**
 * The benchmark rows of SPEC §12 / issue 4 (a–e) plus `status` on a million-line output (f). Each row
 * builds its inputs in `ctx.dir`, runs the CLI against a mock server in its own process, and returns
 * what the table shows. Sizes shrink with `--quick`, which is a smoke run: its numbers are not the
 * SPEC's measurements.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { itemLine, resultLine, TEMPLATE, writeLines } from './inputs.js';
import { describeServer, startServerProcess } from './mock-server.js';
import { commandLine, runCli, runProcess } from './spawn-cli.js';

const MODEL = 'gpt-4o-mini';
/** Row c: start-up, learning the limits and any opening burst are not the steady part. */
const STEADY_AFTER_MS = 10_000;

/** Sizes for the full run and for `--quick`. */
const SIZES = {
  full: { a: 50_000, b: 5000, cExtraSeconds: 60, d: 1_000_000, e: 1_000_000, g: 3000, h: 1500 },
  quick: { a: 10_000, b: 2000, cExtraSeconds: 20, d: 100_000, e: 100_000, g: 1000, h: 700 },
};

export const ROWS = [
  { id: 'a', title: 'overhead: 0 ms latency, -c 64', run: overhead },
  { id: 'b', title: 'latency-bound: 200 ms, -c 100, end to end', run: latencyBound },
  { id: 'c', title: 'rate-limited: server 1,200 RPM, no --rpm', run: rateLimited },
  { id: 'd', title: 'memory: 1M-item JSONL, 0 ms', run: memory },
  { id: 'e', title: 'resume start-up: 1M-line results', run: resumeStartup },
  { id: 'f', title: 'status on a 1M-line output', run: statusTiming },
  { id: 'g', title: 'fault mix: 17% faults at 20 ms, -c 100', run: faultMix },
  { id: 'h', title: 'token bucket: 600 RPM starting full, no --rpm', run: tokenBucket },
  { id: 'i', title: 'start-up and exit: one-item job', run: startupAndExit },
];

/** Row g's faults (issue 13): 5% 429 with Retry-After 1 s, 5% 500, 3% 503, 2% resets, 2% garbage bodies. */
const FAULT_MIX = { 429: 0.05, 500: 0.05, 503: 0.03, reset: 0.02, garbage: 0.02 };
/** Row g's server (also the comparison bench's fault scenario): the mix at 20 ms, seeded so every run draws the same faults. */
export const FAULT_MIX_SERVER = Object.freeze({
  latencyMs: 20,
  failRate: Number(Object.values(FAULT_MIX).reduce((sum, share) => sum + share, 0).toFixed(6)),
  faultMix: FAULT_MIX,
  faultRetryAfterMs: 1000,
  seed: 13,
});

/** (a) End-to-end items/s, wall clock of the CLI process including start-up and pre-scan. */
async function overhead(ctx) {
  const items = sizes(ctx).a;
  const { result, command } = await runAgainstServer(ctx, 'a', items, { latencyMs: 0 }, ['-c', '64']);
  const perSecond = items / (result.wallMs / 1000);
  return {
    value: perSecond,
    display: `${fmt(perSecond)} items/s`,
    target: '≥ 3,000 items/s',
    pass: perSecond >= 3000,
    notes: `${fmt(items)} items in ${secs(result.wallMs)} (CLI CPU ${cpu(result)}), peak RSS ${fmt(result.peakRssMb)} MB`,
    command,
  };
}

/**
 * (b) Issue 13's set-up: 5,000 items at 200 ms latency with `-c 100`, end to end: the ideal is
 * items / c × latency (10 s: every slot busy from spawn to exit), and the share is ideal / wall clock of
 * the CLI from spawn to exit, start-up and exit included. The server-side window (first request to last
 * answer) is in the notes, so dispatch gaps can be told from start-up.
 */
async function latencyBound(ctx) {
  const items = sizes(ctx).b;
  const latencyMs = 200;
  const concurrency = 100;
  const idealMs = (items / concurrency) * latencyMs;
  const { result, stats, command } = await runAgainstServer(ctx, 'b', items, { latencyMs }, ['-c', String(concurrency)]);
  const windowMs = stats.lastRequestAt - stats.firstRequestAt + latencyMs;
  const share = idealMs / result.wallMs;
  const serverShare = idealMs / windowMs;
  const startMs = stats.firstRequestAt - result.spawnedAt;
  const exitMs = result.spawnedAt + result.wallMs - (stats.lastRequestAt + latencyMs);
  const bare = await bareClient(items, latencyMs, concurrency);
  return {
    value: share * 100,
    display: `${pct(share)} of ideal end to end`,
    target: '≥ 98%',
    pass: share >= 0.98,
    notes: `${fmt(items)} items; wall ${secs(result.wallMs)} against the ideal ${secs(idealMs)} (CLI CPU ${cpu(result)}); spawn to first request ${fmt(startMs)} ms, server window ${secs(windowMs)} (${pct(serverShare)} of ideal), last answer to exit ${fmt(exitMs)} ms; max in flight ${stats.maxInFlight}. Yardstick, a bare undici loop (test/bench/bare-client.js) on the same server: ${pct(idealMs / bare.wallMs)} end to end, ${pct(idealMs / bare.windowMs)} server window`,
    command,
  };
}

/**
 * (c) The server's bucket starts full (like OpenAI's), so a client may send up to RPM requests at once
 * before the limit bites; the steady rate is measured after that: successes per minute from 10 s after
 * the first request to the last one, from the server's counters sampled every second. 429s are counted
 * over all requests.
 */
async function rateLimited(ctx) {
  const rpm = 1200;
  const items = rpm + (rpm / 60) * sizes(ctx).cExtraSeconds;
  const samples = [];
  const { result, stats, command } = await runAgainstServer(ctx, 'c', items, { latencyMs: 0, rpm }, ['-c', '64'], {
    everyMs: 1000,
    sample: (s) => samples.push({ at: Date.now(), ok: s.byStatus['200'] ?? 0 }),
  });
  const ok = stats.byStatus['200'] ?? 0;
  const limited = stats.byStatus['429'] ?? 0;
  const from = samples.find((s) => s.at >= stats.firstRequestAt + STEADY_AFTER_MS);
  if (from === undefined || stats.lastRequestAt - from.at < STEADY_AFTER_MS) {
    throw new Error('run too short for a steady window: raise the item count');
  }
  const steadyRpm = (ok - from.ok) / ((stats.lastRequestAt - from.at) / 60_000);
  const share = steadyRpm / rpm;
  const limitedShare = limited / stats.requests;
  const wholeRpm = ok / ((stats.lastRequestAt - stats.firstRequestAt) / 60_000);
  return {
    value: share * 100,
    display: `${pct(share)} of limit, ${pct(limitedShare, 2)} 429s`,
    target: '≥ 95%, ≤ 1% 429s',
    pass: share >= 0.95 && limitedShare <= 0.01 && ok === items,
    notes: `${fmt(items)} items, ${fmt(limited)} × 429 of ${fmt(stats.requests)} requests; steady ${fmt(steadyRpm)} RPM over ${secs(stats.lastRequestAt - from.at)}; whole run ${fmt(wholeRpm)} RPM, wall ${secs(result.wallMs)} (CLI CPU ${cpu(result)})`,
    command,
  };
}

/** (d) Peak RSS of the CLI over a million items (its high-water mark, sampled every 100 ms). */
async function memory(ctx) {
  const items = sizes(ctx).d;
  const { result, command } = await runAgainstServer(ctx, 'd', items, { latencyMs: 0 }, ['-c', '64']);
  return {
    value: result.peakRssMb,
    display: `${fmt(result.peakRssMb)} MB`,
    target: '≤ 150 MB',
    pass: result.peakRssMb <= 150,
    notes: `${fmt(items)} items in ${secs(result.wallMs)} (${fmt(items / (result.wallMs / 1000))} items/s, CLI CPU ${cpu(result)})`,
    command,
  };
}

/**
 * (e) `--resume` on an output holding N results, with an input of N + 1 items: the time from spawn to
 * the one missing item's request reaching the server is the start-up (read, pre-scan, skip set).
 */
async function resumeStartup(ctx) {
  const fixture = await resumeFixture(ctx);
  // The same server as the fixture's run: its URL is part of the output's fingerprint.
  await fixture.server.reset();
  const { args, env } = cliArgs(fixture.input, fixture.output, fixture.server.url, ['--resume']);
  const result = await checked(runCli(args, { env, nodeArgs: ctx.nodeArgs }));
  const stats = await fixture.server.stats();
  if (stats.requests !== 1) throw new Error(`expected exactly 1 request on resume, the server saw ${stats.requests}`);
  const startupMs = stats.firstRequestAt - result.spawnedAt;
  return {
    value: startupMs / 1000,
    display: `${secs(startupMs)} to first request`,
    target: '≤ 5 s',
    pass: startupMs <= 5000,
    notes: `${fmt(fixture.lines)} result lines (${mb(fixture.output)} MB), input ${fmt(fixture.lines + 1)} items; exit after ${secs(result.wallMs)} (CLI CPU ${cpu(result)}), peak RSS ${fmt(result.peakRssMb)} MB`,
    command: `${commandLine(args, redactEnv(env))}   [server: latencyMs=0]`,
  };
}

/** (f) `status` on the same output: reads results (full parse for totals) and counts pending in the input. */
async function statusTiming(ctx) {
  const fixture = await resumeFixture(ctx);
  const args = ['status', fixture.output];
  const result = await checked(runCli(args));
  return {
    value: result.wallMs / 1000,
    display: secs(result.wallMs),
    target: '— (no SPEC target)',
    pass: null,
    notes: `${fmt(fixture.lines)}+ result lines, pending counted over ${fmt(fixture.lines + 1)} input items; CPU ${cpu(result)}, peak RSS ${fmt(result.peakRssMb)} MB`,
    command: commandLine(args),
  };
}

/**
 * (g) The same items at 20 ms and -c 100, first fault-free, then through the fault mix: the faults may
 * cost at most 10 s of wall clock, every item must be written exactly once, and the server must have
 * answered each prompt successfully exactly once (none paid twice).
 */
async function faultMix(ctx) {
  const items = sizes(ctx).g;
  const clean = await runAgainstServer(ctx, 'g0', items, { latencyMs: FAULT_MIX_SERVER.latencyMs, trackPrompts: true }, ['-c', '100']);
  const faulty = await runAgainstServer(ctx, 'g', items, { ...FAULT_MIX_SERVER, trackPrompts: true }, ['-c', '100']);
  const successes = Object.values(faulty.stats.successesByPrompt);
  const paidTwice = successes.filter((n) => n > 1).length;
  const extraMs = faulty.result.wallMs - clean.result.wallMs;
  const faults = Object.values(faulty.stats.faults).reduce((sum, n) => sum + n, 0);
  return {
    value: extraMs / 1000,
    display: `+${secs(extraMs)} over fault-free`,
    target: '≤ +10 s, each item once, none paid twice',
    pass: extraMs <= 10_000 && paidTwice === 0 && successes.length === items,
    notes: `${fmt(items)} items; fault-free ${secs(clean.result.wallMs)}, with faults ${secs(faulty.result.wallMs)} (${fmt(faults)} faults in ${fmt(faulty.stats.requests)} requests, CLI CPU ${cpu(faulty.result)}); paid twice: ${paidTwice}`,
    command: faulty.command,
  };
}

/**
 * (h) A 600 RPM bucket starting full, as OpenAI's and Anthropic's are: 600 requests fit at once, the
 * other 900 take 90 s of refill. Wall clock from the first request to the last, and the 429 share.
 */
async function tokenBucket(ctx) {
  const items = sizes(ctx).h;
  const rpm = 600;
  const idealMs = ((items - rpm) / (rpm / 60)) * 1000;
  const { result, stats, command } = await runAgainstServer(ctx, 'h', items, { latencyMs: 0, rpm }, []);
  const windowMs = stats.lastRequestAt - stats.firstRequestAt;
  const limited = stats.byStatus['429'] ?? 0;
  const share = windowMs / idealMs;
  const limitedShare = limited / stats.requests;
  return {
    value: share * 100,
    display: `${pct(share)} of ideal, ${pct(limitedShare, 2)} 429s`,
    target: '≤ 105% of ideal, ≤ 1% 429s',
    pass: share <= 1.05 && limitedShare <= 0.01,
    notes: `${fmt(items)} items; first to last request ${secs(windowMs)} (ideal ${secs(idealMs)}); ${fmt(limited)} × 429 of ${fmt(stats.requests)} requests; wall ${secs(result.wallMs)} (CLI CPU ${cpu(result)})`,
    command,
  };
}

/**
 * (i) A one-item job, five times (the median is reported): from spawn to the request reaching the server,
 * and from the server's answer (0 ms latency: sent when the request arrives) to the process's exit.
 */
async function startupAndExit(ctx) {
  const runs = [];
  let command = '';
  for (let i = 0; i < 5; i += 1) {
    const run = await runAgainstServer(ctx, `i${i}`, 1, { latencyMs: 0 }, []);
    const exitAt = run.result.spawnedAt + run.result.wallMs;
    runs.push({ startMs: run.stats.firstRequestAt - run.result.spawnedAt, exitMs: exitAt - run.stats.lastRequestAt, cpu: run.result.cpuSeconds });
    command = run.command;
  }
  const median = (key) => [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)][key];
  const startMs = median('startMs');
  const exitMs = median('exitMs');
  const nodeMs = await bareNodeStartMs();
  return {
    value: startMs,
    display: `${fmt(startMs)} ms to first request, exit ${fmt(exitMs)} ms after the answer`,
    target: '≤ 250 ms, ≤ 50 ms',
    pass: startMs <= 250 && exitMs <= 50,
    notes: `median of 5; start ${runs.map((r) => fmt(r.startMs)).join('/')} ms, exit ${runs.map((r) => fmt(r.exitMs)).join('/')} ms; bare node (spawn to a fetch reaching the server) ${fmt(nodeMs)} ms at the same load`,
    command,
  };
}

/**
 * Row b's yardstick: `bare-client.js` (100 loops of undici request and JSON.parse, nothing else) against a
 * server like the row's, from spawn to exit: what is left to gain, and what no client gets on this machine.
 */
async function bareClient(items, latencyMs, concurrency) {
  const server = await startServerProcess({ latencyMs });
  try {
    const script = fileURLToPath(new URL('./bare-client.js', import.meta.url));
    const result = await checked(runProcess(process.execPath, [script, server.url, String(items), String(concurrency)]));
    const stats = await server.stats();
    return { wallMs: result.wallMs, windowMs: stats.lastRequestAt - stats.firstRequestAt + latencyMs };
  } finally {
    await server.close();
  }
}

/**
 * Row i's yardstick: spawn to first request of `node -e "fetch(…)"` against the same kind of server, the
 * least any Node CLI can do, measured at the same load (median of 5).
 */
async function bareNodeStartMs() {
  const server = await startServerProcess({ latencyMs: 0 });
  try {
    const times = [];
    for (let i = 0; i < 5; i += 1) {
      await server.reset();
      const script = `await fetch(${JSON.stringify(`${server.url}/v1/models`)}).catch(() => undefined)`;
      const result = await runProcess(process.execPath, ['--input-type=module', '-e', script]);
      const stats = await server.stats();
      times.push(stats.firstRequestAt - result.spawnedAt);
    }
    return times.sort((x, y) => x - y)[2];
  } finally {
    await server.close();
  }
}

/**
 * An output as a finished run over N items leaves it, made quickly: a real run with `--limit 1` writes
 * the state file (whose fingerprint covers the input's head, not its length), then the results file is
 * replaced by N generated lines. Shared by rows e and f.
 */
function resumeFixture(ctx) {
  ctx.resumeFixture ??= (async () => {
    const lines = sizes(ctx).e;
    const input = path.join(ctx.dir, 'resume-items.jsonl');
    const output = path.join(ctx.dir, 'resume-out.jsonl');
    writeLines(input, lines + 1, itemLine);
    const server = await startServerProcess({ latencyMs: 0 });
    ctx.cleanups.push(() => server.close());
    const { args, env } = cliArgs(input, output, server.url, ['--limit', '1']);
    await checked(runCli(args, { env }));
    writeLines(output, lines, resultLine);
    coverInState(output, lines);
    return { input, output, lines, server };
  })();
  return ctx.resumeFixture;
}

/**
 * Makes the fixture's state file say what a run that wrote those lines would: its figures and the byte
 * length they cover. Without it, `--resume` and `status` rightly treat every generated line as written after
 * the last checkpoint (a kill -9) and parse them all to recount the ledger, which no finished run asks.
 */
function coverInState(output, lines) {
  const stateFile = output.replace(/\.jsonl$/, '.state.json');
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const { usage, cost_usd: cost } = JSON.parse(resultLine(0));
  Object.assign(state.totals, { succeeded: lines, inputTokens: usage.input_tokens * lines, outputTokens: usage.output_tokens * lines, costUsd: cost * lines });
  state.covered = { ...state.covered, results: fs.statSync(output).size };
  fs.writeFileSync(stateFile, JSON.stringify(state));
}

/**
 * Generate `items` inputs, start a server with `serverOptions`, run the CLI once, read the server's stats
 * (and, with `poll`, sample them while the CLI runs).
 */
async function runAgainstServer(ctx, name, items, serverOptions, extraArgs, poll) {
  const input = path.join(ctx.dir, `${name}-items.jsonl`);
  const output = path.join(ctx.dir, `${name}-out.jsonl`);
  writeLines(input, items, itemLine);
  const server = await startServerProcess(serverOptions);
  try {
    const { args, env } = cliArgs(input, output, server.url, extraArgs);
    const timer = poll ? setInterval(() => server.stats().then(poll.sample, () => undefined), poll.everyMs) : undefined;
    const result = await checked(runCli(args, { env, nodeArgs: ctx.nodeArgs })).finally(() => clearInterval(timer));
    const stats = await server.stats();
    const written = countLines(output);
    if (written !== items) throw new Error(`expected ${items} results, found ${written}`);
    return { result, stats, command: `${commandLine(args, redactEnv(env))}   [server: ${describeServer(serverOptions)}]` };
  } finally {
    await server.close();
    fs.rmSync(input, { force: true });
  }
}

export function cliArgs(input, output, serverUrl, extraArgs) {
  const template = path.join(path.dirname(input), 'classify.txt');
  if (!fs.existsSync(template)) fs.writeFileSync(template, TEMPLATE);
  return {
    args: ['run', input, '-t', template, '-m', MODEL, '-o', output, '--no-cache', '--quiet', ...extraArgs],
    env: { OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: `${serverUrl}/v1` },
  };
}

async function checked(promise) {
  const result = await promise;
  if (result.code !== 0) throw new Error(`CLI exited with ${result.code}:\n${result.stderr}`);
  return result;
}

function redactEnv(env) {
  return { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:$PORT/v1' };
}

function countLines(file) {
  const buffer = fs.readFileSync(file);
  let count = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) count += 1;
  return count;
}

function sizes(ctx) {
  return ctx.quick ? SIZES.quick : SIZES.full;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const cpu = (result) => `${result.cpuSeconds.toFixed(1)} s`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const pct = (share, digits = 1) => `${(share * 100).toFixed(digits)}%`;
const mb = (file) => fmt(fs.statSync(file).size / 1e6);
