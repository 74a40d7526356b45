import type Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';

/**
 * Housekeeping for the clustered request limiter, because its keys never expire (see
 * `redis-limiter-options.ts`) and so nothing left behind by a process that died would ever go away:
 *
 * - Concurrency slots. Bottleneck counts a running job against `maxConcurrent` until its process frees
 *   it; it drops silent clients only once they hold no slots. A process killed mid-request (OOM, kill -9,
 *   a lost machine) would shrink the account's concurrency for good. Jobs of clients silent for
 *   `DEAD_CLIENT_MS` are marked expired, and bottleneck's next tick (any heartbeat) frees them. A process
 *   that stops cleanly gives back at once the slots of jobs bottleneck dropped without freeing.
 * - The 429 pause. A pause is the shared reservoir set to 0 and lifted by the process that set it. Every
 *   pause also leaves a marker key that expires when the pause should end; a reservoir still 0 with no
 *   marker is a pause whose owner is gone (or stopped mid-pause), and is lifted.
 *
 * Every process sweeps, at start and every `UPKEEP_INTERVAL_MS`; a sweep is one small Lua script, atomic,
 * so it cannot lift a pause that begins concurrently (markers are written before the reservoir goes to 0).
 * Clocks: bottleneck stamps `last seen` with each client's clock, so hosts must agree within seconds (NTP).
 */

/** Heartbeats run every 100 ms: a client silent this long is gone (or frozen far beyond any request). */
export const DEAD_CLIENT_MS = 30_000;
/** How often each process sweeps. */
export const UPKEEP_INTERVAL_MS = 5_000;
/** A pause marker outlives its pause by this much: the pausing process lets held jobs out, spaced. */
export const PAUSE_MARKER_GRACE_MS = 5_000;

const SWEEP_SCRIPT = `
local reaped = 0
local dead = redis.call('zrangebyscore', KEYS[4], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if #dead > 0 then
  local is_dead = {}
  for _, client in ipairs(dead) do is_dead[client] = true end
  local jobs = redis.call('hgetall', KEYS[2])
  for i = 1, #jobs, 2 do
    if is_dead[jobs[i + 1]] then
      redis.call('zadd', KEYS[3], 0, jobs[i])
      reaped = reaped + 1
    end
  end
end
local lifted = 0
if redis.call('hget', KEYS[1], 'reservoir') == '0' and redis.call('exists', KEYS[5]) == 0 then
  redis.call('hset', KEYS[1], 'reservoir', '')
  lifted = 1
end
return {reaped, lifted}
`;

/** ARGV: a client id. Marks its jobs expired: a stopping process gives back slots of jobs it dropped. */
const RELEASE_SCRIPT = `
local released = 0
local jobs = redis.call('hgetall', KEYS[2])
for i = 1, #jobs, 2 do
  if jobs[i + 1] == ARGV[1] then
    redis.call('zadd', KEYS[3], 0, jobs[i])
    released = released + 1
  end
end
return released
`;

/** Extends the marker, never shortens it: another process's longer pause must keep its marker. */
const MARK_SCRIPT = `
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('set', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
`;

/** What one sweep did. */
export interface SweepResult {
  /** Jobs of dead clients marked expired. */
  reaped: number;
  /** Whether an orphaned pause was lifted. */
  lifted: boolean;
}

/** Redis keys bottleneck 2.19.5 keeps for a limiter id (`Scripts.allKeys`), plus our pause marker. */
export function requestLimiterKeys(id: string): string[] {
  const prefix = `b_${id}`;
  return [
    `${prefix}_settings`,
    `${prefix}_job_clients`,
    `${prefix}_job_expirations`,
    `${prefix}_client_last_seen`,
    `${prefix}_llm_batch_pause`,
  ];
}

/** Runs one sweep for the request limiter `id` (exported for tests). */
export async function sweepRequestLimiter(client: Redis, id: string, now: number): Promise<SweepResult> {
  const keys = requestLimiterKeys(id);
  const [reaped, lifted] = (await client.eval(SWEEP_SCRIPT, keys.length, ...keys, now, DEAD_CLIENT_MS)) as [number, number];
  return { reaped, lifted: lifted === 1 };
}

/** The periodic sweep and the pause marker for one clustered request limiter. */
export class RedisUpkeep {
  private readonly timer: NodeJS.Timeout;
  private readonly client: Promise<Redis>;
  /** Once connected: markers must be sent synchronously, ahead of the reservoir update that follows. */
  private ready: Redis | undefined;
  private readonly markerKey: string;

  /**
   * @param connection the limiters' shared connection
   * @param id the request limiter's bottleneck id
   * @param onError limiter errors go here (the run reports them as warnings)
   */
  constructor(
    connection: Bottleneck.IORedisConnection,
    private readonly id: string,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    // `ready` is a promise property at runtime (bottleneck's typings call it a method).
    const { ready } = connection as unknown as { ready: Promise<{ client: Redis }> };
    this.client = ready.then((clients) => (this.ready = clients.client));
    this.markerKey = requestLimiterKeys(id)[4];
    this.client.catch(onError);
    this.sweep();
    this.timer = setInterval(() => this.sweep(), UPKEEP_INTERVAL_MS);
    this.timer.unref();
  }

  /** Records that a pause lasts until `untilMs`. Call before setting the reservoir to 0. */
  markPaused(untilMs: number): void {
    const ttl = Math.max(1, Math.ceil(untilMs - this.now())) + PAUSE_MARKER_GRACE_MS;
    const mark = (client: Redis) => client.eval(MARK_SCRIPT, 1, this.markerKey, ttl);
    const sent = this.ready === undefined ? this.client.then(mark) : mark(this.ready);
    sent.catch(this.onError);
  }

  /**
   * Stops sweeping and gives back the slots `limiter` (this process's request limiter) still holds:
   * bottleneck's `stop({ dropWaitingJobs })` drops jobs that were registered but not started without
   * freeing them, and an interrupted run would otherwise hold them until swept as dead.
   */
  async stop(limiter?: Bottleneck): Promise<void> {
    clearInterval(this.timer);
    const clientId = (limiter as unknown as { _store?: { clientId?: unknown } } | undefined)?._store?.clientId;
    if (typeof clientId !== 'string' || this.ready === undefined) return;
    const keys = requestLimiterKeys(this.id);
    await this.ready.eval(RELEASE_SCRIPT, keys.length, ...keys, clientId).then(() => undefined, this.onError);
  }

  private sweep(): void {
    void this.client.then((client) => sweepRequestLimiter(client, this.id, this.now())).catch(this.onError);
  }
}
