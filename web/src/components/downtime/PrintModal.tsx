// The print view of a batch of forms (server-rendered, A4/A5 print CSS) in a frame, with Print and "open in a tab".
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Modal, Radio, Space } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function PrintModal({ url, paper, onClose }: { url?: string; paper?: 'A4' | 'A5'; onClose: () => void }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const [sheet, setSheet] = useState<'A4' | 'A5' | undefined>();
  const src = url ? `${url}${sheet ? `?paper=${sheet}` : ''}` : undefined;
  return (
    <Modal
      open={Boolean(url)}
      onCancel={onClose}
      width="min(1000px, 96vw)"
      title={t('downtime.print.title')}
      destroyOnHidden
      footer={
        <Space wrap>
          {paper === 'A5' && (
            <Radio.Group
              value={sheet ?? 'A5'}
              onChange={(e) => setSheet(e.target.value)}
              optionType="button"
              size="small"
              options={[
                { value: 'A5', label: t('downtime.print.a5') },
                { value: 'A4', label: t('downtime.print.a4two') },
              ]}
            />
          )}
          <a href={src} target="_blank" rel="noreferrer" data-testid="print-open-tab">
            {t('downtime.print.openTab')}
          </a>
          <Button type="primary" icon={<PrinterOutlined />} data-testid="print-now" onClick={() => frame.current?.contentWindow?.print()}>
            {t('downtime.print.print')}
          </Button>
        </Space>
      }
    >
      {src && <iframe ref={frame} src={src} title={t('downtime.print.title')} data-testid="print-frame" style={{ width: '100%', height: '70vh', border: '1px solid #d9d9d9' }} />}
    </Modal>
  );
}
