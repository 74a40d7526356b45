import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageFileError, loadImagePart } from '../../src/template/image-part.js';
import { FIXTURES } from '../helpers/cli.js';

describe('loadImagePart', () => {
  it('passes remote URLs through', async () => {
    await expect(loadImagePart('https://example.com/a.png?x=1', FIXTURES)).resolves.toEqual({
      type: 'image',
      url: 'https://example.com/a.png?x=1',
    });
  });

  it('splits base64 data: URLs into media type and data', async () => {
    await expect(loadImagePart('data:image/jpeg;base64,/9j/4AAQ', FIXTURES)).resolves.toEqual({
      type: 'image',
      mediaType: 'image/jpeg',
      base64: '/9j/4AAQ',
    });
  });

  it('rejects a data: URL that is not an image', async () => {
    await expect(loadImagePart('data:text/plain;base64,aGk=', FIXTURES)).rejects.toBeInstanceOf(ImageFileError);
  });

  it('reads a local PNG relative to the base directory as base64', async () => {
    const expected = readFileSync(join(FIXTURES, 'template-pixel.png')).toString('base64');
    await expect(loadImagePart('template-pixel.png', FIXTURES)).resolves.toEqual({
      type: 'image',
      mediaType: 'image/png',
      base64: expected,
    });
  });

  it.each([
    ['photos/missing.jpg', 'cannot read image file "photos/missing.jpg": no such file'],
    ['scan.bmp', 'cannot use image file "scan.bmp": unsupported type (expected .png, .jpg, .jpeg, .gif, .webp)'],
    ['  ', 'empty image reference'],
  ])('rejects %j with a message naming it', async (ref, message) => {
    const failure = loadImagePart(ref, FIXTURES);
    await expect(failure).rejects.toBeInstanceOf(ImageFileError);
    await expect(failure).rejects.toThrow(message);
  });
});
