/** Intake's public face for the rest of Lifeline: routes (src/http/extensions.ts), engine hooks (start), CLI. */
export { intakeRoutes } from './routes.js';
export { intakeHooks, DEFAULT_NOISE, type NoiseOptions } from './noise.js';
export { intakeService, IntakeService } from './service.js';
