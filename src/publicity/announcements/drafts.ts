/**
 * Drafts prepared automatically: when an obligation that names an announcement template (`announcement:` in the
 * plan: O2.4, O1.3, OR.1) starts, a draft of that template exists for it, filled from the incident — exactly one per
 * obligation instance (the unique `draft_key` obligation:<id>). When an incident closes after an announcement was
 * published and no all-clear was drafted, an all-clear is drafted too (all_clear:<incident id>). A draft nobody has
 * edited follows the services its incident touches. Idempotent: run it as often as you like (on the engine's
 * events, at start, by hand).
 */
import type { AnnouncementTemplate, Plan, PublicChannelKind } from '../../plan/types.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../../storage/index.js';
import { affectedServices, systemStatesOf } from '../status/services.js';
import type { AffectedService } from '../status/types.js';
import type { PublicityConfig } from './config.js';
import { draftTexts } from './render.js';

export interface DraftDeps {
  db: Db;
  plan: Plan;
  now: () => number;
  config: () => PublicityConfig;
  statusUrl: () => string;
  timezone: string;
}

/** The template of each obligation rule that names one. */
export const linkedRules = (plan: Plan): Map<string, AnnouncementTemplate> => {
  const templates = new Map((plan.announcement_templates ?? []).map((t) => [t.id, t]));
  const out = new Map<string, AnnouncementTemplate>();
  for (const o of plan.obligations) {
    const t = o.announcement ? templates.get(o.announcement) : undefined;
    if (t) out.set(o.id, t);
  }
  return out;
};

/**
 * The patient services an incident touches. During the outage: the services its systems' states make down, degraded
 * or recovering; for an all-clear: every service any of its systems touched (they are back now).
 */
export async function servicesOf(deps: Pick<DraftDeps, 'db' | 'plan'>, incidentId: string, allClear: boolean): Promise<AffectedService[]> {
  const incident = await deps.db.selectFrom('incidents').select(['state']).where('id', '=', incidentId).executeTakeFirst();
  if (!incident) return [];
  const systems = await deps.db.selectFrom('incident_systems').select(['system', 'state']).where('incident_id', '=', incidentId).execute();
  return servicesFrom(deps.plan, incident.state, systems, allClear);
}

function servicesFrom(plan: Plan, incidentState: string, systems: { system: string; state: string }[], allClear: boolean): AffectedService[] {
  const states = allClear ? systems.map((s) => ({ system: s.system, state: 'down' as const })) : systemStatesOf([{ state: incidentState, systems }]);
  return affectedServices(plan, states).filter((s) => s.state !== 'normal');
}

/** The texts of a draft of `template` naming these services, the incident detected at `since`. */
const textsOf = (deps: DraftDeps, template: AnnouncementTemplate, services: AffectedService[], since: number) =>
  draftTexts(template, { services, since, expectedRecoveryAt: null, hospital: deps.config().hospital, statusUrl: deps.statusUrl(), timezone: deps.timezone });

/** A new draft row of `template` for an incident, filled from it. */
export async function draftRow(deps: DraftDeps, template: AnnouncementTemplate, incidentId: string, by: string, link: { key: string | null; obligationId: string | null; ruleId: string | null }) {
  const incident = await deps.db.selectFrom('incidents').select(['detected_at']).where('id', '=', incidentId).executeTakeFirstOrThrow();
  const services = await servicesOf(deps, incidentId, template.kind === 'all_clear');
  const texts = textsOf(deps, template, services, Number(incident.detected_at));
  const now = deps.now();
  return {
    id: newId('ann_'),
    draft_key: link.key,
    incident_id: incidentId,
    obligation_id: link.obligationId,
    rule_id: link.ruleId,
    template_id: template.id,
    kind: template.kind,
    state: 'draft',
    channels: JSON.stringify(template.channels satisfies PublicChannelKind[]),
    services: JSON.stringify(services.map((s) => s.id)),
    title_zh: texts.title.zh,
    body_zh: texts.body.zh,
    title_en: texts.title.en ?? null,
    body_en: texts.body.en ?? null,
    expected_recovery_at: null,
    created_at: now,
    created_by: by,
    updated_at: now,
    updated_by: by,
    revision: 1,
    approved_at: null,
    approved_by: null,
    withdrawn_at: null,
    withdrawn_by: null,
    withdraw_reason: null,
  };
}

