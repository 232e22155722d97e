// Placeholder: replaced by the page itself.
export default function TokensPage(_props: { path: string }) {
  return <div data-testid="admin-TokensPage" />;
}
