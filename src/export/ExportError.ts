/** A graph that cannot be written in a format: names the layer and why. Never a silently wrong file. */
export class ExportError extends Error {
  constructor(
    message: string,
    /** The node concerned, when there is one. */
    readonly node?: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
