// The plan's rules as tables, each row with its provenance (seed clause / typical / reg / inferred).
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Plan, PlanCriterion, PlanEscalation, PlanObligation, PlanSystem, LevelId } from '../../api/types';
import { LevelBadge } from '../../components/LevelBadge';
import { RoleName } from '../../components/Names';
import { ProvTag } from '../../components/ProvTag';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { formatCondition, formatIsoDuration } from '../../lib/format';
import { conditionText, type PlanWordHelpers, triggerText } from '../../lib/plan-words';

/** The plan's rules in words of the UI language (lib/plan-words.ts), names from the plan. */
function usePlanWords(plan: Plan): PlanWordHelpers {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  const { role, system } = usePlan();
  return {
    t: (key, options) => String(t(key, options ?? {})),
    exists: (key) => i18n.exists(key),
    roleName: (id) => {
      const r = role(id) ?? plan.roles.find((x) => x.id === id) ?? plan.groups.find((g) => g.id === id);
      return r ? pick(r.name) : undefined;
    },
    systemName: (id) => {
      const s = system(id) ?? plan.systems.find((x) => x.id === id);
      return s ? pick(s.name) : undefined;
    },
    duration: (iso) => formatIsoDuration(iso, t),
    escalationNumber: (id) => {
      const n = plan.escalations.findIndex((e) => e.id === id);
      return n >= 0 ? n + 1 : undefined;
    },
    obligationName: (id) => {
      const o = plan.obligations.find((x) => x.id === id);
      return o ? `“${pick(o.action)}”` : undefined;
    },
    language: i18n.language,
  };
}

function durationText(d: unknown, t: ReturnType<typeof useTranslation>['t']): string {
  if (d == null) return '—';
  if (typeof d === 'string') return formatIsoDuration(d, t);
  const o = d as Record<string, string>;
  if (o.gt) return `> ${formatIsoDuration(o.gt, t)}`;
  if (o.ge) return `≥ ${formatIsoDuration(o.ge, t)}`;
  return formatCondition(d);
}

export function CriteriaTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const rows = plan.levels.flatMap((l) => (l.criteria.length ? l.criteria : [{ id: '—', summary: { zh: '', en: '' }, prov: '', when: {} } satisfies PlanCriterion]).map((c) => ({ level: l, c })));
  return (
    <Table
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey={(r) => `${r.level.id}:${r.c.id}`}
      dataSource={rows}
      data-testid="plan-criteria"
      columns={[
        {
          title: t('incident.level'),
          key: 'level',
          render: (_, r) => (
            <span>
              <LevelBadge level={r.level.id as LevelId} size="small" /> {pick(r.level.name)}
            </span>
          ),
        },
        { title: t('plan.criterion'), key: 'id', render: (_, r) => <code>{r.c.id}</code> },
        { title: t('plan.summary'), key: 'summary', render: (_, r) => pick(r.c.summary) },
        { title: t('plan.duration'), key: 'duration', render: (_, r) => durationText(r.c.duration, t) },
        { title: t('plan.prov'), key: 'prov', render: (_, r) => <ProvTag prov={r.c.prov} /> },
      ]}
    />
  );
}

export function EscalationsTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const words = usePlanWords(plan);
  return (
    <Table<PlanEscalation>
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey="id"
      dataSource={plan.escalations}
      data-testid="plan-escalations"
      columns={[
        { title: t('plan.number'), key: 'n', render: (_, e, n) => <span title={e.id}>{n + 1}</span> },
        { title: t('plan.when'), key: 'when', render: (_, e) => conditionText(e.when, words) },
        { title: t('plan.then'), key: 'then', render: (_, e) => conditionText(e.then, words) },
        { title: t('plan.prov'), key: 'prov', render: (_, e) => <ProvTag prov={e.prov} /> },
      ]}
    />
  );
}

export function ObligationsPlanTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const words = usePlanWords(plan);
  const evidenceName = (id: string) => {
    const e = plan.evidence.find((x) => x.id === id);
    return e ? pick(e.name) : t(`timelineKind.action.${id}`, id);
  };
  return (
    <Table<PlanObligation>
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey="id"
      dataSource={plan.obligations}
      data-testid="plan-obligations"
      onRow={(o) => ({ 'data-testid': 'plan-obligation-row', 'data-rule-id': o.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('plan.number'), key: 'n', render: (_, o, n) => <span title={o.id}>{n + 1}</span> },
        { title: t('plan.trigger'), key: 'trigger', render: (_, o) => <span title={o.trigger}>{triggerText(o.trigger, words)}</span> },
        { title: t('obligation.actor'), key: 'actor', render: (_, o) => <RoleName id={o.actor} /> },
        { title: t('obligation.action'), key: 'action', render: (_, o) => pick(o.action) },
        {
          title: t('plan.within'),
          key: 'within',
          render: (_, o) => (o.within ? formatIsoDuration(o.within, t) : o.recurring ? t('plan.every', { d: formatIsoDuration(o.recurring, t) }) : '—'),
        },
        { title: t('plan.anchor'), key: 'anchor', render: (_, o) => (o.anchor ? t(`anchor.${o.anchor}`, o.anchor) : '—') },
        { title: t('plan.evidence'), key: 'evidence', render: (_, o) => (o.evidence ? evidenceName(o.evidence) : '—') },
        {
          title: t('plan.onBreach'),
          key: 'onBreach',
          render: (_, o) => (o.onBreach == null ? '—' : conditionText(o.onBreach, words)),
        },
        { title: t('plan.prov'), key: 'prov', render: (_, o) => <ProvTag prov={o.prov} /> },
      ]}
    />
  );
}

export function SystemsTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  return (
    <Table<PlanSystem>
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey="id"
      dataSource={plan.systems}
      data-testid="plan-systems"
      columns={[
        { title: t('plan.name'), key: 'name', render: (_, s) => <span title={s.id}>{pick(s.name)}</span> },
        { title: t('plan.category'), key: 'category', render: (_, s) => t(`category.${s.category}`, s.category) },
        { title: t('plan.patientFacing'), key: 'pf', render: (_, s) => (s.patientFacing ? <Tag color="blue">{t('common.yes')}</Tag> : '—') },
      ]}
    />
  );
}

export function RolesTable({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const rows = [
    ...plan.groups.map((g) => ({ id: g.id, name: pick(g.name), kind: t('plan.group'), lead: g.lead })),
    ...plan.roles.map((r) => ({ id: r.id, name: pick(r.name), kind: t('plan.role'), lead: '' })),
  ];
  return (
    <Table
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowKey={(r) => `${r.kind}:${r.id}`}
      dataSource={rows}
      data-testid="plan-roles"
      columns={[
        { title: t('plan.name'), key: 'name', render: (_, r) => <span title={r.id}>{r.name}</span> },
        { title: t('plan.kind'), key: 'kind', dataIndex: 'kind' },
        { title: t('plan.lead'), key: 'lead', render: (_, r) => (r.lead ? <RoleName id={r.lead} /> : '—') },
      ]}
    />
  );
}
