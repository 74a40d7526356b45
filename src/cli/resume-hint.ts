/**
 * The hint printed when a run stops short: the command that continues it, which is the user's own
 * arguments with --overwrite dropped and --resume added, quoted so it can be pasted into a shell.
 */
export function resumeHint(args: readonly string[]): string {
  const kept = withoutRedisPasswords(args.filter((arg) => arg !== '--overwrite'));
  if (!kept.includes('--resume')) kept.push('--resume');
  return ['llm-batch', ...kept].map(quoteForShell).join(' ');
}

const SAFE = /^[\w@%+=:,./-]+$/;

function quoteForShell(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command is printed, and a password must not be (SPEC §14): `--redis redis://:pw@host` is shown as
 * `redis://:***@host` (LLM_BATCH_REDIS_URL keeps it out of the command line altogether).
 */
function withoutRedisPasswords(args: string[]): string[] {
  return args.map((arg, index) => {
    if (arg.startsWith('--redis=')) return `--redis=${redactPassword(arg.slice('--redis='.length))}`;
    return args[index - 1] === '--redis' ? redactPassword(arg) : arg;
  });
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
