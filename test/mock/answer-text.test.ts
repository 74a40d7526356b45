import { describe, expect, it } from 'vitest';
import { extractCategories, textAnswer } from '../../src/mock/answer-text.js';
import { createRng } from '../../src/mock/hash.js';

describe('extractCategories', () => {
  it.each([
    ['Classify into one of: Electronics, Home & Kitchen, Books.', ['Electronics', 'Home & Kitchen', 'Books']],
    ['Classify into one of: Electronics, Books. Item: a novel', ['Electronics', 'Books']],
    ['Pick one of the following categories: "spam" | "ham"', ['spam', 'ham']],
    ['Labels: urgent, normal or low', ['urgent', 'normal', 'low']],
    ['Answer with one of the categories below:\n- Billing\n- Shipping\n* Returns\n\nTicket: where is my parcel?', ['Billing', 'Shipping', 'Returns']],
    ['Choose one of:\n1. Yes\n2. No', ['Yes', 'No']],
    ['This is one of the best kettles: great!', []],
    ['Summarize the review.', []],
  ])('%j', (prompt, expected) => {
    expect(extractCategories(prompt)).toEqual(expected);
  });
});

describe('textAnswer', () => {
  it('answers a sentiment question with a sentiment', () => {
    expect(['positive', 'negative', 'neutral']).toContain(textAnswer('What is the sentiment of: I love it', createRng(3)));
  });

  it('otherwise writes a sentence that mentions a word of the prompt', () => {
    const text = textAnswer('Summarize: the espresso machine heats quickly', createRng(7));
    expect(text).toMatch(/^[A-Z].*\.$/);
    expect(text).toMatch(/espresso|machine|heats|quickly|summarize/);
  });
});
