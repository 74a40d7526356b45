/** Parent side of the benchmark's mock server: start the child, read its stats, stop it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./mock-server-child.js', import.meta.url));

/** Start a mock server process with `options` (as for `startMockServer`); resolves once it listens. */
export async function startServerProcess(options) {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock server exited early (code ${code})`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(JSON.parse(text.slice(0, newline)).url);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid,
    /** `MockStats` (see src/mock/stats.ts), fetched over the admin route. */
    stats: async () => (await fetch(`${url}/__mock/stats`)).json(),
    /** Zero the counters (and the rate-limit buckets) between runs on the same server. */
    reset: async () => {
      await (await fetch(`${url}/__mock/reset`, { method: 'POST' })).json();
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Server options as one readable string for a report: `latencyMs=20 faultMix=429:0.05,500:0.05 …`. */
export function describeServer(options) {
  return Object.entries(options)
    .map(([key, value]) =>
      typeof value === 'object' ? `${key}=${Object.entries(value).map(([k, v]) => `${k}:${v}`).join(',')}` : `${key}=${value}`,
    )
    .join(' ');
}
