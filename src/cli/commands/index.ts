import type { CliCommand } from '../command.js';
import { planCheckCommand, planShowCommand } from './plan.js';
import { planTestCommand } from './plan-test.js';
import { simulateCommand } from './simulate.js';
import { startCommand } from './start.js';
import { sourceCommands } from './intake/index.js';
import { authCommands } from './auth/index.js';
import { kitExportCommand } from './kit.js';
import { downtimeExportCommand } from './downtime.js';
import { peopleCommands } from './people/index.js';
import { notifyCommands } from './notify/index.js';
import { auditCommands } from './audit/index.js';
import { backupCommands } from './backup/index.js';
import { statusExportCommand } from './status.js';
import { drillCommands } from './drill.js';

/** Every CLI command. Adding one: a file in this folder and one line here. */
export const commands: CliCommand[] = [
  startCommand,
  planCheckCommand,
  planShowCommand,
  planTestCommand,
  simulateCommand,
  ...sourceCommands,
  ...authCommands,
  kitExportCommand,
  downtimeExportCommand,
  ...peopleCommands,
  ...notifyCommands,
  ...auditCommands,
  ...backupCommands,
  statusExportCommand,
  ...drillCommands,
];
