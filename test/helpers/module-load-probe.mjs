// Preloaded with `node --import` (via NODE_OPTIONS) by tests that check which packages a command loads:
// registers module-load-hooks.mjs, which appends every loaded module's URL to $MODULE_LOAD_PROBE_OUT.
import { register } from 'node:module';

register('./module-load-hooks.mjs', import.meta.url);
