import { useEffect, useRef, useState } from 'react';

export type RequestState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly previous: T | null }
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'error'; readonly message: string };

// Lanes are unique to this page (two windows never supersede each other's requests).
const PAGE = Math.random().toString(36).slice(2, 10);
let lanes = 0;

/**
 * Runs `request` whenever `key` changes (null: nothing to ask) and keeps its latest answer; an
 * answer to an outdated key is dropped, so a slow reply never overwrites a newer one. While a new
 * answer loads, the previous value stays visible (no flashing). `request` gets this view's lane:
 * passed on to the inspect API, the host drops this view's outdated requests too — unsent if
 * they still wait, their answer unsent if they compute (src/api/inspect.ts, `lane`).
 */
export function useRequest<T>(
  key: string | null,
  request: (lane: string) => Promise<T>,
): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>({ status: 'idle' });
  const lane = useRef('');
  if (lane.current === '') lane.current = `${PAGE}:${++lanes}`;
  // The latest closure: `key` alone decides when to ask again, `request` says how.
  const latest = useRef(request);
  latest.current = request;
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState((s) => ({ status: 'loading', previous: shownValue(s) }));
    latest.current(lane.current).then(
      (value) => current && setState({ status: 'done', value }),
      (error: unknown) =>
        current &&
        setState({
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}

/** The value to show: the answer, or the previous one while the next loads. */
export function shownValue<T>(state: RequestState<T>): T | null {
  if (state.status === 'done') return state.value;
  if (state.status === 'loading') return state.previous;
  return null;
}
