/**
 * Runs the CLI as its own process and measures what the rows report: wall clock from spawn to exit, CPU
 * time, and peak RSS. Peak RSS is the kernel's high-water mark (VmHWM), sampled every 100 ms: it only
 * grows, so the last sample misses at most the final 100 ms of a process whose memory is flat by then.
 * CPU time is what the kernel charged to our waited-for children meanwhile (the mock server is still
 * running, so it is not among them): on a shared machine it tells slow code from a starved process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/llm-batch.js', import.meta.url));
const SAMPLE_MS = 100;
/** USER_HZ: 100 on every Linux we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * `node bin/llm-batch.js ...args` with `env` added. Resolves with exit code, wall ms, spawn time
 * (epoch ms, to compare with the server's request times), peak RSS in MB, and the captured stderr tail.
 */
export function runCli(args, { env = {}, nodeArgs = [] } = {}) {
  return runProcess(process.execPath, [...nodeArgs, CLI, ...args], { env });
}

/**
 * Any program measured the same way (the comparison bench runs other tools with it): `file ...argv`
 * with `env` added, in `cwd`. Resolves like `runCli`.
 */
export function runProcess(file, argv, { env = {}, cwd } = {}) {
  const cpuBefore = childrenCpuSeconds();
  const spawnedAt = Date.now();
  const start = performance.now();
  const child = spawn(file, argv, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let peakKb = 0;
  const sample = () => {
    const kb = readHighWaterKb(child.pid);
    if (kb > peakKb) peakKb = kb;
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      const wallMs = performance.now() - start;
      // 'exit' comes after the child was reaped, so its CPU time is already in ours.
      const cpuSeconds = childrenCpuSeconds() - cpuBefore;
      resolve({ code: code ?? signal, wallMs, cpuSeconds, spawnedAt, peakRssMb: peakKb / 1024, stderr });
    });
  });
}

/** VmHWM of a live process in kB; 0 once it is gone (or where /proc does not exist). */
function readHighWaterKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** cutime + cstime of this process (fields 16 and 17 of /proc/self/stat), in seconds; 0 without /proc. */
function childrenCpuSeconds() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The command a reader can paste to repeat a row (temp paths shown as they were). */
export function commandLine(args, env = {}) {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [...vars, 'node bin/llm-batch.js', ...args].join(' ');
}
