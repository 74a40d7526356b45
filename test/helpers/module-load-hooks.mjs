// Module hooks (they run on the loader thread): record each module URL as it loads, one per line.
import { appendFileSync } from 'node:fs';

const out = process.env.MODULE_LOAD_PROBE_OUT;

export async function load(url, context, nextLoad) {
  if (out) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
