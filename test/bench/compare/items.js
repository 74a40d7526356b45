/**
 * The comparison's items: the same review lines as `npm run bench` (inputs.js), the prompt every tool
 * sends for each (the bench template, rendered), and the answer the mock server gives to that prompt.
 */
import { mockAnswer } from '../../../dist/mock/answer.js';
import { itemLine, TEMPLATE } from '../inputs.js';

/** `count` items as `{ id, text, prompt }`, and a Map of id → the mock's answer to its prompt. */
export function benchItems(count) {
  const items = [];
  const expected = new Map();
  for (let i = 0; i < count; i += 1) {
    const { id, text } = JSON.parse(itemLine(i));
    const prompt = renderPrompt(text);
    items.push({ id, text, prompt });
    expected.set(id, mockAnswer({ messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }], params: {} }).text);
  }
  return { items, expected };
}

/** The bench template with the item's text: what llm-batch (Handlebars) and promptfoo (Nunjucks) render. */
export function renderPrompt(text) {
  return TEMPLATE.replace('{{text}}', text);
}
