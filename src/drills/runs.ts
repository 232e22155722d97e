/**
 * Drill runs: a scenario (the `simulate` format) injected into the live engine on real time. Only what the world
 * does is injected — `signal`, `impact` and `open` steps, at their offsets divided by the run's time factor,
 * measured from the start and shifted by the time spent paused; `action` and `expect` steps are the model answer
 * (`lifeline plan test` plays them), since people act in a drill. The schedule is the run's row: after a restart
 * each running run goes on from `next_step`, and steps whose time passed meanwhile are injected at once, in order.
 */
import type { ImpactChange } from '../incidents/types.js';
import type { Scenario, Step } from '../scenarios/scenario.js';
import type { DrillRunsTable } from '../storage/index.js';

export const RUN_STATES = ['running', 'paused', 'ended'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** The steps a drill injects, in the order they fall due (steps at the same offset keep the scenario's order). */
export function injectedSteps(scenario: Scenario): Step[] {
  return scenario.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.signal || step.impact || step.open)
    .sort((a, b) => a.step.at - b.step.at || a.index - b.index)
    .map(({ step }) => step);
}

/** The real instant a scenario offset falls due in a run (the scenario's time divided by the factor, shifted by pauses). */
export function dueAt(run: Pick<DrillRunsTable, 'started_at' | 'paused_ms' | 'time_factor'>, offsetMs: number): number {
  return Number(run.started_at) + Number(run.paused_ms) + Math.round(offsetMs / Number(run.time_factor));
}

/** The impact change of an `impact` step, its `since` brought to the run's real time. */
export function impactOf(step: NonNullable<Step['impact']>, run: Pick<DrillRunsTable, 'started_at' | 'paused_ms' | 'time_factor'>): ImpactChange {
  const { system: _system, since, ...impact } = step;
  return { ...impact, ...(since !== undefined ? { since: dueAt(run, since) } : {}) };
}
