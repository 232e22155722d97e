import { openPlatform } from '../../cli/context.js';
import type { Platform } from '../../platform.js';
import { SourceStore } from '../sources.js';

/** Runs `job` with the sources of the configured database (the same one the server uses), then closes it. */
export async function withSources<T>(job: (sources: SourceStore, p: Platform) => Promise<T>): Promise<T> {
  const p = await openPlatform();
  try {
    return await job(new SourceStore(p.db, p.clock, p.plan), p);
  } finally {
    await p.stop();
  }
}
