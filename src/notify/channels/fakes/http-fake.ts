/** Test-only: the HTTP server the channel fakes build on lives in src/shared/fakes, where fakes of every layer reach it. */
export * from '../../../shared/fakes/http-fake.js';
