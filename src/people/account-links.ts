/**
 * Which person of the directory a sign-in account belongs to, found by the account's user name: a person's 工号
 * (in any case) or mobile number. An account is linked only when exactly one person matches and no other account
 * claims that person; anything else links nothing and is reported, for an administrator to settle
 * (`PATCH /api/v1/accounts/:id`, `lifeline user link`). Runs after a roster import and when an account is created.
 */
import type { Db } from '../storage/index.js';

export interface AccountLink {
  username: string;
  person: { id: string; name: string };
  by: 'employee_no' | 'mobile';
}

export interface AccountLinkIssue {
  username: string;
  people: { id: string; name: string }[];
  message: string;
}

export interface AccountLinking {
  linked: AccountLink[];
  /** Accounts left unlinked although someone matched (several people, or a person another account claims). */
  unlinked: AccountLinkIssue[];
}

const digits = (text: string) => text.replace(/[\s\-()]/g, '');

/** Links every unlinked account (or only those named) whose user name names exactly one person. */
export async function linkAccounts(db: Db, only?: { accountIds: string[] }): Promise<AccountLinking> {
  let accounts = db.selectFrom('auth_users').select(['id', 'username']).where('person_id', 'is', null);
  if (only) {
    if (only.accountIds.length === 0) return { linked: [], unlinked: [] };
    accounts = accounts.where('id', 'in', only.accountIds);
  }
  const [open, people, taken] = await Promise.all([
    accounts.execute(),
    db.selectFrom('people').select(['id', 'name', 'employee_no', 'mobile']).where('active', '=', 1).execute(),
    db.selectFrom('auth_users').select(['username', 'person_id']).where('person_id', 'is not', null).execute(),
  ]);
  const result: AccountLinking = { linked: [], unlinked: [] };
  if (open.length === 0) return result;
  const byEmployeeNo = new Map(people.filter((p) => p.employee_no).map((p) => [p.employee_no!.toLowerCase(), p]));
  const claimedBy = new Map(taken.map((t) => [t.person_id!, t.username]));
  const proposals: { account: (typeof open)[number]; link: AccountLink }[] = [];
  for (const account of open) {
    const byNo = byEmployeeNo.get(account.username);
    const byMobile = people.filter((p) => p.mobile && digits(p.mobile) === digits(account.username));
    const matches = [...new Map([...(byNo ? [byNo] : []), ...byMobile].map((p) => [p.id, { id: p.id, name: p.name }])).values()];
    if (matches.length === 0) continue;
    if (matches.length > 1) {
      result.unlinked.push({ username: account.username, people: matches, message: `${matches.length} people match the user name ${account.username} (工号 or mobile): link it by hand` });
      continue;
    }
    const other = claimedBy.get(matches[0].id);
    if (other) {
      result.unlinked.push({ username: account.username, people: matches, message: `${matches[0].name} is already linked to the account ${other}` });
      continue;
    }
    proposals.push({ account, link: { username: account.username, person: matches[0], by: byNo ? 'employee_no' : 'mobile' } });
  }
  for (const { account, link } of proposals) {
    const rivals = proposals.filter((p) => p.link.person.id === link.person.id);
    if (rivals.length > 1) {
      result.unlinked.push({
        username: account.username,
        people: [link.person],
        message: `${rivals.length} accounts match ${link.person.name} (${rivals.map((r) => r.account.username).join(', ')}): link one by hand`,
      });
      continue;
    }
    await db.updateTable('auth_users').set({ person_id: link.person.id }).where('id', '=', account.id).where('person_id', 'is', null).execute();
    result.linked.push(link);
  }
  return result;
}
