/** The application frame. The investigator's screens are built on it (see the UI issue). */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>Custos</h1>
      <p>Evidence store and custody ledger. Use the `custos` command while the screens are being built.</p>
    </main>
  );
}
