// /admin/rotas: the gaps of the next 14 days first (nobody on duty, said ahead of time), then rotations, overrides
// and swaps. Every change reloads the gaps, so the warning follows the fix at once.
import { Alert, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { peopleApi, type GapView } from '../../../api/people';
import { pickText, useLang } from '../../../hooks/useLang';
import { useResource } from '../../../hooks/useResource';
import { useSession } from '../../../hooks/useSession';
import { formatShortTime } from '../../../lib/format';
import { useProblemText } from '../../../lib/problem';
import { OverridesCard } from './OverridesCard';
import { RotationsCard } from './RotationsCard';

export default function RotasPage(_props: { path: string }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const { can } = useSession();
  const problemText = useProblemText();
  const data = useResource(
    async () => {
      const [roles, people, rotations, overrides, gaps] = await Promise.all([peopleApi.roles(), peopleApi.list(), peopleApi.rotations(), peopleApi.overrides(), peopleApi.gaps(14)]);
      return { roles: roles.items, people: people.items, rotations: rotations.items, overrides: overrides.items, gaps: gaps.items };
    },
    [],
    { live: false },
  );
  const roles = (data.data?.roles ?? []).map((r) => ({ value: r.role, label: pickText(r.roleName, lang) }));
  const canManage = can('people.manage');
  return (
    <Flex vertical gap={12} data-testid="admin-RotasPage">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('adminPeople.rotas.title')}
      </Typography.Title>
      {data.error !== undefined && !data.data && <Typography.Text type="danger">{problemText(data.error)}</Typography.Text>}
      {data.data && <Gaps gaps={data.data.gaps} roleName={(id, g) => roles.find((r) => r.value === id)?.label ?? pickText(g.roleName, lang)} />}
      {data.data && (
        <>
          <RotationsCard rotations={data.data.rotations} people={data.data.people} roles={roles} canManage={canManage} onChanged={data.reload} />
          <OverridesCard overrides={data.data.overrides} people={data.data.people} roles={roles} canManage={canManage} onChanged={data.reload} />
        </>
      )}
    </Flex>
  );
}

function Gaps({ gaps, roleName }: { gaps: GapView[]; roleName: (role: string, g: GapView) => string }) {
  const { t } = useTranslation();
  if (gaps.length === 0) return <Alert type="success" showIcon title={t('adminPeople.rotas.gapsNone')} data-testid="gaps-none" />;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="gaps"
      title={t('adminPeople.rotas.gapsWarn', { count: gaps.length })}
      description={
        <List
          size="small"
          dataSource={gaps}
          rowKey={(g) => `${g.role}|${g.from}`}
          renderItem={(g) => (
            <List.Item data-testid="gap-item" data-role={g.role} style={{ display: 'block', paddingInline: 0 }}>
              <Typography.Text strong type="danger">
                {t(g.reason === 'inactive' ? 'adminPeople.rotas.gapInactive' : 'adminPeople.rotas.gapNobody')}
              </Typography.Text>
              <Typography.Text>{` ${t('adminPeople.rotas.gapItem', { role: roleName(g.role, g), from: formatShortTime(Date.parse(g.from)), to: formatShortTime(Date.parse(g.to)) })}`}</Typography.Text>
            </List.Item>
          )}
          style={{ maxHeight: 320, overflowY: 'auto' }}
        />
      }
    />
  );
}
