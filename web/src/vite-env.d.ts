/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" in `vite` dev mode only: answer /api/v1 from an in-browser fixture instead of the server. Ignored in builds. */
  readonly VITE_LIFELINE_FIXTURE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
