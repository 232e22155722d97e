// Placeholder: replaced by the page itself.
export default function ChannelsPage(_props: { path: string }) {
  return <div data-testid="admin-ChannelsPage" />;
}
