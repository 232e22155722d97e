// `lifeline drill start` writes a run to the database; a running `lifeline start` picks it up within about a second
// and injects it: the on-call technician's page reaches a webhook, marked 【演练】.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';
import { lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

describe('lifeline drill start against a running server', () => {
  let server: RunningServer;
  let receiver: RecordingServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    receiver = await startRecordingServer(() => '{"ok":true}');
    const dataDir = tempDir('lifeline-drills-cli-');
    fs.writeFileSync(path.join(dataDir, 'notify.yaml'), ['channels:', '  hook:', '    kind: webhook', `    config: { url: "${receiver.url}/page" }`, 'routing:', '  default: [hook]'].join('\n'));
    env = { LIFELINE_DATA_DIR: dataDir };
    await lifeline(env, ['people', 'import', 'docs/samples/roster.xlsx']);
    server = await startServer(env);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('the server injects the CLI-started drill; its page starts with 【演练】', async () => {
    const out = await lifeline(env, ['drill', 'start', 'scenarios/drills/his-database-down.yaml', '--time-factor', '60']);
    expect(out).toContain('a running Lifeline server injects');
    const runId = out.trimEnd().split('\n').at(-1)!;
    expect(runId).toMatch(/^drr_/);
    const deadline = Date.now() + 60_000;
    let drillPage: { subject: string; text: string } | undefined;
    while (!drillPage && Date.now() < deadline) {
      drillPage = receiver.received.map((r) => JSON.parse(r.body) as { subject: string; text: string }).find((b) => b.text.startsWith('【演练】'));
      if (!drillPage) await new Promise((r) => setTimeout(r, 250));
    }
    expect(drillPage?.subject).toMatch(/^【演练】/);
    expect(await lifeline(env, ['drill', 'list'])).toContain(runId);
    expect(await lifeline(env, ['drill', 'end', runId])).toContain('drill ended');
  }, 120_000);
});
