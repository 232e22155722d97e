// Installs Lifeline's service worker (the offline downtime kit). Needs a secure context: HTTPS, or localhost.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err) => console.warn('service worker not installed:', err));
  });
}
