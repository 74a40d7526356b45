import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/cli.js';

/** Copies a `fixtures/report-*` directory into `dir` (tests that edit or move files work on the copy). */
export function copyReportFixture(name: string, dir: string): string {
  const target = path.join(dir, name);
  fs.cpSync(path.join(FIXTURES, name), target, { recursive: true });
  return target;
}

/** A fixture file's path. */
export function reportFixture(name: string, file: string): string {
  return path.join(FIXTURES, name, file);
}
