import { describe, expect, it } from 'vitest';
import { fitDetail } from '../../src/ui/phase-spinner.js';

describe('fitDetail', () => {
  const text = 'waiting for 1 batch (Ctrl-C leaves it running)';
  const detail = '10/100 · waited 2m10s · next poll in 7.5s';

  it('keeps every part when the line fits', () => {
    expect(fitDetail(text, detail, 200)).toBe(detail);
  });

  it('drops whole parts from the end on a narrow terminal instead of wrapping', () => {
    expect(fitDetail(text, detail, 80)).toBe('10/100 · waited 2m10s');
    expect(fitDetail(text, detail, 57)).toBe('10/100');
    expect(fitDetail(text, detail, 50)).toBe('');
  });
});
