export { grade } from './grade.js';
export type { Grade, IncidentFacts } from './facts.js';
