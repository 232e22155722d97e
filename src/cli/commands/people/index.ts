import { oncallGapsCommand } from './oncall-gaps.js';
import { oncallNowCommand } from './oncall-now.js';
import { peopleImportCommand } from './people-import.js';

export const peopleCommands = [peopleImportCommand, oncallNowCommand, oncallGapsCommand];
