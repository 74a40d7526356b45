import { describe, expect, it } from 'vitest';
import { azureUrl, normaliseAzureEndpoint, resolveAzureDeployment } from '../../src/providers/azure.js';
import { resolveProviderSettings } from '../../src/providers/resolve-provider.js';
import { routeAzure } from '../../src/mock/azure-paths.js';

const endpoint = 'https://res.openai.azure.com';

describe('azureUrl', () => {
  it.each([
    [undefined, '/chat/completions', `${endpoint}/openai/v1/chat/completions`],
    [undefined, '/batches?limit=100', `${endpoint}/openai/v1/batches?limit=100`],
    ['2024-10-21', '/chat/completions', `${endpoint}/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21`],
    ['2025-04-01-preview', '/responses', `${endpoint}/openai/responses?api-version=2025-04-01-preview`],
    ['2024-10-21', '/files/file-1/content', `${endpoint}/openai/files/file-1/content?api-version=2024-10-21`],
    ['2024-10-21', '/batches?limit=100', `${endpoint}/openai/batches?limit=100&api-version=2024-10-21`],
  ])('api-version %s, %s → %s', (apiVersion, path, url) => {
    expect(azureUrl({ endpoint, deployment: 'my dep', ...(apiVersion && { apiVersion }) }, path)).toBe(url);
  });

  it('drops what users paste after the resource endpoint', () => {
    expect(normaliseAzureEndpoint(`${endpoint}/openai/v1/`)).toBe(endpoint);
    expect(normaliseAzureEndpoint(`${endpoint}/openai`)).toBe(endpoint);
  });
});

describe('Azure settings', () => {
  const env = { AZURE_OPENAI_ENDPOINT: `${endpoint}/`, AZURE_OPENAI_API_KEY: 'az-key' };

  it('deployment from --deployment, then AZURE_OPENAI_DEPLOYMENT, then -m; api-version from the flag or either variable', () => {
    expect(resolveAzureDeployment({ deployment: 'a', model: 'b' }, { AZURE_OPENAI_DEPLOYMENT: 'c' })).toEqual({ deployment: 'a' });
    expect(resolveAzureDeployment({ model: 'b' }, { AZURE_OPENAI_DEPLOYMENT: 'c' })).toEqual({ deployment: 'c' });
    expect(resolveAzureDeployment({ model: 'b' }, { AZURE_OPENAI_API_VERSION: '2024-10-21' })).toEqual({ deployment: 'b', apiVersion: '2024-10-21' });
    expect(resolveAzureDeployment({ model: 'b', apiVersion: 'x' }, { OPENAI_API_VERSION: 'y' })).toEqual({ deployment: 'b', apiVersion: 'x' });
  });

  it('sends the deployment as the model and prices the run as -m (or --model-family)', () => {
    const settings = resolveProviderSettings({ model: 'gpt-4o-mini', provider: 'azure', deployment: 'prod' }, env);
    expect(settings).toMatchObject({ provider: 'azure', model: 'prod', priceModel: 'gpt-4o-mini', baseUrl: endpoint, apiKey: 'az-key', azure: { deployment: 'prod' } });
    expect(resolveProviderSettings({ model: 'prod', provider: 'azure', modelFamily: 'gpt-4.1' }, env)).toMatchObject({ model: 'prod', priceModel: 'gpt-4.1' });
    expect(resolveProviderSettings({ model: 'azure/prod' }, env)).toMatchObject({ provider: 'azure', model: 'prod' });
  });

  it('needs an endpoint', () => {
    expect(() => resolveProviderSettings({ model: 'prod', provider: 'azure' }, { AZURE_OPENAI_API_KEY: 'k' })).toThrow(/AZURE_OPENAI_ENDPOINT/);
  });
});

describe('the mock server’s Azure routes', () => {
  it.each([
    ['/openai/v1/chat/completions', '', { kind: 'azure', path: '/v1/chat/completions' }],
    ['/openai/deployments/d1/chat/completions', 'api-version=2024-10-21', { kind: 'azure', path: '/v1/chat/completions', deployment: 'd1' }],
    ['/openai/batches/b1', 'api-version=2024-10-21', { kind: 'azure', path: '/v1/batches/b1' }],
    ['/openai/deployments/d1/chat/completions', '', { kind: 'missing-api-version' }],
    ['/v1/chat/completions', '', { kind: 'none' }],
  ])('%s?%s', (path, query, route) => {
    expect(routeAzure(path, query)).toEqual(route);
  });
});
