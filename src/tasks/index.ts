/** Incident tasks: the plan's group checklists instantiated per incident, with assignees and ticks. */
export { checklistRoutes } from './routes.js';
export { checklistService, type ChecklistGroupView, type ChecklistItemView } from './service.js';
export { checklistItemsFor, allChecklistItems, type ChecklistItem } from './items.js';
