import { EXIT, type ExitCode } from '../errors.js';
import { mockServerOptionsFromCli, type MockServerCliInput } from '../mock/cli-options.js';
import { startMockServer } from '../mock/server.js';

/** `llm-batch mock-server`: serve until SIGINT/SIGTERM, then close cleanly. */
export async function mockServerCommand(flags: MockServerCliInput): Promise<ExitCode> {
  const server = await startMockServer(mockServerOptionsFromCli(flags));
  process.stderr.write(
    [
      `llm-batch mock server listening on ${server.url}`,
      `  OpenAI-compatible:    --base-url ${server.url}/v1      (or OPENAI_BASE_URL)`,
      `  Anthropic-compatible: --base-url ${server.url}         (or ANTHROPIC_BASE_URL)`,
      `  stats: GET ${server.url}/__mock/stats · Ctrl-C to stop`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.ok;
}
