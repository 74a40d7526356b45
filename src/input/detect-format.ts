import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import type { InputFormat } from './types.js';

const FORMAT_BY_EXTENSION: Record<string, InputFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
};
const FORMATS: readonly InputFormat[] = ['jsonl', 'csv', 'tsv', 'json'];

/** Path that means "read standard input". */
export const STDIN_PATH = '-';

/**
 * The input format: `--format` when given, else the file's extension. Stdin has no extension and is read
 * as JSONL unless `--format` says otherwise.
 */
export function detectFormat(path: string, override?: string): InputFormat {
  if (override !== undefined) {
    const format = override.toLowerCase();
    if (!FORMATS.includes(format as InputFormat)) {
      throw new UsageError(`Expected \`--format\` to be one of ${FORMATS.join(', ')}, got \`${override}\``);
    }
    return format as InputFormat;
  }
  if (path === STDIN_PATH) return 'jsonl';
  const extension = extname(path).toLowerCase();
  const format = FORMAT_BY_EXTENSION[extension];
  if (format === undefined) {
    const known = Object.keys(FORMAT_BY_EXTENSION).join(', ');
    const what = extension === '' ? 'has no extension' : `has an unknown extension "${extension}"`;
    throw new UsageError(`${path} ${what} (expected ${known}); pass --format jsonl|csv|tsv|json to say how to read it`);
  }
  return format;
}
