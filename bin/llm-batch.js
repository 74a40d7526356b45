#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our `--env-file` flag as its own (it scans arguments after the script).
import '../dist/cli/main.js';
