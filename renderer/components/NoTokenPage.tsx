import '../styles/noToken.css';

/**
 * Shown instead of the app when web mode's page was opened without the server's token: the
 * server would refuse every request, so say how to get in rather than show a broken editor.
 */
export function NoTokenPage() {
  const example = `${location.origin}/?token=…`;
  return (
    <main className="no-token" data-testid="no-token">
      <div className="no-token__card">
        <h1>Open NN Builder from its address in the terminal</h1>
        <p>
          This page was opened without the server&apos;s secret token, so the server will not talk
          to it. That keeps other programs and web pages on this computer from using your files and
          training runs.
        </p>
        <p>
          Go to the terminal where you started it (<code>npm run web</code> or{' '}
          <code>npm start</code>) and open the address it printed. It looks like{' '}
          <code>{example}</code>.
        </p>
        <p className="no-token__muted">
          The token changes each time the server starts; after a restart, open the new address.
        </p>
      </div>
    </main>
  );
}
