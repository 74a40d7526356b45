/**
 * Which fault, if any, a request gets. Deterministic sources first (markers in the prompt, `[[flaky:N]]`,
 * `failFirstAttempts`), then the seeded random `failRate`, so a test can script exact sequences and a
 * soak run can replay the same chaos with the same `seed`.
 */
import { SeededDraws } from './seeded-draws.js';
import { FAULT_KINDS, type FaultKind, type MockBehaviour } from './options.js';

/** A fault to inject: a random kind, or the client errors only markers ask for. */
export type InjectedFault = FaultKind | '400' | '401';

const MARKER = /\[\[(fault|flaky):([a-z0-9]+)\]\]/i;
const MARKER_FAULTS = new Set<string>([...FAULT_KINDS, '400', '401']);
/** What a flaky attempt fails with: alternating, so both the 5xx and the 429 paths get exercised. */
const FLAKY_SEQUENCE = ['500', '429'] as const;

/** Attempts are counted per exact request (path + body hash), and only while flaky behaviour is in play. */
export class FaultPlanner extends SeededDraws {
  /**
   * The fault for one request. `prompt` is the last user message text; `requestKey` identifies the
   * exact request and is only computed when attempts must be counted.
   */
  plan(behaviour: MockBehaviour, prompt: string, requestKey: () => string): InjectedFault | undefined {
    let failFirst = behaviour.failFirstAttempts;
    // `includes` first: the regex is skipped for the vast majority of prompts that carry no marker.
    const marker = prompt.includes('[[') ? MARKER.exec(prompt) : null;
    if (marker) {
      const [, type, arg] = marker;
      if (type.toLowerCase() === 'fault' && MARKER_FAULTS.has(arg.toLowerCase())) return arg.toLowerCase() as InjectedFault;
      if (type.toLowerCase() === 'flaky' && /^\d+$/.test(arg)) failFirst = Number(arg);
    }
    if (failFirst > 0) {
      const attempt = this.nextAttempt(requestKey());
      if (attempt <= failFirst) return FLAKY_SEQUENCE[(attempt - 1) % FLAKY_SEQUENCE.length];
    }
    if (behaviour.failRate > 0 && this.random() < behaviour.failRate) return this.pickKind(behaviour.faultMix);
    return undefined;
  }

  private pickKind(mix: Partial<Record<FaultKind, number>>): FaultKind {
    let total = 0;
    for (const kind of FAULT_KINDS) total += mix[kind] ?? 0;
    let roll = this.random() * total;
    for (const kind of FAULT_KINDS) {
      roll -= mix[kind] ?? 0;
      if (roll < 0) return kind;
    }
    // Floating-point leftovers: fall back to the last kind with weight.
    return [...FAULT_KINDS].reverse().find((k) => (mix[k] ?? 0) > 0) ?? '500';
  }
}