/** Prepares every missing automatic draft; returns the incidents that got one. */
export async function prepareDrafts(deps: DraftDeps): Promise<string[]> {
  const rules = linkedRules(deps.plan);
  const touched = new Set<string>();
  if (rules.size > 0) {
    const due = await deps.db
      .selectFrom('obligations')
      .innerJoin('incidents', 'incidents.id', 'obligations.incident_id')
      .select(['obligations.id', 'obligations.rule_id', 'obligations.incident_id', 'incidents.state'])
      .where('obligations.rule_id', 'in', [...rules.keys()])
      .where('incidents.drill_run_id', 'is', null) // a drill tells patients nothing
      .where('obligations.state', 'in', ['pending', 'breached'])
      .where('obligations.met_at', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('announcements').select('announcements.id').whereRef('announcements.obligation_id', '=', 'obligations.id'))))
      .execute();
    for (const o of due) {
      const template = rules.get(o.rule_id)!;
      if (o.state === 'closed' && template.kind !== 'all_clear') continue; // nothing to tell patients about a closed outage but that it is over
      const row = await draftRow(deps, template, o.incident_id!, 'system', { key: `obligation:${o.id}`, obligationId: o.id, ruleId: o.rule_id });
      const r = await deps.db
        .insertInto('announcements')
        .values(row)
        .onConflict((oc) => oc.column('draft_key').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) touched.add(o.incident_id!);
    }
  }
  // an incident closed after patients were told of it (and no all-clear was drafted): they are told it is over
  const allClear = (deps.plan.announcement_templates ?? []).find((t) => t.kind === 'all_clear');
  if (allClear) {
    const since = deps.now() - 7 * 24 * 3600_000;
    const closed = await deps.db
      .selectFrom('incidents')
      .select('incidents.id')
      .where('incidents.state', '=', 'closed')
      .where('incidents.closed_at', '>=', since)
      .where('incidents.drill_run_id', 'is', null)
      .where((eb) =>
        eb.and([
          eb.exists(
            eb
              .selectFrom('announcements')
              .select('announcements.id')
              .whereRef('announcements.incident_id', '=', 'incidents.id')
              .where('announcements.state', '=', 'published')
              .where('announcements.kind', '!=', 'all_clear'),
          ),
          eb.not(eb.exists(eb.selectFrom('announcements').select('announcements.id').whereRef('announcements.incident_id', '=', 'incidents.id').where('announcements.kind', '=', 'all_clear'))),
        ]),
      )
      .execute();
    for (const c of closed) {
      const row = await draftRow(deps, allClear, c.id, 'system', { key: `all_clear:${c.id}`, obligationId: null, ruleId: null });
      const r = await deps.db
        .insertInto('announcements')
        .values(row)
        .onConflict((oc) => oc.column('draft_key').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) touched.add(c.id);
    }
  }
  for (const id of await refillUntouchedDrafts(deps)) touched.add(id);
  return [...touched];
}

/**
 * An automatic draft nobody has edited yet follows its incident: when the services it touches change (another
 * system goes down), its texts are made again and its revision goes up, so an approval of the older text is
 * refused (ANNOUNCEMENT_EDITED). A draft a person edited keeps their words. Returns the incidents touched.
 */
async function refillUntouchedDrafts(deps: DraftDeps): Promise<string[]> {
  const templates = new Map((deps.plan.announcement_templates ?? []).map((t) => [t.id, t]));
  const drafts = await deps.db
    .selectFrom('announcements')
    .innerJoin('incidents', 'incidents.id', 'announcements.incident_id')
    .select(['announcements.id', 'announcements.incident_id', 'announcements.template_id', 'announcements.services', 'announcements.revision', 'incidents.state', 'incidents.detected_at'])
    .where('announcements.state', '=', 'draft')
    .where('announcements.updated_by', '=', 'system')
    .where('announcements.kind', '!=', 'all_clear')
    .where('incidents.state', '!=', 'closed')
    .execute();
  if (drafts.length === 0) return [];
  // the systems of every incident concerned in one query: this runs after each burst of incident events
  const incidentIds = [...new Set(drafts.map((d) => d.incident_id!))];
  const rows = await deps.db.selectFrom('incident_systems').select(['incident_id', 'system', 'state']).where('incident_id', 'in', incidentIds).execute();
  const systemsOf = new Map<string, typeof rows>();
  for (const r of rows) systemsOf.set(r.incident_id, [...(systemsOf.get(r.incident_id) ?? []), r]);
  const touched: string[] = [];
  for (const d of drafts) {
    const template = templates.get(d.template_id);
    if (!template || !d.incident_id) continue;
    const services = servicesFrom(deps.plan, d.state, systemsOf.get(d.incident_id) ?? [], false);
    const ids = JSON.stringify(services.map((x) => x.id));
    if (services.length === 0 || ids === d.services) continue; // nothing new to say (a recovering system keeps the text)
    const texts = textsOf(deps, template, services, Number(d.detected_at));
    const r = await deps.db
      .updateTable('announcements')
      .set({ services: ids, title_zh: texts.title.zh, body_zh: texts.body.zh, title_en: texts.title.en ?? null, body_en: texts.body.en ?? null, updated_at: deps.now(), revision: d.revision + 1 })
      .where('id', '=', d.id)
      .where('revision', '=', d.revision) // a person's edit in between wins
      .where('updated_by', '=', 'system')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) touched.push(d.incident_id);
  }
  return touched;
}
