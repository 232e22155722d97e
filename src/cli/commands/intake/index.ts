import { sourceAddCommand } from './source-add.js';
import { sourceListCommand } from './source-list.js';
import { sourceRevokeCommand } from './source-revoke.js';

/** Intake's CLI commands, one file each. */
export const sourceCommands = [sourceAddCommand, sourceListCommand, sourceRevokeCommand];
