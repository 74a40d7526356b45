import fs from 'node:fs/promises';

/** What {@link repairTornTail} did. */
export interface TailRepair {
  /** The file was changed. */
  repaired: boolean;
  /** Bytes of a torn last line that were cut off. */
  droppedBytes: number;
}

/** Lines are found by reading backwards in steps of this size; a longer last line takes several. */
const BACKWARD_STEP = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Makes a journal safe to append to after a crash (SPEC §6): a torn last line is cut off, so the next
 * record starts on a line of its own. A last line that is a complete record and only lacks its `\n` is
 * kept and terminated instead: a JSON object cut short never parses, so it cannot be a tear, and
 * dropping it would pay for that item twice. Call before opening the writer on resume.
 */
export async function repairTornTail(filePath: string): Promise<TailRepair> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { repaired: false, droppedBytes: 0 };
    throw error;
  }
  try {
    return await repairOpen(handle);
  } finally {
    await handle.close();
  }
}

async function repairOpen(handle: fs.FileHandle): Promise<TailRepair> {
  const { size } = await handle.stat();
  if (size === 0) return { repaired: false, droppedBytes: 0 };
  const terminated = (await readRange(handle, size - 1, size))[0] === NEWLINE;
  const lastLineEnd = terminated ? await skipBlankLinesBackward(handle, size) : size;
  if (lastLineEnd === 0) return { repaired: false, droppedBytes: 0 };
  const lastLineStart = await findLineStart(handle, lastLineEnd);
  const text = (await readRange(handle, lastLineStart, lastLineEnd)).toString('utf8');
  if (isCompleteRecord(text)) {
    if (terminated) return { repaired: false, droppedBytes: 0 };
    await handle.write('\n', size);
    await handle.sync();
    return { repaired: true, droppedBytes: 0 };
  }
  await handle.truncate(lastLineStart);
  await handle.sync();
  return { repaired: true, droppedBytes: size - lastLineStart };
}

function isCompleteRecord(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}

/** The end of the last line that is not blank, given a file ending in `\n` at `size - 1`. */
async function skipBlankLinesBackward(handle: fs.FileHandle, size: number): Promise<number> {
  let end = size - 1;
  for (;;) {
    const start = await findLineStart(handle, end);
    const blank = (await readRange(handle, start, end)).toString('utf8').trim() === '';
    if (!blank) return end;
    if (start === 0) return 0;
    end = start - 1;
  }
}

/** Offset just after the last `\n` before `end`, or 0. */
async function findLineStart(handle: fs.FileHandle, end: number): Promise<number> {
  let cursor = end;
  while (cursor > 0) {
    const from = Math.max(0, cursor - BACKWARD_STEP);
    const chunk = await readRange(handle, from, cursor);
    const newline = chunk.lastIndexOf(NEWLINE);
    if (newline !== -1) return from + newline + 1;
    cursor = from;
  }
  return 0;
}

async function readRange(handle: fs.FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - start);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
  return buffer.subarray(0, bytesRead);
}
