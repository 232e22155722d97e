// The offline downtime kit: what this browser keeps for when the server cannot be reached, and how to refresh it.
import { CloudDownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/format';

const KIT_CACHE = 'lifeline-downtime-kit';
interface KitInfo {
  kit: string;
  generatedAt: string;
  files: string[];
}

/** The kit the service worker holds, read straight from the cache (what opens offline). */
async function cachedKit(): Promise<KitInfo | null> {
  if (!('caches' in window)) return null;
  const res = await (await caches.open(KIT_CACHE)).match('/downtime-kit/kit.json');
  return res ? ((await res.json()) as KitInfo) : null;
}

/** Asks the service worker to fetch the kit again now; resolves with its answer. */
async function refreshKit(): Promise<{ ok: boolean; error?: string }> {
  const reg = await navigator.serviceWorker?.ready;
  if (!reg?.active) return { ok: false, error: 'no service worker' };
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data as { ok: boolean; error?: string });
    reg.active!.postMessage({ type: 'refresh-kit' }, [channel.port2]);
    setTimeout(() => resolve({ ok: false, error: 'timeout' }), 30_000);
  });
}

export default function KitPage() {
  const { t } = useTranslation();
  const [kit, setKit] = useState<KitInfo | null>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const supported = 'serviceWorker' in navigator && window.isSecureContext;
  const load = useCallback(() => void cachedKit().then(setKit, () => setKit(null)), []);
  useEffect(load, [load]);
  const refresh = async () => {
    setBusy(true);
    setError(undefined);
    const r = await refreshKit().catch((e: Error) => ({ ok: false, error: e.message }));
    if (!r.ok) setError(r.error);
    setBusy(false);
    load();
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <CloudDownloadOutlined />
          {t('downtime.kit.title')}
        </Space>
      }
      data-testid="kit-page"
    >
      <Typography.Paragraph>{t('downtime.kit.help')}</Typography.Paragraph>
      {!supported && <Alert type="warning" showIcon title={t('downtime.kit.unsupported')} style={{ marginBottom: 12 }} />}
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'state',
            label: t('downtime.kit.offlineCopy'),
            children: kit ? (
              <span data-testid="kit-cached" data-kit={kit.kit}>
                {t('downtime.kit.cached', { kit: kit.kit, time: formatTime(kit.generatedAt), count: kit.files.length })}
              </span>
            ) : (
              <span data-testid="kit-cached" data-kit="">
                {t('downtime.kit.none')}
              </span>
            ),
          },
        ]}
      />
      {error && <Alert type="error" showIcon title={t('downtime.kit.failed', { error })} style={{ margin: '8px 0' }} />}
      <Space wrap style={{ marginTop: 12 }}>
        {supported && (
          <Button type="primary" loading={busy} onClick={refresh} data-testid="kit-refresh">
            {t('downtime.kit.refresh')}
          </Button>
        )}
        <Button icon={<ExportOutlined />} href="/downtime-kit/" target="_blank" data-testid="kit-open">
          {t('downtime.kit.open')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('downtime.kit.export')}
      </Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text code>lifeline kit export /media/usb/lifeline-kit</Typography.Text>
      </Typography.Paragraph>
    </Card>
  );
}
