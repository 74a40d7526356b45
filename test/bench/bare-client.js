/**
 * Row b's yardstick: the least any Node client can do on the same server. `concurrency` loops, each posting
 * a chat request with undici and reading the answer, until `items` are done; no input, no output file, no
 * retries. Run as its own process, from spawn to exit, like the CLI.
 *
 *   node test/bench/bare-client.js URL ITEMS CONCURRENCY
 */
import { Agent } from 'undici';

const [base, itemsArg, concurrencyArg] = process.argv.slice(2);
const items = Number(itemsArg);
const concurrency = Number(concurrencyArg);
const url = new URL(`${base}/v1/chat/completions`);
const agent = new Agent({ connections: concurrency });
let next = 0;

async function loop() {
  while (next < items) {
    const i = next;
    next += 1;
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Classify item ${i}` }] });
    const response = await agent.request({
      origin: url.origin,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body,
    });
    JSON.parse(await response.body.text());
  }
}

await Promise.all(Array.from({ length: concurrency }, loop));
await agent.close();
