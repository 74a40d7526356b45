/**
 * Plausible free-text answers: a category when the prompt offers a list of them, a sentiment when it
 * asks for one, otherwise a short sentence that mentions a word of the prompt.
 */
import { pick, type Random } from './hash.js';

/** Longest list item we still treat as a category name rather than prose. */
const MAX_CATEGORY_LENGTH = 60;
const MAX_CATEGORIES = 100;

// "one of: A, B, C", "one of the following categories: A | B", "labels: A or B" — or the same lead-in
// followed by a bullet list on the next lines. The colon is required: without it prose matches too often.
const LIST_LEAD_IN = /\b(?:one of|categories|labels|options|choices)\b[^:\n]{0,40}:[ \t]*([^\n]*)/gi;
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$/;
const SENTIMENT = /\bsentiment\b/i;

/** The categories a prompt asks the model to choose from, or `[]` when it offers none. */
export function extractCategories(prompt: string): string[] {
  for (const match of prompt.matchAll(LIST_LEAD_IN)) {
    // The list ends with its sentence: "one of: A, B. Item: …" offers A and B.
    const sameLine = match[1].split(/\.(?:\s|$)/)[0].trim();
    const found =
      sameLine !== ''
        ? cleanList(sameLine.split(/\s*(?:,|\||;|\bor\b)\s*/i))
        : cleanList(bulletsAfter(prompt.slice(match.index + match[0].length)));
    if (found.length > 0) return found;
  }
  return [];
}

function bulletsAfter(text: string): string[] {
  const bullets: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' && bullets.length === 0) continue;
    const bullet = BULLET.exec(line);
    if (!bullet) break;
    bullets.push(bullet[1]);
  }
  return bullets;
}

function cleanList(raw: string[]): string[] {
  const out: string[] = [];
  for (const entry of raw) {
    const name = entry
      .trim()
      .replace(/^(?:and|or)\s+/i, '')
      .replace(/^["'`“‘]+|["'`”’.!?]+$/g, '')
      .trim();
    if (name !== '' && name.length <= MAX_CATEGORY_LENGTH && !out.includes(name)) out.push(name);
    if (out.length === MAX_CATEGORIES) break;
  }
  // A single "category" is just a sentence that happened to follow the lead-in.
  return out.length >= 2 ? out : [];
}

const SENTIMENTS = ['positive', 'negative', 'neutral'] as const;

const SENTENCES = [
  'This text is mainly about {w}, described clearly and concisely.',
  'The key point concerns {w} and why it matters to the reader.',
  'In short: {w} is presented in a practical, straightforward way.',
  'A brief summary: the item focuses on {w} with a few supporting details.',
  'Overall the content highlights {w} and its most useful aspects.',
  'The main topic is {w}; the tone is informative and neutral.',
  'It describes {w} and gives enough context to understand it.',
  'Summary: a short overview of {w} with one notable detail.',
] as const;

const STOP_WORDS = new Set(['about', 'after', 'answer', 'below', 'their', 'there', 'these', 'those', 'which', 'while', 'would', 'should', 'could', 'write', 'following', 'sentence', 'summarize', 'describe', 'respond']);

/** The answer text for a prompt that needs no structured output. */
export function textAnswer(lastUserText: string, random: Random, categories = extractCategories(lastUserText)): string {
  if (categories.length > 0) return pick(categories, random);
  if (SENTIMENT.test(lastUserText)) return pick(SENTIMENTS, random);
  return pick(SENTENCES, random).replace('{w}', topicWord(lastUserText, random));
}

/** A content word from the prompt, so answers to different items read differently. */
export function topicWord(text: string, random: Random): string {
  const words = text.toLowerCase().match(/[a-z][a-z-]{4,}/g);
  const candidates = words?.filter((w) => !STOP_WORDS.has(w)) ?? [];
  return candidates.length > 0 ? pick(candidates, random) : 'the subject';
}
