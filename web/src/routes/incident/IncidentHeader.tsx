// Incident header: level (colour + text + icon), provisional flag, state, systems, deciding rule, next level; and
// where the response stands: which outage, a flapping alert, a "restored" awaiting the monitoring, a person's
// claim the monitoring contradicts (a red banner), an assumed scope with its "confirm" button.
import { ExclamationCircleFilled, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { PERM } from '../../api/permissions';
import { TALLY_CATEGORIES, type Incident } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { LongText } from '../../components/LongText';
import { SystemName } from '../../components/Names';
import { RuleTag } from '../../components/RuleTag';
import { IncidentStateTag } from '../../components/StateTags';
import { SystemStateTag } from '../../components/SystemStatus';
import { refreshNow } from '../../hooks/live';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { useSession } from '../../hooks/useSession';
import { useTimelineText } from '../../hooks/useTimelineText';
import { formatShortTime, formatTime } from '../../lib/format';
import { activeContradiction } from '../../lib/response';

/** The scope as recorded; while it is the plan's default nobody confirmed, says so and offers to confirm it as it is. */
function ScopeValue({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!incident.scope) return <>—</>;
  const scope = t(`scope.${incident.scope}`, incident.scope);
  if (!incident.scopeAssumed) return <span data-testid="incident-scope">{scope}</span>;
  const confirm = async () => {
    setBusy(true);
    try {
      // confirming is recording the same scope: the server notes impact.scope_confirmed
      await api.impact(incident.id, { scope: incident.scope });
      message.success(t('incident.scopeConfirmed'));
      refreshNow();
    } catch {
      /* the error reporter shows it */
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space size={6} wrap>
      <span data-testid="incident-scope" data-assumed="true">
        {scope}
        {t('tl.paren', { text: t('incident.scopeAssumed') })}
      </span>
      {can(PERM.incidentImpact) && incident.state !== 'closed' && (
        <Button size="small" type="primary" ghost loading={busy} onClick={() => void confirm()} data-testid="scope-confirm">
          {t('incident.scopeConfirm')}
        </Button>
      )}
    </Space>
  );
}

/** Which outage, a flapping alert, a "restored" that the monitoring has yet to confirm. */
function ResponseTags({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  return (
    <>
      {incident.outage >= 2 && (
        <Tag color="volcano" data-testid="incident-outage" data-outage={incident.outage}>
          {t('incident.outage', { n: incident.outage })}
        </Tag>
      )}
      {incident.flapping && (
        <Tooltip title={t('incident.flappingHelp', { time: formatShortTime(Date.parse(incident.flapping.since)), count: incident.flapping.reopens })}>
          <Tag color="orange" icon={<SyncOutlined />} data-testid="incident-flapping" data-reopens={incident.flapping.reopens}>
            {t('incident.flapping', { count: incident.flapping.reopens })}
          </Tag>
        </Tooltip>
      )}
    </>
  );
}

export function IncidentHeader({ incident, actions }: { incident: Incident; actions: ReactNode }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const scenario = plan?.scenarios.find((s) => s.id === incident.scenario);
  const tallies = TALLY_CATEGORIES.filter((c) => incident.tallies?.[c] != null);
  const tl = useTimelineText();
  const contradiction = activeContradiction(incident.timeline);
  const claim = incident.recoveryClaim;
  return (
    <Card size="small" data-testid="incident-header">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap align="center">
          <LevelBadge level={incident.level} provisional={incident.provisional} size="large" />
          <IncidentStateTag state={incident.state} />
          <ResponseTags incident={incident} />
          <Typography.Text type="secondary" copyable={{ text: incident.id }} style={{ fontSize: 12 }} data-testid="incident-ref">
            {t('forms.incidentRef')}
          </Typography.Text>
        </Space>
        {/* a monitoring summary can be very long: two lines, the whole text on hover or tap */}
        <LongText text={incident.title} rows={2} level={3} data-testid="incident-title" />
        {contradiction && (
          <Alert
            type="error"
            showIcon
            icon={<ExclamationCircleFilled />}
            data-testid="contradiction-banner"
            title={<strong>{t('incident.contradiction')}</strong>}
            description={tl.contradiction(contradiction)}
          />
        )}
        {claim && <Alert type="info" showIcon data-testid="recovery-claim" title={t('incident.recoveryClaim', { by: tl.actor(claim.by), time: formatShortTime(Date.parse(claim.at)) })} />}
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered={false}>
          <Descriptions.Item label={t('incident.decidedBy')}>
            <RuleTag rule={incident.decidedBy} showText />
          </Descriptions.Item>
          <Descriptions.Item label={t('incident.nextLevel')}>
            {incident.nextChange ? (
              <Space size={4} wrap>
                → {t(`level.short.${incident.nextChange.level}`, incident.nextChange.level)}
                <RuleTag rule={incident.nextChange.rule} />
                <Countdown at={incident.nextChange.at} neutral />
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('incident.detectedAt')}>
            <span className="tabular">{formatTime(incident.detectedAt)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('impact.scope')}>
            <ScopeValue incident={incident} />
          </Descriptions.Item>
          <Descriptions.Item label={t('impact.scenario')}>{scenario ? pick(scenario.name) : (incident.scenario ?? '—')}</Descriptions.Item>
          <Descriptions.Item label={t('impact.tallies')}>{tallies.length ? tallies.map((c) => `${t(`tally.${c}`)} ${incident.tallies[c]}`).join(' · ') : '—'}</Descriptions.Item>
          {incident.closedAt && <Descriptions.Item label={t('incident.closedAt')}>{formatTime(incident.closedAt)}</Descriptions.Item>}
        </Descriptions>
        <Space wrap size={[12, 6]} data-testid="incident-systems">
          {incident.systems.map((s) => (
            <span key={`${s.system}:${s.component ?? ''}`} data-system={s.system} style={{ maxWidth: '100%', overflowWrap: 'anywhere' }}>
              <strong>
                <SystemName id={s.system} withId />
              </strong>
              {s.component ? ` / ${s.component}` : ''} <SystemStateTag state={s.state} />
            </span>
          ))}
          {incident.flags.map((f) => {
            const since = incident.flagsSince?.[f];
            return (
              <Tag key={f} data-testid="incident-flag" data-flag={f}>
                {t(`flag.${f}`, f)}
                {since && <span style={{ opacity: 0.7 }}>{` · ${t('incident.flagSince', { time: formatShortTime(Date.parse(since)) })}`}</span>}
              </Tag>
            );
          })}
        </Space>
        {actions}
      </Space>
    </Card>
  );
}
