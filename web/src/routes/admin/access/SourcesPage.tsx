// Placeholder: replaced by the page itself.
export default function SourcesPage(_props: { path: string }) {
  return <div data-testid="admin-SourcesPage" />;
}
