import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { usageError } from '../helpers/usage-error.js';
import { inferProvider } from '../../src/providers/registry.js';
import { resolveProviderSettings } from '../../src/providers/resolve-provider.js';

const KEYS = { OPENAI_API_KEY: 'sk-openai-secret-1', ANTHROPIC_API_KEY: 'sk-ant-secret-2' };


describe('inferProvider', () => {
  it.each([
    ['gpt-4o-mini', 'openai'],
    ['o1-preview', 'openai'],
    ['o3-mini', 'openai'],
    ['o4-mini', 'openai'],
    ['chatgpt-4o-latest', 'openai'],
    ['text-embedding-3-small', 'openai'],
    ['ft:gpt-4o-mini:acme::abc123', 'openai'],
    ['claude-haiku-4-5', 'anthropic'],
    ['mock', 'mock'],
    ['llama3.1', undefined],
  ])('%s → %s', (model, provider) => {
    expect(inferProvider(model)).toBe(provider);
  });
});

describe('resolveProviderSettings', () => {
  it('infers OpenAI from the model name, with the default base URL and key variable', () => {
    expect(resolveProviderSettings({ model: 'gpt-4o-mini' }, KEYS)).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-openai-secret-1',
      apiKeyEnv: 'OPENAI_API_KEY',
      api: 'chat',
    });
  });

  it('infers Anthropic, whose base URL has no /v1', () => {
    expect(resolveProviderSettings({ model: 'claude-haiku-4-5' }, KEYS)).toEqual({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      baseUrl: 'https://api.anthropic.com',
      apiKey: 'sk-ant-secret-2',
      apiKeyEnv: 'ANTHROPIC_API_KEY',
      api: 'chat',
    });
  });

  it.each([
    ['openai/gpt-4o', 'openai', 'gpt-4o'],
    ['anthropic/claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['mock/fast', 'mock', 'fast'],
    ['mock/', 'mock', 'mock'],
  ])('the prefix in %s selects %s and is stripped', (model, provider, sent) => {
    expect(resolveProviderSettings({ model }, KEYS)).toMatchObject({ provider, model: sent });
  });

  it('sends the model verbatim when --provider is given (OpenRouter names)', () => {
    const settings = resolveProviderSettings(
      { model: 'anthropic/claude-3.5-sonnet', provider: 'openai', baseUrl: 'https://openrouter.ai/api/v1/' },
      KEYS,
    );
    expect(settings).toMatchObject({ provider: 'openai', model: 'anthropic/claude-3.5-sonnet', baseUrl: 'https://openrouter.ai/api/v1' });
  });

  it('needs no key for mock', () => {
    expect(resolveProviderSettings({ model: 'mock' }, {})).toEqual({ provider: 'mock', model: 'mock', baseUrl: 'mock://', api: 'chat' });
  });

  it('takes the base URL from flag, then environment, then default; trailing slashes stripped', () => {
    const env = { ...KEYS, OPENAI_BASE_URL: 'http://localhost:8000/v1//', ANTHROPIC_BASE_URL: 'https://gateway.example/anthropic/' };
    expect(resolveProviderSettings({ model: 'gpt-4o' }, env).baseUrl).toBe('http://localhost:8000/v1');
    expect(resolveProviderSettings({ model: 'gpt-4o', baseUrl: 'https://proxy.example/v1/' }, env).baseUrl).toBe('https://proxy.example/v1');
    expect(resolveProviderSettings({ model: 'claude-haiku-4-5' }, env).baseUrl).toBe('https://gateway.example/anthropic');
    expect(resolveProviderSettings({ model: 'gpt-4o' }, { ...KEYS, OPENAI_BASE_URL: '' }).baseUrl).toBe('https://api.openai.com/v1');
  });

  it('reads the key from --api-key-env', () => {
    const settings = resolveProviderSettings(
      { model: 'deepseek-chat', provider: 'openai', apiKeyEnv: 'DEEPSEEK_API_KEY', baseUrl: 'https://api.deepseek.com' },
      { DEEPSEEK_API_KEY: 'ds-secret' },
    );
    expect(settings).toMatchObject({ apiKey: 'ds-secret', apiKeyEnv: 'DEEPSEEK_API_KEY' });
  });

  it('asks for --provider when the model is unknown', () => {
    const error = usageError(() => resolveProviderSettings({ model: 'llama3.1:8b' }, KEYS));
    expect(error.message).toBe('Cannot tell which provider serves the model "llama3.1:8b": pass --provider openai or --provider anthropic');
  });

  it('names the variable when the key is missing, and never prints a key', () => {
    const error = usageError(() => resolveProviderSettings({ model: 'claude-haiku-4-5' }, { OPENAI_API_KEY: 'sk-openai-secret-1' }));
    expect(error.message).toBe('Missing API key for anthropic: set the ANTHROPIC_API_KEY environment variable');
    expect(error.details.join('\n')).toContain('--api-key-env');
    expect(error.details.join('\n')).toContain('a line ANTHROPIC_API_KEY=… in it, and --env-file <path>');
    expect(JSON.stringify(error)).not.toContain('sk-openai-secret-1');
  });

  it('names the --api-key-env variable when that is unset', () => {
    const error = usageError(() => resolveProviderSettings({ model: 'gpt-4o', apiKeyEnv: 'MY_KEY' }, KEYS));
    expect(error.message).toContain('MY_KEY');
  });

  it('treats a blank key as missing', () => {
    expect(() => resolveProviderSettings({ model: 'gpt-4o' }, { OPENAI_API_KEY: '  ' })).toThrow(UsageError);
  });

  it.each([
    [{ model: '' }, 'Expected `--model` to name a model, got an empty string'],
    [{ model: 'gpt-4o', provider: 'gemini' }, 'Expected `--provider` to be one of openai, anthropic, azure, mock, got `gemini`'],
    [{ model: 'openai/' }, 'Expected a model name after "openai/", got `openai/`'],
    [{ model: 'gpt-4o', baseUrl: 'localhost:8000' }, 'Expected `--base-url` to be an http(s) URL, got `localhost:8000`'],
    [{ model: 'gpt-4o', baseUrl: 'not a url' }, 'Expected `--base-url` to be an http(s) URL, got `not a url`'],
  ])('rejects %j', (flags, message) => {
    expect(usageError(() => resolveProviderSettings(flags, KEYS)).message).toBe(message);
  });
});

describe('--api', () => {
  const KEY = { OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'sk-2' };
  it.each([
    ['gpt-4o-mini', undefined, 'chat'],
    ['o3-pro', undefined, 'responses'],
    ['gpt-5-codex', undefined, 'responses'],
    ['gpt-4o-mini', 'responses', 'responses'],
    ['o3-pro', 'chat', 'chat'],
  ])('%s with --api %s → %s', (model, api, expected) => {
    expect(resolveProviderSettings({ model, api }, KEY).api).toBe(expected);
  });

  it('refuses an unknown API and the Responses API for Anthropic', () => {
    expect(() => resolveProviderSettings({ model: 'gpt-4o', api: 'completions' }, KEY)).toThrow(/--api.*chat, responses/);
    expect(() => resolveProviderSettings({ model: 'claude-haiku-4-5', api: 'responses' }, KEY)).toThrow(/OpenAI API/);
  });
});
