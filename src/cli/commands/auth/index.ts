import { tokenAddCommand, tokenListCommand, tokenRevokeCommand } from './token.js';
import { userAddCommand, userDisableCommand, userEnableCommand, userListCommand, userPasswdCommand, userRoleCommand, userUnlockCommand } from './user.js';

/** Accounts and API tokens. */
export const authCommands = [
  userAddCommand,
  userListCommand,
  userPasswdCommand,
  userDisableCommand,
  userEnableCommand,
  userUnlockCommand,
  userRoleCommand,
  tokenAddCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
