import { Dotprompt, type PromptMetadata } from 'dotprompt';
import { UsageError } from '../errors.js';
import { VariableChecker } from './check-variables.js';
import { checkFrontMatter, toTemplateDefaults } from './front-matter.js';
import { DOTPROMPT_HELPERS } from './helper-sets.js';
import { parseTemplate } from './parse-template.js';
import { findSharedSectionTexts } from './shared-sections.js';
import { toChatMessages, type ImageLoader } from './to-chat-messages.js';
import type { ChatMessage, TemplateDefaults } from './types.js';

/** A compiled `.prompt` file. */
export interface CompiledPrompt {
  defaults: TemplateDefaults;
  /** Throws `TemplateVariableError` for a missing variable, `ImageFileError` for an unusable `{{media}}`. */
  render(data: Record<string, unknown>): Promise<ChatMessage[]>;
}

/**
 * Compiles a Google Dotprompt file once: front matter → request defaults (Picoschema expanded to JSON
 * Schema), body → a renderer producing one message per `{{role}}`, `{{media}}` as image parts.
 */
export async function compileDotprompt(source: string, label: string, loadImage: ImageLoader): Promise<CompiledPrompt> {
  checkFrontMatter(source, label);
  const dotprompt = new Dotprompt();
  const parsed = dotprompt.parse(source);
  const program = parseTemplate(parsed.template, {
    label,
    helpers: DOTPROMPT_HELPERS,
    lineOffset: countLinesBefore(source, parsed.template),
  });
  let metadata: PromptMetadata;
  try {
    metadata = await dotprompt.renderMetadata(parsed);
  } catch (error) {
    throw new UsageError(`cannot use template ${label}: ${(error as Error).message}`);
  }
  const defaults = toTemplateDefaults(metadata, label);
  const inputDefaults = readInputDefaults(metadata, label);
  const checker = new VariableChecker(program, DOTPROMPT_HELPERS);
  const sharedTexts = findSharedSectionTexts(program);
  // Dotprompt resolves the front matter again (Picoschema, deep copies) on every render: a third of the
  // pre-scan's time. It cannot change between items, so answer from the copy resolved above.
  const resolved = metadata;
  dotprompt.renderMetadata = (async () => resolved) as Dotprompt['renderMetadata'];
  const renderPrompt = await dotprompt.compile(parsed);
  // Dotprompt applies `input.default` only when given at render time, not from the file's own front matter.
  const renderOptions = inputDefaults ? { input: { default: inputDefaults } } : undefined;
  return {
    defaults,
    async render(data) {
      checker.check(inputDefaults ? { ...inputDefaults, ...data } : data);
      const rendered = await renderPrompt({ input: data }, renderOptions);
      return markShared(await toChatMessages(rendered.messages, loadImage), sharedTexts);
    },
  };
}

/** Flags the text-only messages whose text is a section that no item can change. */
function markShared(messages: ChatMessage[], sharedTexts: ReadonlySet<string>): ChatMessage[] {
  if (sharedTexts.size === 0) return messages;
  return messages.map((message) => {
    const [only] = message.content;
    return message.content.length === 1 && only.type === 'text' && sharedTexts.has(only.text) ? { ...message, shared: true } : message;
  });
}

function readInputDefaults(metadata: PromptMetadata, label: string): Record<string, unknown> | undefined {
  const value: unknown = metadata.input?.default;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${label}: expected \`input.default\` to be a map of variable defaults`);
  }
  return value as Record<string, unknown>;
}

/** Lines of front matter above the body, so body line numbers can be reported as file line numbers. */
function countLinesBefore(source: string, body: string): number {
  const start = body === '' ? -1 : source.indexOf(body);
  if (start <= 0) return 0;
  let lines = 0;
  for (let i = 0; i < start; i += 1) if (source.charCodeAt(i) === 0x0a) lines += 1;
  return lines;
}
