// Placeholder: replaced by the page itself.
export default function RolesPage(_props: { path: string }) {
  return <div data-testid="admin-RolesPage" />;
}
