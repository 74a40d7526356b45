import { describe, expect, it } from 'vitest';
import { PauseEvidence, type RefusalReport } from '../../src/scheduler/pause-evidence.js';

/** One step of a scenario: answers (successes) at a time, or a refusal. */
type Step = { at: number; answers: number } | { at: number; refusal: Partial<RefusalReport> };

function verdicts(steps: Step[]): string[] {
  const evidence = new PauseEvidence();
  const out: string[] = [];
  for (const step of steps) {
    if ('answers' in step) {
      for (let i = 0; i < step.answers; i += 1) evidence.onAnswer(step.at);
      continue;
    }
    const verdict = evidence.onRefusal(step.at, { status: 429, exhausted: false, ...step.refusal });
    out.push(verdict.action === 'pause' ? `pause${verdict.cut ? '+cut' : ''}${verdict.pauseMs === undefined ? '' : ` ${verdict.pauseMs}`}` : 'item');
  }
  return out;
}

describe('PauseEvidence', () => {
  it.each<[string, Step[], string[]]>([
    ['an isolated 429 delays only its item', [{ at: 1000, answers: 50 }, { at: 1000, refusal: { requestId: 'a' } }], ['item']],
    ['a 429 whose headers show the limit used up pauses and cuts', [{ at: 0, refusal: { requestId: 'a', exhausted: true } }], ['pause+cut']],
    [
      'three requests refused close together, most answers refused: the limit',
      [
        { at: 0, answers: 2 },
        { at: 100, refusal: { requestId: 'a' } },
        { at: 200, refusal: { requestId: 'b' } },
        { at: 300, refusal: { requestId: 'c' } },
      ],
      ['item', 'item', 'pause+cut'],
    ],
    [
      'one item refused three times is one request, not evidence',
      [
        { at: 0, refusal: { requestId: 'a' } },
        { at: 500, refusal: { requestId: 'a' } },
        { at: 1000, refusal: { requestId: 'a' } },
      ],
      ['item', 'item', 'item'],
    ],
    [
      'a steady 5% of 429s among many answers is chance (the fault mix of row g)',
      [
        { at: 0, answers: 100 },
        ...Array.from({ length: 5 }, (_, i): Step => ({ at: 100 + i * 100, refusal: { requestId: `r${i}` } })),
        { at: 700, answers: 100 },
        ...Array.from({ length: 5 }, (_, i): Step => ({ at: 800 + i * 100, refusal: { requestId: `s${i}` } })),
      ],
      Array.from({ length: 10 }, () => 'item'),
    ],
    [
      'refusals spread beyond the window do not add up',
      [
        { at: 0, refusal: { requestId: 'a' } },
        { at: 2500, refusal: { requestId: 'b' } },
        { at: 5000, refusal: { requestId: 'c' } },
      ],
      ['item', 'item', 'item'],
    ],
    ['a 529 pauses briefly without a cut (its Retry-After, capped)', [{ at: 0, refusal: { status: 529, retryAfterMs: 30_000 } }], ['pause 2000']],
    ['a 529 without advice pauses a second', [{ at: 0, refusal: { status: 529 } }], ['pause 1000']],
    ['a 529 advising less is honoured', [{ at: 0, refusal: { status: 529, retryAfterMs: 200 } }], ['pause 200']],
  ])('%s', (_name, steps, expected) => {
    expect(verdicts(steps)).toEqual(expected);
  });
});
