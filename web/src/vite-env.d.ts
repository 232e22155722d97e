/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" in `vite` dev mode only: answer /api/v1 from an in-browser fixture instead of the server. Ignored in builds. */
  readonly VITE_LIFELINE_FIXTURE?: string;
  /** "1" in `vite` dev mode only: if GET /api/v1/session is 404 (server without auth yet), act as a dev user with "*". */
  readonly VITE_LIFELINE_DEV_USER?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
