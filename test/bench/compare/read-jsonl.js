/** Each tool's result file, read whole: the parsed lines, or none when the tool wrote no file. */
import fs from 'node:fs';

export function readJsonl(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
