import type { PreviewRequest } from '../run/preview-requests.js';

/** `llm-batch preview`: each request as it would go on the wire (key redacted), ready to read or diff. */
export function formatPreview(requests: PreviewRequest[], context: { mode: 'realtime' | 'batch'; pack?: number }): string {
  const blocks = requests.map((request) => {
    const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
    return [
      `# item ${request.id} (line ${request.line})`,
      `${request.method} ${request.url}`,
      ...headers,
      '',
      JSON.stringify(request.body, null, 2),
      '',
    ].join('\n');
  });
  const notes = [
    requests.length === 0 ? '# no items in scope: nothing to show' : `# ${requests.length} request${requests.length === 1 ? '' : 's'} shown; nothing was sent`,
  ];
  if (context.mode === 'batch') notes.push('# --mode batch: each line of the uploaded batch file carries this same body');
  if (context.pack !== undefined) notes.push(`# --pack ${context.pack}: run sends ${context.pack} items per request; shown here one item per request`);
  return `${blocks.join('\n')}${notes.join('\n')}\n`;
}
