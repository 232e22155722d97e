// Entry of the intake journal's threads (reader-thread.ts, writer-thread.ts). Node 20 does not hand
// the main thread's TypeScript loader to worker threads, so a thread registers tsx itself before loading
// its module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
