/**
 * Image media types per provider, as data. Anthropic accepts jpeg, png, gif and webp only (the SDK's
 * `Base64ImageSource.media_type`); anything else (svg, bmp, tiff, heic) answers 400 for every item, so it
 * is refused before any request. OpenAI reads png, jpeg, gif and webp too, but takes any data: or http URL
 * and answers for itself, so only Anthropic is checked.
 */
import type { Base64ImageSource } from '@anthropic-ai/sdk/resources/messages';
import { ImageFileError } from '../template/image-part.js';
import type { ChatMessage, PromptTemplate } from '../template/types.js';
import { parseDataUrl } from './wire-helpers.js';

export type AnthropicImageType = Base64ImageSource['media_type'];

export const ANTHROPIC_IMAGE_TYPES: readonly AnthropicImageType[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** Extensions of image types Anthropic refuses, for URLs it would fetch (`https://…/logo.svg`). */
const REFUSED_URL_EXTENSIONS: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.ico': 'image/x-icon',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.avif': 'image/avif',
};

export function isAnthropicImageType(mediaType: string): mediaType is AnthropicImageType {
  return (ANTHROPIC_IMAGE_TYPES as readonly string[]).includes(mediaType);
}

/** Why Anthropic would refuse an image in these messages, or undefined when every image is acceptable. */
export function findUnsupportedAnthropicImage(messages: readonly ChatMessage[]): string | undefined {
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type !== 'image') continue;
      const mediaType = 'base64' in part ? part.mediaType : (parseDataUrl(part.url)?.mediaType ?? urlMediaType(part.url));
      if (mediaType !== undefined && !isAnthropicImageType(mediaType)) {
        return `Anthropic does not accept ${mediaType} images (it takes ${ANTHROPIC_IMAGE_TYPES.join(', ')}); convert the image to PNG or JPEG`;
      }
    }
  }
  return undefined;
}

function urlMediaType(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const path = new URL(url).pathname.toLowerCase();
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : REFUSED_URL_EXTENSIONS[path.slice(dot)];
}

/**
 * `template` with every rendered item checked for images Anthropic refuses: the pre-scan reports them
 * with their line (exit 2 before any request), and unscanned input (stdin) records them as `template`
 * failures instead of sending requests that cannot succeed.
 */
export function refuseUnsupportedAnthropicImages(template: PromptTemplate): PromptTemplate {
  return {
    ...template,
    async render(data) {
      const messages = await template.render(data);
      const problem = findUnsupportedAnthropicImage(messages);
      if (problem !== undefined) throw new ImageFileError(problem, '');
      return messages;
    },
  };
}
