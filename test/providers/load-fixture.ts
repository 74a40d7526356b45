import { readFileSync } from 'node:fs';

/** A JSON fixture from `fixtures/` (raw provider bodies and expected request bodies). */
export function loadFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture's raw text, for bodies served as-is by a mock server. */
export function loadFixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
}
