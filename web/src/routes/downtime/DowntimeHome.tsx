// Downtime overview: open incidents with their manual mode, scan a paper form, number blocks, the offline kit.
import { CloudDownloadOutlined, ScanOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { navigate } from '../../hooks/useLocation';
import { useResource } from '../../hooks/useResource';
import { BlocksCard } from './BlocksCard';

export default function DowntimeHome() {
  const { t } = useTranslation();
  const { data, loading } = useResource(() => api.incidents('open'), []);
  return (
    <Row gutter={[12, 12]} data-testid="downtime-home">
      <Col xs={24} xl={14}>
        <Card size="small" title={t('downtime.home.incidents')}>
          <Table
            size="small"
            rowKey="id"
            loading={loading}
            pagination={false}
            dataSource={data?.items ?? []}
            locale={{ emptyText: t('downtime.home.noIncidents') }}
            onRow={(r) => ({ 'data-testid': 'downtime-incident-row', 'data-incident-id': r.id }) as never}
            columns={[
              { title: t('downtime.home.level'), dataIndex: 'level', width: 90, render: (l, r) => <LevelBadge level={l} provisional={r.provisional} /> },
              { title: t('downtime.home.title'), dataIndex: 'title', render: (title, r) => <Link to={`/downtime/incidents/${r.id}`}>{title}</Link> },
              {
                title: '',
                width: 120,
                render: (_, r) => (
                  <Button size="small" onClick={() => navigate(`/downtime/incidents/${r.id}`)}>
                    {t('downtime.card.open')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Card
            size="small"
            title={
              <Space>
                <ScanOutlined />
                {t('downtime.scan.title')}
              </Space>
            }
          >
            <Typography.Paragraph type="secondary">{t('downtime.scan.help')}</Typography.Paragraph>
            <Input.Search
              data-testid="scan-serial"
              placeholder="RG-000123"
              enterButton={t('downtime.scan.go')}
              onSearch={(v) => v.trim() && navigate(`/downtime/scan/${encodeURIComponent(v.trim().toUpperCase())}`)}
            />
          </Card>
          <Card
            size="small"
            title={
              <Space>
                <CloudDownloadOutlined />
                {t('downtime.kit.title')}
              </Space>
            }
          >
            <Typography.Paragraph type="secondary">{t('downtime.kit.short')}</Typography.Paragraph>
            <Button data-testid="kit-link" onClick={() => navigate('/downtime/kit')}>
              {t('downtime.kit.manage')}
            </Button>
          </Card>
        </Space>
      </Col>
      <Col span={24}>
        <BlocksCard />
      </Col>
    </Row>
  );
}
