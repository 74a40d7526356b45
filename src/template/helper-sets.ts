/** The helpers a template kind may call; everything else is a variable (SPEC §4). */
export interface HelperSet {
  /** Called as `{{name …}}` or `(name …)`. */
  inline: ReadonlySet<string>;
  /** Called as `{{#name …}}…{{/name}}`. */
  block: ReadonlySet<string>;
  /** `@`-variables supplied by the renderer itself, which the variable check leaves alone. */
  externalData: ReadonlySet<string>;
}

/** Handlebars' own built-ins: what a plain template (`--prompt`, any non-`.prompt` file) can use. */
export const HANDLEBARS_HELPERS: HelperSet = {
  inline: new Set(['lookup', 'log']),
  block: new Set(['if', 'unless', 'each', 'with']),
  externalData: new Set(),
};

/** Built-ins plus the helpers Dotprompt registers (`role`, `media`, `json`, …) and its `@metadata`. */
export const DOTPROMPT_HELPERS: HelperSet = {
  inline: new Set([...HANDLEBARS_HELPERS.inline, 'json', 'role', 'history', 'section', 'media']),
  block: new Set([...HANDLEBARS_HELPERS.block, 'ifEquals', 'unlessEquals']),
  externalData: new Set(['metadata']),
};

/** Arguments each block helper needs (Handlebars and Dotprompt throw at render time otherwise). */
export const BLOCK_ARITY: Readonly<Record<string, number>> = {
  if: 1,
  unless: 1,
  each: 1,
  with: 1,
  ifEquals: 2,
  unlessEquals: 2,
};

/** Roles `{{role "…"}}` may name; Dotprompt's `model` is the assistant. */
export const PROMPT_ROLES: ReadonlySet<string> = new Set(['system', 'user', 'model', 'assistant']);
