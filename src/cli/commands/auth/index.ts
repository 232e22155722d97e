import { tokenAddCommand, tokenListCommand, tokenRevokeCommand } from './token.js';
import { userAddCommand, userDisableCommand, userEnableCommand, userLinkCommand, userListCommand, userPasswdCommand, userRoleCommand, userUnlinkCommand, userUnlockCommand } from './user.js';

/** Accounts and API tokens. */
export const authCommands = [
  userAddCommand,
  userListCommand,
  userPasswdCommand,
  userDisableCommand,
  userEnableCommand,
  userUnlockCommand,
  userRoleCommand,
  userLinkCommand,
  userUnlinkCommand,
  tokenAddCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
