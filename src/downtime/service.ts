import type { DowntimeContext } from './context.js';

export { openForClose } from './sessions.js';

/** The downtime module's context, built once by the composition root (which also wires `openForClose` as the close gate). */
export function downtimeContext(deps: DowntimeContext): DowntimeContext {
  return { ...deps, publicUrl: deps.publicUrl.replace(/\/+$/, '') };
}
