/** Types for format-compare-table.js (plain JS so the bench runs without a build), used by its unit test. */
import type { Outcomes } from './outcomes.js';

export interface CompareRun {
  tool: string;
  /** Why the tool did not run (not installed, not configured). */
  skipped?: string;
  error?: string;
  wallMs?: number;
  /** Spawn to the first request the server saw; null when it saw none. */
  firstRequestMs?: number | null;
  /** The scenario's ideal wall clock, where it has one. */
  idealMs?: number | null;
  outcomes?: Outcomes;
  requests?: number;
  maxInFlight?: number;
  peakRssMb?: number;
  cpuSeconds?: number;
  loadBefore?: number;
  command?: string;
  note?: string;
}

export interface CompareReport {
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  loadBefore: number[];
  loadAfter: number[];
  scenarios: { id: string; title: string; items: number; server: string; runs: CompareRun[] }[];
}

export function formatCompareTable(report: CompareReport): string;
