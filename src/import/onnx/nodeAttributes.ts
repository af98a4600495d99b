import { Refusal } from './GraphBuilder.js';
import type { ConstTensor } from './constTensor.js';
import type { Attribute, OnnxNode } from './onnxFile.js';

/** Typed reads of a node's attributes, with ONNX's defaults; a wrong kind is a Refusal. */
export class NodeAttributes {
  constructor(private readonly node: OnnxNode) {}

  has(name: string): boolean {
    return this.node.attributes.has(name);
  }

  private get<K extends Attribute['kind']>(
    name: string,
    kind: K,
  ): Extract<Attribute, { kind: K }> | undefined {
    const a = this.node.attributes.get(name);
    if (a === undefined) return undefined;
    if (a.kind !== kind) throw new Refusal(`its attribute ${name} is not of kind ${kind}`);
    return a as Extract<Attribute, { kind: K }>;
  }

  int(name: string, fallback: number): number {
    return this.get(name, 'int')?.value ?? fallback;
  }

  float(name: string, fallback: number): number {
    return this.get(name, 'float')?.value ?? fallback;
  }

  string(name: string, fallback: string): string {
    return this.get(name, 'string')?.value ?? fallback;
  }

  ints(name: string, fallback: readonly number[]): readonly number[] {
    return this.get(name, 'ints')?.value ?? fallback;
  }

  floats(name: string): readonly number[] | undefined {
    return this.get(name, 'floats')?.value;
  }

  tensor(name: string): ConstTensor | undefined {
    return this.get(name, 'tensor')?.value;
  }
}
