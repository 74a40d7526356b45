import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-m', 'gpt-4o-mini', '--no-cache'];

const e2e = useMockServer();

/** Rows this long put row 80 past the 64 KiB head the input fingerprint hashes, as in a real large file. */
const PADDING = ' lorem ipsum'.repeat(80);

/** A reviews CSV whose id column is `review_id`, not `id`: ids fall back to row numbers. */
function writeReviews(path: string, texts: string[]): void {
  const rows = texts.map((text, i) => `r-${1000 + i},"${text}"`);
  writeFileSync(path, ['review_id,text', ...rows].join('\n') + '\n');
}

describe('resume checks content, not only ids (SPEC §7)', () => {
  it('redoes an item whose text was edited, says how many, and the latest answer matches the new text', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const out = join(dir, 'out.jsonl');
    const items = writeItems(input, 100, () => PADDING);
    const first = await runCli(['run', input, '-t', TEMPLATE, '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(first.code).toBe(0);
    expect(readResults(out)[0].request_hash).toMatch(/^[0-9a-f]{16}$/);

    items[79].description += ' (edited)';
    writeFileSync(input, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
    e2e.server.resetStats();
    const resumed = await runCli(['run', input, '-t', TEMPLATE, '-o', out, '--resume', ...common], { env: openaiEnv(e2e.server) });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('1 items changed since their answers were recorded (first on line 80): redoing them');
    expect(e2e.server.stats().requests).toBe(1);
    const records = readResults(out).filter((record) => record.id === 'item-80');
    expect(records).toHaveLength(2);
    expect(records[1].request_hash).not.toBe(records[0].request_hash);

    // Idempotent once redone: nothing left to do.
    e2e.server.resetStats();
    const again = await runCli(['run', input, '-t', TEMPLATE, '-o', out, '--resume', ...common], { env: openaiEnv(e2e.server) });
    expect(again.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(0);
    expect(again.stderr).not.toContain('changed since');
  });

  it('row-number ids: says so at start naming review_id, and refuses a resume after a row was inserted', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'reviews.csv');
    const out = join(dir, 'out.jsonl');
    const texts = Array.from({ length: 100 }, (_, i) => `review text number ${i + 1}${PADDING}`);
    writeReviews(input, texts);
    const args = ['run', input, '-p', 'Sentiment of: {{text}}', '-o', out, ...common];
    const first = await runCli([...args, '--limit', '90'], { env: openaiEnv(e2e.server) });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('ids are row numbers; "review_id" looks like an id column: add --id-field review_id');

    writeReviews(input, [...texts.slice(0, 79), 'an inserted review', ...texts.slice(79)]);
    e2e.server.resetStats();
    const resumed = await runCli([...args, '--resume'], { env: openaiEnv(e2e.server) });
    expect(resumed.code).toBe(2);
    // Rows 80–90 moved down one: each now holds the text its predecessor's answer was asked for.
    expect(resumed.stderr).toContain('11 rows of');
    expect(resumed.stderr).toContain('(first on line 81)');
    expect(resumed.stderr).toContain('rows were likely inserted or removed');
    expect(resumed.stderr).toContain('--id-field review_id');
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(e2e.server.stats().requests).toBe(0);

    // Rows appended at the end are what resume is for: accepted, and the stored answers stay on their rows.
    writeReviews(input, [...texts, 'an appended review']);
    const grown = await runCli([...args, '--resume'], { env: openaiEnv(e2e.server) });
    expect(grown.code).toBe(0);
    expect(new Set(readResults(out).map((record) => record.id)).size).toBe(101);
  });
});
