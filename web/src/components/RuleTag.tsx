// The plan rule that decided a level (criterion "L1.a", escalation "E3to2" or "manual"), with its summary on hover.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../hooks/useLang';
import { usePlan } from '../hooks/usePlan';
import { formatCondition } from '../lib/format';

export function useRuleText() {
  const { plan } = usePlan();
  const { pick } = useLang();
  const { t } = useTranslation();
  return (rule: string): string => {
    if (!rule) return '';
    if (rule === 'manual') return t('rule.manual');
    for (const level of plan?.levels ?? []) {
      const c = level.criteria.find((x) => x.id === rule);
      if (c) return pick(c.summary);
    }
    const e = plan?.escalations.find((x) => x.id === rule);
    if (e) return `${t('rule.escalation')}: ${formatCondition(e.when)} → ${formatCondition(e.then)}`;
    if (rule === 'default') return t('rule.default');
    return '';
  };
}

export function RuleTag({ rule, showText }: { rule: string | undefined; showText?: boolean }) {
  const { t } = useTranslation();
  const text = useRuleText();
  if (!rule) return <span>—</span>;
  const summary = text(rule);
  const label = rule === 'manual' ? t('rule.manual') : rule;
  return (
    <span>
      <Tooltip title={summary || undefined}>
        <Tag data-testid="rule-tag" data-rule={rule} style={{ fontFamily: 'monospace', marginInlineEnd: 4 }}>
          {label}
        </Tag>
      </Tooltip>
      {showText && summary && rule !== 'manual' && <span style={{ opacity: 0.85 }}>{summary}</span>}
    </span>
  );
}
