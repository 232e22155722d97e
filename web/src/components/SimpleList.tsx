// A plain divided list (antd's List is deprecated in v6 and Listy is a virtual list — neither fits small lists).
import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { EmptyNote } from './EmptyNote';

interface Props<T> {
  items: T[];
  render: (item: T, index: number) => ReactNode;
  itemKey: (item: T, index: number) => string;
  empty?: string;
  header?: ReactNode;
  itemTestId?: string;
  itemProps?: (item: T) => Record<string, string | undefined>;
  itemStyle?: CSSProperties;
}

export function SimpleList<T>({ items, render, itemKey, empty, header, itemTestId, itemProps, itemStyle }: Props<T>) {
  const { token } = theme.useToken();
  if (items.length === 0 && empty) return <EmptyNote text={empty} />;
  return (
    <div>
      {header && <div style={{ padding: '4px 0 8px', borderBottom: `1px solid ${token.colorSplit}` }}>{header}</div>}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((item, n) => (
          <li
            key={itemKey(item, n)}
            data-testid={itemTestId}
            {...itemProps?.(item)}
            style={{ padding: '8px 4px', borderBottom: n < items.length - 1 ? `1px solid ${token.colorSplit}` : undefined, ...itemStyle }}
          >
            {render(item, n)}
          </li>
        ))}
      </ul>
    </div>
  );
}
