import { openPlatform } from '../../context.js';
import type { Lifeline } from '../../../app/compose.js';
import type { SourceStore } from '../../../intake/sources.js';

/** Runs `job` with the sources of the configured database (the same one the server uses), then closes it. */
export async function withSources<T>(job: (sources: SourceStore, p: Lifeline) => Promise<T>): Promise<T> {
  const p = await openPlatform();
  try {
    return await job(p.intake.sources, p);
  } finally {
    await p.stop();
  }
}
