import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { ContentPart } from './types.js';

const MEDIA_TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** `scheme://…`: sent to the provider as a URL for it to fetch. */
const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;
/** The head of a base64 `data:` URL; the payload after it is not scanned by a regex (it can be megabytes). */
const DATA_URL_HEAD = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/i;

/** An item's image could not be used (missing file, unknown type): a per-item template problem. */
export class ImageFileError extends Error {
  override readonly name = 'ImageFileError';
  constructor(
    message: string,
    /** The image reference as the item gave it. */
    readonly ref: string,
  ) {
    super(message);
  }
}

/**
 * An image content part from a reference: an `http(s)://` (or other scheme) URL, a base64 `data:` URL, or a
 * local png/jpg/gif/webp file (relative to `baseDir`) read and sent as base64.
 */
export async function loadImagePart(ref: string, baseDir: string): Promise<ContentPart> {
  if (ref.trim() === '') throw new ImageFileError('empty image reference', ref);
  if (ref.startsWith('data:')) return parseDataUrl(ref);
  if (URL_PATTERN.test(ref)) return { type: 'image', url: ref };
  const mediaType = MEDIA_TYPE_BY_EXTENSION[extname(ref).toLowerCase()];
  if (mediaType === undefined) {
    const known = Object.keys(MEDIA_TYPE_BY_EXTENSION).join(', ');
    throw new ImageFileError(`cannot use image file "${ref}": unsupported type (expected ${known})`, ref);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(baseDir, ref));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ImageFileError(`cannot read image file "${ref}": ${reason}`, ref);
  }
  return { type: 'image', mediaType, base64: bytes.toString('base64') };
}

function parseDataUrl(ref: string): ContentPart {
  const head = DATA_URL_HEAD.exec(ref.slice(0, 256));
  // A data: URL that is not base64 is passed through as a URL; providers reject it with a clear message.
  if (!head) return { type: 'image', url: ref };
  const mediaType = head[1].trim().toLowerCase();
  if (!mediaType.startsWith('image/')) {
    throw new ImageFileError(`data: URL is not an image (media type "${mediaType || 'none'}")`, ref.slice(0, 40));
  }
  return { type: 'image', mediaType, base64: ref.slice(head[0].length) };
}
