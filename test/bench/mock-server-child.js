/**
 * The benchmark's mock server, run in its own process: on a 2-core machine an in-process server would
 * share the CLI's event loop and the benchmark would measure both. Options arrive as one JSON argument;
 * the URL goes to stdout as one JSON line; SIGTERM closes the server. Stats are read over HTTP
 * (`GET /__mock/stats`), so the parent never touches this process's memory.
 */
import { startMockServer } from '../../dist/mock/server.js';

const options = JSON.parse(process.argv[2] ?? '{}');
// Per-prompt counters would grow by one entry per item: a million-item row must not measure them.
const server = await startMockServer({ trackPrompts: false, ...options });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
