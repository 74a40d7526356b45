/** Types for outcomes.js (plain JS so the bench runs without a build), used by its unit test. */
export interface ToolRecord {
  id: string;
  output?: string;
  error?: unknown;
}

export interface Outcomes {
  answered: number;
  wrong: number;
  failed: number;
  lost: number;
  duplicates: number;
  unknown: number;
}

export function countOutcomes(expected: ReadonlyMap<string, string>, records: Iterable<ToolRecord>): Outcomes;
