/** Intake's public face for the rest of Lifeline: routes (src/http/extensions.ts), noise control (the engine's suppress hook), the service. */
export { intakeRoutes } from './routes.js';
export { noiseControl, DEFAULT_NOISE, type NoiseOptions } from './noise.js';
export { IntakeService, type IntakeDeps } from './service.js';
