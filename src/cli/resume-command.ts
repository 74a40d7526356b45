/**
 * The exact command that continues a run: the user's own arguments, with --overwrite dropped and
 * --resume added, quoted so it can be pasted into a shell.
 */
export function buildResumeCommand(args: readonly string[]): string {
  const kept = args.filter((arg) => arg !== '--overwrite');
  if (!kept.includes('--resume')) kept.push('--resume');
  return ['llm-batch', ...kept].map(quoteForShell).join(' ');
}

const SAFE = /^[\w@%+=:,./-]+$/;

function quoteForShell(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
