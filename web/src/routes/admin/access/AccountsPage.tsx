// Placeholder: replaced by the page itself.
export default function AccountsPage(_props: { path: string }) {
  return <div data-testid="admin-AccountsPage" />;
}
