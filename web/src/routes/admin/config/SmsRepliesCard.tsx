// The addresses where the SMS vendors push patients' replies to status SMS (a reply of TD unsubscribes the number),
// to paste into the Aliyun or Tencent Cloud console. Shown beside the channels when an SMS channel exists and the
// account may read them (publicity.manage); otherwise nothing.
import { Card, Flex, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { smsRepliesApi } from '../../../api/config';
import { useResource } from '../../../hooks/useResource';

const VENDORS = ['aliyun', 'tencent'] as const;

export function SmsRepliesCard() {
  const { t } = useTranslation();
  const replies = useResource(() => smsRepliesApi.urls(), []);
  if (!replies.data) return null;
  return (
    <Card size="small" title={t('smsReplies.title')} data-testid="sms-replies">
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">
          <Trans i18nKey="smsReplies.intro" values={{ stop: 'TD' }} components={{ code: <code data-code /> }} />
        </Typography.Text>
        {VENDORS.map((vendor) => (
          <Flex key={vendor} vertical gap={2}>
            <Typography.Text strong>{t(`smsReplies.vendor.${vendor}`)}</Typography.Text>
            <Typography.Text copyable={{ text: replies.data!.urls[vendor] }} data-testid={`sms-reply-url-${vendor}`}>
              <code data-code style={{ overflowWrap: 'anywhere' }}>
                {replies.data!.urls[vendor]}
              </code>
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}
