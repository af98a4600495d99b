import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or installed package) root: the nearest folder above this file whose
 * package.json is NN Builder's. Works from src/ (tsx) and from dist/src/ (compiled) alike.
 */
export function projectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'nn-builder') return dir;
    }
    if (dirname(dir) === dir)
      throw new Error(`cannot find NN Builder's package.json above ${from}`);
  }
}

/** The package version, shown in the app's about line. */
export function projectVersion(root = projectRoot()): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return version ?? '0.0.0';
}
