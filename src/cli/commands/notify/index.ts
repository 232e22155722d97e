import { notifyTestCommand } from './notify-test.js';

export const notifyCommands = [notifyTestCommand];
