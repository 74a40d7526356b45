import { EXIT, type ExitCode } from '../errors.js';
import { listKnownModels } from '../cost/known-models.js';
import { formatModelTable } from '../ui/format-models.js';

/** `llm-batch models`: the models we know prices for, from the shipped tables. */
export async function modelsCommand(flags: { json?: boolean }): Promise<ExitCode> {
  const models = listKnownModels();
  process.stdout.write(flags.json ? JSON.stringify(models, null, 2) + '\n' : formatModelTable(models));
  return EXIT.ok;
}
