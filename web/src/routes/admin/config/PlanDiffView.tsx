// A plan diff: first the sections whose entries were added, removed or changed (by id, with the plan's names), then
// the changed lines of the YAML with a little context. Ids and YAML are code (data-code), shown as written.
import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanDiffView as Diff } from '../../../api/config';

const OP_STYLE: Record<string, React.CSSProperties> = {
  '+': { background: 'rgba(82, 196, 26, 0.15)' },
  '-': { background: 'rgba(255, 77, 79, 0.15)' },
  ' ': {},
};

export function PlanDiffView({ diff }: { diff: Diff }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  if (diff.same) return <Typography.Text type="secondary">{t('adminConfig.plan.diffSame')}</Typography.Text>;
  return (
    <Flex vertical gap={8} data-testid="plan-diff">
      <Typography.Text>{t('adminConfig.plan.diffCounts', { added: diff.added, removed: diff.removed })}</Typography.Text>
      {diff.version && (
        <Typography.Text>
          {t('adminConfig.plan.diffVersion')}：
          <span data-code>
            {diff.version.from ?? '—'} → {diff.version.to ?? '—'}
          </span>
        </Typography.Text>
      )}
      {diff.sections.map((s) => (
        <Flex key={s.section} vertical gap={2} data-testid={`plan-diff-section-${s.section}`}>
          <Typography.Text strong>{t(`adminConfig.plan.section.${s.section}`)}</Typography.Text>
          {(['added', 'removed', 'changed'] as const).map((what) =>
            s[what].length ? (
              <Flex key={what} gap={4} wrap align="center">
                <Tag color={what === 'added' ? 'green' : what === 'removed' ? 'red' : 'blue'}>{t(`adminConfig.plan.${what}`)}</Tag>
                {s[what].map((item) => (
                  <span key={item.id}>
                    <code data-code>{item.id}</code>
                    {item.name ? ` ${item.name[lang]}` : ''}
                  </span>
                ))}
              </Flex>
            ) : null,
          )}
        </Flex>
      ))}
      <div data-code data-testid="plan-diff-lines" style={{ maxHeight: 420, overflow: 'auto', border: '1px solid rgba(127,127,127,0.3)', borderRadius: 4 }}>
        {diff.hunks.map((h, i) => (
          <pre key={`${h.lines[0]?.old ?? ''}:${h.lines[0]?.new ?? ''}`} style={{ margin: 0, padding: '4px 0', fontSize: 12, borderTop: i ? '1px dashed rgba(127,127,127,0.4)' : undefined }}>
            {h.lines.map((l) => (
              <div key={`${l.op}${l.old ?? ''}:${l.new ?? ''}`} style={{ ...OP_STYLE[l.op], paddingInline: 6, whiteSpace: 'pre' }}>
                {`${String(l.old ?? '').padStart(5)} ${String(l.new ?? '').padStart(5)} ${l.op} ${l.text}`}
              </div>
            ))}
          </pre>
        ))}
      </div>
    </Flex>
  );
}
