import { describe, expect, it } from 'vitest';
import { appendImage, prependSystem, toChatMessages, toUserMessages } from '../../src/template/to-chat-messages.js';
import type { ChatMessage, ContentPart } from '../../src/template/types.js';

const image: ContentPart = { type: 'image', url: 'https://x.test/a.png' };
const loadImage = async (url: string): Promise<ContentPart> => ({ type: 'image', url });

describe('toChatMessages', () => {
  it('merges adjacent text parts, trims them, keeps media in place and drops empty messages', async () => {
    const messages = await toChatMessages(
      [
        { role: 'user', content: [{ text: '  \n' }] },
        { role: 'system', content: [{ text: '\nBe ' }, { text: 'brief.\n' }] },
        { role: 'user', content: [{ text: 'Look:\n' }, { media: { url: 'https://x.test/a.png' } }, { text: '\nWhat is it?' }] },
        { role: 'model', content: [{ text: 'A lamp.' }, { metadata: { purpose: 'output', pending: true } }] },
      ],
      loadImage,
    );
    expect(messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Look:' }, image, { type: 'text', text: 'What is it?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A lamp.' }] },
    ]);
  });
});

describe('message assembly', () => {
  const user: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Hi' }] };

  it('wraps plain text in one trimmed user message', () => {
    expect(toUserMessages('\n Hi \n')).toEqual([user]);
  });

  it('prepends a system message, merges with an existing one, ignores blank text', () => {
    expect(prependSystem([user], 'Rules.')).toEqual([{ role: 'system', content: [{ type: 'text', text: 'Rules.' }] }, user]);
    const withSystem: ChatMessage[] = [{ role: 'system', content: [{ type: 'text', text: 'Mine.' }] }, user];
    expect(prependSystem(withSystem, 'Yours.')[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Yours.\n\nMine.' }] });
    expect(prependSystem([user], '  ')).toEqual([user]);
  });

  it('appends an image to the last user message, or adds one', () => {
    const assistant: ChatMessage = { role: 'assistant', content: [{ type: 'text', text: 'Ok' }] };
    expect(appendImage([user, assistant], image)).toEqual([{ role: 'user', content: [...user.content, image] }, assistant]);
    expect(appendImage([], image)).toEqual([{ role: 'user', content: [image] }]);
    expect(user.content).toHaveLength(1);
  });
});
