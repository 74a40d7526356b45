#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our `--env-file` flag as its own (it scans arguments after the script).
// The CLI is bundled (`scripts/bundle-cli.js`) because loading hundreds of modules one by one is most of start-up.
import '../dist/cli-bundle/main.js';
