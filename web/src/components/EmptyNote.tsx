// A small empty state with a translated description.
import { Empty } from 'antd';

export function EmptyNote({ text, testId }: { text: string; testId?: string }) {
  return <Empty data-testid={testId} image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}
