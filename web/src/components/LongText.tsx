// A text that may be very long (a monitoring summary as an incident title): shown on as many lines as given, then
// cut with an ellipsis; the whole text is in a tooltip on hover and on tap, and stays selectable for copying.
// `level` renders it as a heading (Typography.Title), else as a paragraph.
import { Typography } from 'antd';
import type { CSSProperties } from 'react';

interface Props {
  text: string;
  /** lines shown before the ellipsis */
  rows?: number;
  level?: 1 | 2 | 3 | 4 | 5;
  style?: CSSProperties;
  'data-testid'?: string;
}

export function LongText({ text, rows = 1, level, style, 'data-testid': testId }: Props) {
  const ellipsis = { rows, tooltip: { title: text, trigger: ['hover', 'click'] as ('hover' | 'click')[] } };
  const common = { ellipsis, style: { margin: 0, minWidth: 0, maxWidth: '100%', overflowWrap: 'anywhere' as const, ...style }, 'data-testid': testId, title: undefined };
  return level ? (
    <Typography.Title level={level} {...common}>
      {text}
    </Typography.Title>
  ) : (
    <Typography.Paragraph {...common}>{text}</Typography.Paragraph>
  );
}
