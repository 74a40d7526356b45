/**
 * What a tool did with each item, judged against the answers the mock server gives (deterministic per
 * prompt): answered (the expected answer), wrong (a recorded answer that differs, e.g. a garbage body
 * taken for an answer), failed (the tool recorded an error for it), lost (no record at all).
 */

/**
 * `expected`: Map of item id → expected answer text. `records`: what the tool wrote, each
 * `{ id, output }` or `{ id, error }`. An item with several records counts once, by its best record
 * (answered, then wrong, then failed); the extra records are `duplicates`. Records for ids that were
 * never asked are `unknown`.
 */
export function countOutcomes(expected, records) {
  const best = new Map();
  let duplicates = 0;
  let unknown = 0;
  for (const record of records) {
    if (!expected.has(record.id)) {
      unknown += 1;
      continue;
    }
    const outcome = judge(record, expected.get(record.id));
    const previous = best.get(record.id);
    if (previous !== undefined) duplicates += 1;
    if (previous === undefined || RANK[outcome] < RANK[previous]) best.set(record.id, outcome);
  }
  const counts = { answered: 0, wrong: 0, failed: 0, lost: expected.size - best.size, duplicates, unknown };
  for (const outcome of best.values()) counts[outcome] += 1;
  return counts;
}

const RANK = { answered: 0, wrong: 1, failed: 2 };

function judge(record, answer) {
  if (typeof record.output !== 'string') return 'failed';
  return record.output.trim() === answer.trim() ? 'answered' : 'wrong';
}
