import '../styles/profile.css';
import { formatCount } from '../../src/core/format/numbers';
import {
  formatMs,
  nodeTimings,
  profileHeader,
  profileTotals,
} from '../../src/core/profile/layerProfile';
import { useEditor } from '../store/useEditor';
import { profileStore, useProfile } from './profileStore';

/** Profile: time every layer on the training backend with the training batch size. */
export function ProfileButton() {
  const status = useProfile((s) => s.status);
  return (
    <>
      <ProfileRunButton status={status} />
      {status === 'running' && (
        <button
          type="button"
          className="heatmap__toggle"
          data-testid="profile-stop"
          title="Stop the profile: its worker thread in the engine ends"
          onClick={() => {
            void profileStore.getState().stop();
            // This button goes away: the keyboard focus moves to Profile, which comes back.
            requestAnimationFrame(() =>
              document.querySelector<HTMLElement>('[data-testid="profile-run"]')?.focus(),
            );
          }}
        >
          ■ Stop
        </button>
      )}
    </>
  );
}

function ProfileRunButton({ status }: { status: string }) {
  return (
    <button
      type="button"
      className="heatmap__toggle"
      data-testid="profile-run"
      disabled={status === 'running'}
      aria-busy={status === 'running'}
      title="Measure each layer’s forward and backward time on the training backend, with the training batch size"
      onClick={() => void profileStore.getState().run()}
    >
      {status === 'running' ? 'Profiling…' : 'Profile'}
    </button>
  );
}

/**
 * The last profile: each node's MACs beside its measured forward, backward and total time, what
 * was measured (backend, batch, warm-up, median of N) and the totals against a whole step.
 */
export function ProfilePanel() {
  const { status, profile, graph, error, open } = useProfile((s) => s);
  const analysis = useEditor((s) => s.analysis);
  const stale = useEditor((s) => graph !== null && s.doc !== graph);
  if (status === 'error' && error !== null) {
    return (
      <div className="profile canvas-card" role="alert" data-testid="profile-error">
        Profile failed: {error}
      </div>
    );
  }
  if (profile === null) {
    return status === 'running' ? (
      <div className="profile muted" data-testid="profile-status">
        Measuring each layer in the engine…
      </div>
    ) : null;
  }
  const timings = nodeTimings(profile);
  const rows = analysis.order.filter((id) => timings.has(id));
  return (
    <section
      className="profile canvas-card"
      data-testid="profile-panel"
      aria-label="Measured time per layer"
    >
      <div className="profile__head">
        <strong>Measured time</strong>
        <button
          type="button"
          className="profile__fold"
          aria-expanded={open}
          onClick={() => profileStore.getState().setOpen(!open)}
        >
          {open ? 'Hide' : 'Show'}
        </button>
      </div>
      <p className="profile__what muted" data-testid="profile-header">
        {profileHeader(profile)}
      </p>
      {stale && (
        <p className="profile__stale" data-testid="profile-stale">
          The graph changed since; profile again to measure it.
        </p>
      )}
      {open && (
        <table className="profile__table">
          <thead>
            <tr>
              <th>Layer</th>
              <th className="num">MACs</th>
              <th className="num">Fwd</th>
              <th className="num">Bwd</th>
              <th className="num">Time</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((id) => {
              const t = timings.get(id)!;
              const macs = analysis.nodes.get(id)?.macs;
              return (
                <tr key={id}>
                  <td className="mono">{id}</td>
                  <td className="num">{macs === undefined ? '—' : formatCount(macs)}</td>
                  <td className="num">{formatMs(t.forwardMs)}</td>
                  <td className="num">{formatMs(t.backwardMs)}</td>
                  <td
                    className="num"
                    data-testid={`node-latency-${id}`}
                    data-ms={t.forwardMs + t.backwardMs}
                  >
                    {formatMs(t.forwardMs + t.backwardMs)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="profile__totals num" data-testid="profile-totals">
        {profileTotals(profile)}
      </p>
    </section>
  );
}
