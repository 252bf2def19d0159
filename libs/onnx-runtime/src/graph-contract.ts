import type ort from 'onnxruntime-node';
import { type GraphExpectation, type GraphManifest, type GraphSignature, checkGraphContract } from '@focal/vision';

/** What a loaded session really declares: tensor names and ranks. */
export function graphSignature(session: ort.InferenceSession): GraphSignature {
  const ranks = (list: readonly ort.InferenceSession.ValueMetadata[]) =>
    Object.fromEntries(list.map((m) => [m.name, m.isTensor ? m.shape.length : undefined]));
  return { inputs: ranks(session.inputMetadata), outputs: ranks(session.outputMetadata) };
}

/** Every way the opened sessions differ from the manifest's names and the processor's ranks (empty when they fit). */
export function sessionContractProblems(
  graphs: Record<string, GraphManifest>,
  expectations: Record<string, GraphExpectation>,
  sessions: Record<string, ort.InferenceSession>,
): string[] {
  return Object.entries(expectations).flatMap(
    ([name, expectation]) =>
      checkGraphContract(name, graphs[name], expectation, graphSignature(sessions[name])).problems,
  );
}
