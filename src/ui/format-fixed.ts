/**
 * Numbers written the en-US way (`1,234.50`) without `Intl.NumberFormat`: its first use loads ICU's number
 * data, about 20 ms of start-up (issue 13) for output that never changes with the locale anyway.
 */

/**
 * `value` with exactly `fractionDigits` decimals and thousands separators, rounded half away from zero on
 * the number's shortest decimal form (`1.005` → `1.01`, as `Intl.NumberFormat` does; `toFixed` gives
 * `1.00`). A result that rounds to zero carries no minus sign.
 */
export function formatFixed(value: number, fractionDigits: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const shortest = String(magnitude);
  // Exponent forms (below 1e-6, from 1e21) are either far below the last digit shown or beyond grouping.
  if (shortest.includes('e')) return magnitude < 1 ? formatFixed(0, fractionDigits) : String(value);
  const scaled = Math.round(Number(`${shortest}e${fractionDigits}`));
  if (scaled === 0) return fractionDigits > 0 ? `0.${'0'.repeat(fractionDigits)}` : '0';
  const digits = String(scaled).padStart(fractionDigits + 1, '0');
  const whole = digits.slice(0, digits.length - fractionDigits).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = fractionDigits > 0 ? `.${digits.slice(digits.length - fractionDigits)}` : '';
  return `${value < 0 ? '-' : ''}${whole}${fraction}`;
}
