import fs from 'node:fs/promises';

/**
 * A run of lines from one read. `buffer` is reused by the next read: copy out what you keep.
 * Line i spans `buffer[starts[i], ends[i])` without its `\n`.
 */
export interface LineBlock {
  buffer: Buffer;
  starts: number[];
  ends: number[];
  /** 1-based line number of the block's first line. */
  firstLine: number;
  /** The file's last line had no `\n` and is the block's last line. Only the final block can say so. */
  lastUnterminated: boolean;
}

/** Large reads keep the syscall count low on million-line files; lines longer than this grow the buffer. */
const READ_SIZE = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a file as blocks of lines without decoding it, so callers can skip what they do not need. `startAt`
 * is a byte offset at a line start (where a checkpoint left off); line numbers then count from there.
 */
export async function* readLineBlocks(filePath: string, startAt = 0): AsyncGenerator<LineBlock> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    let buffer: Buffer = Buffer.allocUnsafe(READ_SIZE);
    let filled = 0;
    let nextLine = 1;
    let position = startAt;
    for (;;) {
      if (filled === buffer.length) buffer = grow(buffer, filled);
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
      position += bytesRead;
      const end = filled + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) {
          yield { buffer, starts: [0], ends: [filled], firstLine: nextLine, lastUnterminated: true };
        }
        return;
      }
      const block = splitLines(buffer, filled, end, nextLine);
      nextLine += block.starts.length;
      const consumed = block.starts.length === 0 ? 0 : block.ends[block.ends.length - 1] + 1;
      if (block.starts.length > 0) yield block;
      // Keep the unfinished line at the front of the buffer for the next read.
      buffer.copyWithin(0, consumed, end);
      filled = end - consumed;
    }
  } finally {
    await handle.close();
  }
}

function splitLines(buffer: Buffer, searchFrom: number, end: number, firstLine: number): LineBlock {
  const view = buffer.subarray(0, end);
  const starts: number[] = [];
  const ends: number[] = [];
  let lineStart = 0;
  let newline = view.indexOf(NEWLINE, searchFrom);
  while (newline !== -1) {
    starts.push(lineStart);
    ends.push(newline);
    lineStart = newline + 1;
    newline = view.indexOf(NEWLINE, lineStart);
  }
  return { buffer, starts, ends, firstLine, lastUnterminated: false };
}

function grow(buffer: Buffer, filled: number): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger, 0, 0, filled);
  return larger;
}
