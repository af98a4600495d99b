import type { HostInfo } from '../../src/api/EngineApi';
import { getEngine } from './engine';

let info: Promise<HostInfo> | undefined;

/**
 * What the host can do, asked once per page. An unreachable host counts as a plain web page
 * (no dialogs, no training), so file commands still fall back to the browser's own.
 */
export function hostInfo(): Promise<HostInfo> {
  info ??= getEngine()
    .info()
    .catch((): HostInfo => ({
      host: 'web',
      version: '',
      fileDialogs: false,
      training: false,
      gpu: null,
    }));
  return info;
}

/** The last segment of a host path, for titles (`/home/me/lenet.nnb.json` → `lenet.nnb.json`). */
export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
