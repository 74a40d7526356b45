// Preloaded with `node --import` (via NODE_OPTIONS) by tests that check which packages a command loads.
// It appends every loaded module to $MODULE_LOAD_PROBE_OUT, one per line: ES modules through the loader
// hooks of module-load-hooks.mjs, CommonJS files (`require`, `createRequire`, which the ES module hooks
// never see) by wrapping Module._load.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

register('./module-load-hooks.mjs', import.meta.url);

const out = process.env.MODULE_LOAD_PROBE_OUT;
const load = Module._load;
Module._load = function recordedLoad(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  if (out && !request.startsWith('node:')) {
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // A built-in without the `node:` prefix: not a package.
    }
  }
  return loaded;
};
