/** A part of a message's content. Images come from `{{media url=…}}` or `--image-field`. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string }
  | { type: 'image'; mediaType: string; base64: string };

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: ContentPart[];
  /**
   * The same for every item (template text without item variables): provider prompt caching may mark a
   * prefix of such messages (`providers/anthropic-cache.ts`). Absent means it may vary.
   */
  shared?: true;
}

/** What a template's front matter can set (Dotprompt); flags override these. */
export interface TemplateDefaults {
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** Other `config` keys under their Dotprompt names (`topK`); `providers/map-params.ts` maps them per provider. */
  params?: Record<string, unknown>;
  /** JSON Schema from `output.schema` (Picoschema already expanded). */
  schema?: Record<string, unknown>;
  /** `output.format: json` without a schema. */
  jsonOutput?: boolean;
}

/** A compiled template: compile once, render per item. */
export interface PromptTemplate {
  /** Stable hash of the template source and system prompt (for the run fingerprint). */
  hash: string;
  defaults: TemplateDefaults;
  /** Render one item. Throws `TemplateVariableError` when the item lacks a variable. */
  render(data: Record<string, unknown>): Promise<ChatMessage[]>;
}

/** A variable the template uses is missing from the item: never rendered as an empty string. */
export class TemplateVariableError extends Error {
  override readonly name = 'TemplateVariableError';
  constructor(readonly variable: string) {
    super(`missing template variable "${variable}"`);
  }
}
