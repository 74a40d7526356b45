import { describe, expect, it } from 'vitest';
import { AbortFanout } from '../../src/http/abort-fanout.js';

describe('AbortFanout', () => {
  it('aborts every subscriber still riding on the signal, through one listener', () => {
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    const fanout = new AbortFanout();
    const aborted: string[] = [];
    fanout.subscribe(signal, () => aborted.push('a'));
    const leaveB = fanout.subscribe(signal, () => aborted.push('b'));
    fanout.subscribe(signal, () => aborted.push('c'));
    leaveB();
    controller.abort();
    expect(aborted).toEqual(['a', 'c']);
    expect(listeners).toBe(1);
  });

  it('keeps signals apart', () => {
    const first = new AbortController();
    const second = new AbortController();
    const fanout = new AbortFanout();
    const aborted: string[] = [];
    fanout.subscribe(first.signal, () => aborted.push('first'));
    fanout.subscribe(second.signal, () => aborted.push('second'));
    second.abort();
    expect(aborted).toEqual(['second']);
  });
});
