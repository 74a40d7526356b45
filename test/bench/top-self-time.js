/**
 * Top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`), with file:line, so a
 * benchmark row that misses its target points at code rather than at a guess.
 *
 *   node test/bench/top-self-time.js FILE.cpuprofile [N] [--by-file]
 *
 * `--by-file` adds up self time per script (a package's files count as the package), to see which
 * layer (HTTP client, scheduler, journal, …) the time goes to before looking at single functions.
 */
import fs from 'node:fs';

const args = process.argv.slice(2);
const byFile = args.includes('--by-file');
const [file, limitArg] = args.filter((a) => a !== '--by-file');
if (!file) {
  process.stderr.write('usage: top-self-time.js FILE.cpuprofile [N] [--by-file]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const limit = Number(limitArg ?? 25);

// Sample counts per node id; a node's self time is its samples × the mean interval.
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const totalMs = (profile.endTime - profile.startTime) / 1000;
const msPerSample = totalMs / profile.samples.length;

const byFunction = new Map();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${lineNumber + 1}` : '';
  const key = byFile ? scriptOf(url, functionName) : `${functionName || '(anonymous)'} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (hits.get(node.id) ?? 0) * msPerSample);
}
const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, limit);
process.stdout.write(`${file}: ${(totalMs / 1000).toFixed(2)} s profiled\n`);
for (const [key, ms] of top) {
  process.stdout.write(`${ms.toFixed(0).padStart(7)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${key}\n`);
}

/** The script a frame belongs to; files inside node_modules collapse into their package. */
function scriptOf(url, functionName) {
  if (!url) return functionName || '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return `package ${packageMatch[1]}`;
  return url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
}
