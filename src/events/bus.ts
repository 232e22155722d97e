import { EventEmitter } from 'node:events';

/** A change that screens and workers may want to know about; published after its transaction commits. */
export interface ChangeEvent {
  type: string; // signal.stored | incident.opened | incident.updated | obligation.breached | …
  incidentId?: string;
  /** A drill run's events (drill.started, drill.paused, drill.resumed, drill.ended: src/drills). */
  runId?: string;
  at: number;
  /** Set on an event another node published (cluster mode: src/app/pg-bridge.ts re-publishes it here). */
  node?: string;
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
