import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { compileText } from './handlebars-template.js';
import { ImageFileError, loadImagePart } from './image-part.js';
import { isLiteralTemplate } from './shared-sections.js';
import { appendImage, prependSystem, toUserMessages } from './to-chat-messages.js';
import { TemplateVariableError, type ChatMessage, type PromptTemplate, type TemplateDefaults } from './types.js';

const BOM = '\uFEFF';
const DOTPROMPT_EXTENSION = '.prompt';

export interface LoadTemplateOptions {
  /** A template file: `.prompt` is Google Dotprompt, anything else plain Handlebars. Exactly one of `file`/`inline`. */
  file?: string;
  /** An inline Handlebars template (`--prompt`). Exactly one of `file`/`inline`. */
  inline?: string;
  /** A system prompt (`--system`), itself a Handlebars template rendered with the same item. @default none */
  system?: string;
  /**
   * An item field holding an image (URL, `data:` URL or local file path), appended to the last user message.
   * An item whose field is `null` or `""` gets no image. @default none
   */
  imageField?: string;
  /** Directory that relative image paths (`imageField`, `{{media}}`) are resolved against. @default process.cwd() */
  imageBaseDir?: string;
}

/** Loads and compiles a prompt template once; `render` then runs per item (SPEC §4). */
export async function loadTemplate(options: LoadTemplateOptions): Promise<PromptTemplate> {
  const { file, inline, system, imageField } = options;
  if ((file === undefined) === (inline === undefined)) {
    const got = file === undefined ? 'neither' : 'both';
    throw new UsageError(`Expected exactly one of \`--template\` and \`--prompt\`, got ${got}`);
  }
  const baseDir = options.imageBaseDir ?? process.cwd();
  const loadImage = (ref: string) => loadImagePart(ref, baseDir);
  const source = file === undefined ? (inline as string) : await readTemplateFile(file);
  const kind = file?.toLowerCase().endsWith(DOTPROMPT_EXTENSION) ? 'dotprompt' : 'handlebars';
  const renderSystem = system === undefined ? undefined : compileText(system, '--system');
  const systemIsLiteral = system !== undefined && isLiteralTemplate(system);

  let defaults: TemplateDefaults = {};
  let renderBody: (data: Record<string, unknown>) => Promise<ChatMessage[]>;
  if (kind === 'dotprompt') {
    // Loaded only for .prompt files: dotprompt and its YAML parser are a large share of start-up (issue 13).
    const { compileDotprompt } = await import('./dotprompt-template.js');
    const compiled = await compileDotprompt(source, file as string, loadImage);
    defaults = compiled.defaults;
    renderBody = compiled.render;
  } else {
    const renderText = compileText(source, file ?? '--prompt');
    renderBody = async (data) => toUserMessages(renderText(data));
  }

  return {
    hash: hashTemplate({ kind, source, system: system ?? null, imageField: imageField ?? null }),
    defaults,
    async render(data) {
      let messages = await renderBody(data);
      if (renderSystem) messages = prependSystem(messages, renderSystem(data), systemIsLiteral);
      if (imageField !== undefined) {
        const ref = readImageRef(data, imageField);
        if (ref !== undefined) messages = appendImage(messages, await loadImage(ref));
      }
      return messages;
    },
  };
}

async function readTemplateFile(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.startsWith(BOM) ? text.slice(1) : text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UsageError(`cannot read template file ${file}: ${reason}`);
  }
}

/** The image reference in `field`, or undefined when the item has none (`null` or `""`). */
function readImageRef(data: Record<string, unknown>, field: string): string | undefined {
  if (!Object.hasOwn(data, field)) throw new TemplateVariableError(field);
  const value = data[field];
  if (value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ImageFileError(`image field "${field}" must hold a URL or a file path, got ${typeof value}`, String(value));
  }
  return value;
}

/** Changes when anything that shapes the messages changes: the run fingerprint uses it (SPEC §6, §7). */
function hashTemplate(parts: { kind: string; source: string; system: string | null; imageField: string | null }): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
