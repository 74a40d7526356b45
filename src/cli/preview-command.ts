import { homedir } from 'node:os';
import { EXIT, type ExitCode } from '../errors.js';
import { previewRequests } from '../run/preview-requests.js';
import { formatPreview } from '../ui/format-preview.js';
import { resolveRunConfig } from './resolve-run-config.js';
import type { RunFlags } from './run-options.js';

export interface PreviewFlags extends RunFlags {
  show: number;
}

/** `llm-batch preview`: the exact requests of the first items on stdout. Sends nothing, needs no key. */
export async function previewCommand(input: string, flags: PreviewFlags): Promise<ExitCode> {
  const { config, template } = await resolveRunConfig(input, flags, {
    env: process.env,
    homedir: homedir(),
    args: process.argv.slice(2),
    requireKey: false,
  });
  const requests = await previewRequests(config, template, flags.show);
  process.stdout.write(formatPreview(requests, { mode: config.mode, pack: config.pack }));
  return EXIT.ok;
}
