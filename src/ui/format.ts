/**
 * Number and duration formatters shared by every reporter (money is `formatUsd` in cost/money.ts). Locale is
 * pinned to en-US so output is the same on every machine (cron logs get diffed and grepped).
 */
import { stripVTControlCharacters } from 'node:util';
import { formatFixed } from './format-fixed.js';

const INTEGER = { format: (value: number) => formatFixed(value, 0) };
const ONE_DECIMAL = { format: (value: number) => formatFixed(value, 1) };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** `1234` → `1,234`. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? INTEGER.format(value) : '?';
}

/** `0.2468` → `24.7%`. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${ONE_DECIMAL.format(fraction * 100)}%` : '?%';
}

/** Items per second: one decimal while small, whole numbers once the decimal is noise. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return '?';
  return perSecond >= 100 ? INTEGER.format(perSecond) : ONE_DECIMAL.format(perSecond);
}

/** `1200` → `1.2s`, `12000` → `12s`, `245000` → `4m05s`, `7500000` → `2h05m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10 * SECOND) return `${ONE_DECIMAL.format(ms / SECOND)}s`;
  if (ms < MINUTE) return `${Math.round(ms / SECOND)}s`;
  if (ms < HOUR) {
    const seconds = Math.round(ms / SECOND);
    return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  }
  const minutes = Math.round(ms / MINUTE);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** Elapsed time as a log timestamp: `80000` → `00:01:20`. */
export function formatClock(ms: number): string {
  const seconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / SECOND) : 0;
  const hours = Math.floor(seconds / 3600);
  return `${pad2(hours)}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

/**
 * Makes text from outside (API error messages, ids, paths) safe for a one-line display: terminal escape
 * sequences and line breaks in an error body would otherwise break the plain-log guarantee (no ANSI, no
 * carriage returns) and the TTY layout.
 */
export function sanitizeText(text: string): string {
  return stripVTControlCharacters(text).replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
