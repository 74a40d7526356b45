import { describe, expect, it } from 'vitest';
import { buildResumeCommand } from '../../src/cli/resume-command.js';

describe('buildResumeCommand', () => {
  it('adds --resume and drops --overwrite', () => {
    expect(buildResumeCommand(['run', 'in.jsonl', '--overwrite', '-m', 'mock'])).toBe('llm-batch run in.jsonl -m mock --resume');
  });

  it('never prints a Redis password', () => {
    const command = buildResumeCommand(['run', 'in.jsonl', '--redis', 'redis://:hunter2@cache:6379', '--shard', '1/2']);
    expect(command).toBe("llm-batch run in.jsonl --redis 'redis://:***@cache:6379' --shard 1/2 --resume");
    expect(buildResumeCommand(['run', 'x', '--redis=redis://u:hunter2@cache'])).not.toContain('hunter2');
    expect(buildResumeCommand(['run', 'x', '--redis', 'redis://cache:6379'])).toContain('--redis redis://cache:6379');
  });
});
