import type { CliCommand } from '../../command.js';
import { backupCommand } from './backup.js';
import { restoreCommand } from './restore.js';

export const backupCommands: CliCommand[] = [backupCommand, restoreCommand];
