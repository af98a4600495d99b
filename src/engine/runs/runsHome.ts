// Where training runs live when nobody names a folder: one per-user data folder shared by the
// desktop app, the web app and the CLI, so a run trained in one is found by the others and no
// run is ever written into the folder the user happens to be in (a git checkout stays clean).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Platform facts the folder depends on; the defaults are this process's. */
export interface RunsHomeEnv {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

const HERE: RunsHomeEnv = { platform: process.platform, home: homedir(), env: process.env };

/**
 * The per-user data folder of NN Builder: `$XDG_DATA_HOME/nn-builder` (else
 * `~/.local/share/nn-builder`) on Linux and the BSDs, `~/Library/Application Support/NN Builder`
 * on macOS, `%LOCALAPPDATA%\NN Builder` on Windows — the places each platform's conventions
 * (XDG Base Directory, Apple's File System Programming Guide, Known Folders) give to app data.
 */
export function dataHome(at: RunsHomeEnv = HERE): string {
  const { platform, home, env } = at;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'NN Builder');
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? env.APPDATA ?? join(home, 'AppData', 'Local');
    return join(base, 'NN Builder');
  }
  // XDG: a relative $XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.local', 'share');
  return join(base, 'nn-builder');
}

/** The default folder for training runs: `<dataHome>/runs`. */
export function defaultRunsDir(at: RunsHomeEnv = HERE): string {
  return join(dataHome(at), 'runs');
}

/**
 * A run named on the command line: a path as given when it exists, else a bare run id
 * (`run-20261204-…`) looked up in the default runs folder. Unknown names are returned as given,
 * so the caller's "holds no trained model" message names what the user typed.
 */
export function resolveRunArg(arg: string, runsDir: string = defaultRunsDir()): string {
  if (existsSync(arg)) return arg;
  const bareId = !arg.includes('/') && !arg.includes('\\') && arg !== '.' && arg !== '..';
  if (bareId && existsSync(join(runsDir, arg))) return join(runsDir, arg);
  return arg;
}
