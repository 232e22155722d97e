import { PERMISSIONS, ROLE_IDS, ROLES, grants, type Permission } from './roles.js';

/** The permissions × roles table of docs/security.md, from the one table in roles.ts (a test keeps them equal). */
export function permissionTable(): string {
  const head = `| permission | ${ROLE_IDS.join(' | ')} |`;
  const rule = `| --- | ${ROLE_IDS.map(() => ':-:').join(' | ')} |`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((p) => `| \`${p}\` — ${PERMISSIONS[p]} | ${ROLE_IDS.map((r) => (grants(ROLES[r].permissions, p) ? '✓' : '')).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

export function roleTable(): string {
  return [
    '| role | 中文 | grants | acts in the plan as |',
    '| --- | --- | --- | --- |',
    ...ROLE_IDS.map((r) => `| \`${r}\` | ${ROLES[r].label.zh} | ${ROLES[r].permissions.map((g) => `\`${g}\``).join(' ')} | ${ROLES[r].planRole ? `\`${ROLES[r].planRole}\`` : '— (never acts)'} |`),
  ].join('\n');
}
