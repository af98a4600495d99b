/** ANSI styling for a terminal, off when piped or when NO_COLOR is set. */
export interface Style {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
}

export function terminalStyle(stream: { isTTY?: boolean }): Style {
  const on = stream.isTTY === true && !process.env.NO_COLOR;
  const wrap = (code: number, reset: number) => (s: string) =>
    on ? `\u001b[${code}m${s}\u001b[${reset}m` : s;
  return { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22) };
}
