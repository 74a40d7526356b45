import { describe, expect, it } from 'vitest';
import { resumeHint } from '../../src/cli/resume-hint.js';

describe('resumeHint', () => {
  it('adds --resume and drops --overwrite', () => {
    expect(resumeHint(['run', 'in.jsonl', '--overwrite', '-m', 'mock'])).toBe('llm-batch run in.jsonl -m mock --resume');
  });

  it('never prints a Redis password', () => {
    const command = resumeHint(['run', 'in.jsonl', '--redis', 'redis://:hunter2@cache:6379', '--shard', '1/2']);
    expect(command).toBe("llm-batch run in.jsonl --redis 'redis://:***@cache:6379' --shard 1/2 --resume");
    expect(resumeHint(['run', 'x', '--redis=redis://u:hunter2@cache'])).not.toContain('hunter2');
    expect(resumeHint(['run', 'x', '--redis', 'redis://cache:6379'])).toContain('--redis redis://cache:6379');
  });
});
