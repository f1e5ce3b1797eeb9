import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from './errors.js';

export interface Limiter {
  /** Counts one attempt for each key; throws TooManyRequestsError (429, Retry-After) past the limit. */
  consume(...keys: string[]): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Fixed-window limits kept in memory (one instance); a shared store can replace it in server mode. */
export function createLimiter(points: number, durationSeconds: number): Limiter {
  const limiter = new RateLimiterMemory({ points, duration: durationSeconds });
  return {
    async consume(...keys) {
      for (const key of keys) {
        try {
          await limiter.consume(key);
        } catch (e) {
          if (e instanceof RateLimiterRes) throw new TooManyRequestsError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
          throw e;
        }
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
