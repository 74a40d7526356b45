/** Provider-looking ids (`chatcmpl-…`, `msg_…`, `req_…`) that are unique per server and cheap to make. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class IdSource {
  private counter = 0;
  // A per-server prefix keeps ids from two servers (or restarts) apart, like real random ids would be.
  private readonly prefix = randomToken(8);

  /** `prefix` + a unique suffix, e.g. `next('chatcmpl-')`. */
  next(prefix: string): string {
    this.counter++;
    return `${prefix}${this.prefix}${this.counter.toString(36).padStart(10, '0')}`;
  }
}

function randomToken(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return out;
}
