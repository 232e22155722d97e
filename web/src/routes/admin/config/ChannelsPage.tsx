// /admin/channels: every paging channel — notify.yaml's read-only, the browser's editable — with its state (from
// the deliveries and tests), last delivery and last test, and a test message to a chosen person. Cards, not a
// table, so that a phone shows everything without scrolling sideways.
import { App, Button, Card, Flex, List, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { channelsApi, type ChannelItem, type ChannelSettingsResponse } from '../../../api/config';
import { peopleApi } from '../../../api/people';
import { EmptyNote } from '../../../components/EmptyNote';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { useProblemText } from '../../../lib/problem';
import { ChannelFormModal } from './ChannelFormModal';
import { SmsRepliesCard } from './SmsRepliesCard';

const STATE_COLOR: Record<string, string> = { ok: 'green', failing: 'red', unused: 'default', off: 'default' };

export default function ChannelsPage(_props: { path: string }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const data = useResource(() => channelsApi.list(), []);
  const people = useResource(() => peopleApi.list().then((r) => r.items), []);
  const [editing, setEditing] = useState<ChannelItem | 'new' | null>(null);

  return (
    <Flex vertical gap={12} data-testid="admin-ChannelsPage">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('adminConfig.channels.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('adminConfig.channels.intro')}</Typography.Text>
      <Flex>
        <Button type="primary" onClick={() => setEditing('new')} disabled={!data.data} data-testid="channel-add">
          {t('adminConfig.channels.add')}
        </Button>
      </Flex>
      {data.error !== undefined && !data.data && <Typography.Text type="danger">{problemText(data.error)}</Typography.Text>}
      <List
        loading={data.loading && !data.data}
        dataSource={data.data?.items ?? []}
        rowKey="id"
        locale={{ emptyText: <EmptyNote text={t('adminConfig.channels.empty')} /> }}
        grid={{ gutter: 12, xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 3 }}
        renderItem={(item) => (
          <List.Item>
            <ChannelCard item={item} roles={data.data?.roles ?? []} people={people.data ?? []} onEdit={() => setEditing(item)} onChanged={data.reload} />
          </List.Item>
        )}
      />
      {data.data?.items.some((c) => c.kind === 'sms-aliyun' || c.kind === 'sms-tencent') && <SmsRepliesCard />}
      {editing && data.data && (
        <ChannelFormModal
          settings={data.data}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            data.reload();
          }}
        />
      )}
    </Flex>
  );
}

function ChannelCard({
  item,
  roles,
  people,
  onEdit,
  onChanged,
}: {
  item: ChannelItem;
  roles: ChannelSettingsResponse['roles'];
  people: { id: string; name: string; active: boolean }[];
  onEdit: () => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [to, setTo] = useState<string>();
  const [sending, setSending] = useState(false);
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const roleName = (id: string) => roles.find((r) => r.id === id)?.name[lang] ?? id;
  const routing = [item.routeDefault ? t('adminConfig.channels.routeEveryone') : null, ...item.routeRoles.map(roleName)].filter(Boolean).join(lang === 'en' ? ', ' : '、');

  const sendTest = async () => {
    if (!to) return;
    setSending(true);
    try {
      const r = await channelsApi.test(item.id, to);
      if (r.delivery.status === 'sent') void message.success(t('adminConfig.channels.testSent', { name: r.person.name }));
      else void message.error(t('adminConfig.channels.testFailed', { name: r.person.name }));
      onChanged();
    } catch (err) {
      void message.error(problemText(err));
    } finally {
      setSending(false);
    }
  };
  const remove = async () => {
    try {
      await channelsApi.remove(item.id);
      void message.success(t('adminConfig.channels.removed'));
      onChanged();
    } catch (err) {
      void message.error(problemText(err));
    }
  };

  return (
    <Card
      size="small"
      data-testid={`channel-card-${item.id}`}
      title={
        <Flex gap={6} wrap align="center" style={{ minWidth: 0 }}>
          <span data-code style={{ overflowWrap: 'anywhere' }}>
            {item.id}
          </span>
          <Tag>{t(`adminConfig.channels.kind.${item.kind}`)}</Tag>
        </Flex>
      }
    >
      <Flex vertical gap={6}>
        <Flex gap={6} wrap>
          <Tag color={STATE_COLOR[item.state]} data-testid="channel-state" data-state={item.state}>
            {t(`adminConfig.channels.state.${item.state}`)}
          </Tag>
          <Tag color={item.origin === 'file' ? 'blue' : 'purple'}>{t(`adminConfig.channels.origin.${item.origin}`)}</Tag>
          {item.shadowed && <Tag color="orange">{t('adminConfig.channels.shadowed')}</Tag>}
        </Flex>
        <Typography.Text>
          {t('adminConfig.channels.routing')}：{routing || t('adminConfig.channels.routeNone')}
        </Typography.Text>
        <Outcome label={t('adminConfig.channels.lastDelivery')} outcome={item.lastDelivery} />
        <Outcome label={t('adminConfig.channels.lastTest')} outcome={item.lastTest} testId="channel-last-test" />
        {item.settings && item.settings.secretsSet.length > 0 && (
          <Typography.Text type="secondary">
            {t('adminConfig.channels.secretsSet', { fields: item.settings.secretsSet.map((f) => t(`adminConfig.channels.field.${f}`)).join(lang === 'en' ? ', ' : '、') })}
          </Typography.Text>
        )}
        <Flex gap={6} wrap align="center">
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('adminConfig.channels.testTo')}
            value={to}
            onChange={setTo}
            options={people.filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
            style={{ flex: '1 1 140px', minWidth: 0 }}
            data-testid="channel-test-to"
          />
          <Button onClick={() => void sendTest()} loading={sending} disabled={!to} data-testid="channel-test">
            {t('adminConfig.channels.test')}
          </Button>
        </Flex>
        {item.origin === 'browser' ? (
          <Flex gap={6} wrap>
            <Button onClick={onEdit} data-testid="channel-edit">
              {t('adminConfig.channels.edit')}
            </Button>
            <Popconfirm title={t('adminConfig.channels.removeConfirm')} onConfirm={() => void remove()} okText={t('adminConfig.channels.remove')} cancelText={t('adminConfig.channels.cancel')}>
              <Button danger data-testid="channel-remove">
                {t('adminConfig.channels.remove')}
              </Button>
            </Popconfirm>
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('adminConfig.channels.readOnly')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

function Outcome({ label, outcome, testId }: { label: string; outcome: ChannelItem['lastDelivery']; testId?: string }) {
  const { t } = useTranslation();
  if (!outcome)
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {label}：{t('adminConfig.channels.never')}
      </Typography.Text>
    );
  return (
    <Typography.Text data-testid={testId} data-status={outcome.status}>
      {label}：{formatTime(outcome.at)} · {outcome.person} ·{' '}
      <Typography.Text type={outcome.status === 'sent' ? 'success' : 'danger'}>{t(`adminConfig.channels.outcome.${outcome.status}`)}</Typography.Text>
    </Typography.Text>
  );
}
