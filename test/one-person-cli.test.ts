// `lifeline user add --person`, `user link` and `user unlink`: the CLI side of linking accounts to the people directory.
import { describe, expect, it } from 'vitest';
import { lifeline, tempDir } from './support/server.js';

const PASSWORD = 'a long admin passphrase 2026';

describe('linking accounts from the CLI (SQLite data dir)', () => {
  it('links on creation by 工号, links and unlinks by hand, and refuses a person already linked', async () => {
    const env = { LIFELINE_DATA_DIR: tempDir('lifeline-one-person-cli-') };
    await lifeline(env, ['people', 'import', 'docs/samples/roster.xlsx']);
    expect(await lifeline(env, ['user', 'add', '1001', '--role', 'technical', '--password-stdin'], `${PASSWORD}\n`)).toMatch(/linked to 张伟 \(per_\w+\) of the people directory/);
    expect(await lifeline(env, ['user', 'add', 'eng', '--role', 'technical', '--person', '13800000005', '--password-stdin'], `${PASSWORD}\n`)).toMatch(/linked to 陈静/);

    await expect(lifeline(env, ['user', 'link', 'eng', '1001'])).rejects.toThrow(/张伟 is already linked to the account 1001/);
    expect(await lifeline(env, ['user', 'link', 'eng', '王强'])).toMatch(/user eng linked to 王强/);
    expect(await lifeline(env, ['user', 'unlink', 'eng'])).toMatch(/user eng is linked to nobody/);
    expect(await lifeline(env, ['user', 'list', '--json'])).toMatch(/"username": "eng",[^}]*"person": null/);
  }, 300_000); // each command is a process opening the data dir
});
