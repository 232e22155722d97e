// Placeholder: replaced by the page itself.
export default function MaintenancePage(_props: { path: string }) {
  return <div data-testid="admin-MaintenancePage" />;
}
