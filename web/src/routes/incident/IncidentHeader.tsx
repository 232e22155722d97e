// Incident header: level (colour + text + icon), provisional flag, state, systems, deciding rule, next level.
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TALLY_CATEGORIES, type Incident } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { SystemName } from '../../components/Names';
import { RuleTag } from '../../components/RuleTag';
import { IncidentStateTag } from '../../components/StateTags';
import { SystemStateTag } from '../../components/SystemStatus';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { formatTime } from '../../lib/format';

export function IncidentHeader({ incident, actions }: { incident: Incident; actions: ReactNode }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const scenario = plan?.scenarios.find((s) => s.id === incident.scenario);
  const tallies = TALLY_CATEGORIES.filter((c) => incident.tallies?.[c] != null);
  return (
    <Card size="small" data-testid="incident-header">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap align="center">
          <LevelBadge level={incident.level} provisional={incident.provisional} size="large" />
          <IncidentStateTag state={incident.state} />
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="incident-title">
            {incident.title}
          </Typography.Title>
          <Typography.Text type="secondary" copyable={{ text: incident.id }} style={{ fontSize: 12 }}>
            {incident.id}
          </Typography.Text>
        </Space>
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
          <Descriptions.Item label={t('impact.scope')}>{incident.scope ? t(`scope.${incident.scope}`, incident.scope) : '—'}</Descriptions.Item>
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
          {incident.flags.map((f) => (
            <Tag key={f} data-testid="incident-flag">
              {t(`flag.${f}`, f)}
            </Tag>
          ))}
        </Space>
        {actions}
      </Space>
    </Card>
  );
}
