import type { GraphExpectation } from '../pipeline/model.processor.js';
import type { GraphManifest } from './model-manifest.js';

/** What a loaded graph really declares: tensor names and ranks (rank undefined when unknown). */
export interface GraphSignature {
  inputs: Record<string, number | undefined>;
  outputs: Record<string, number | undefined>;
}

export interface GraphContractResult {
  problems: string[];
  /** The manifest with optional outputs the graph lacks removed. */
  graph: GraphManifest;
}

function checkSide(
  side: 'input' | 'output',
  graphName: string,
  roles: Record<string, number>,
  names: Record<string, string>,
  actual: Record<string, number | undefined>,
  optional: readonly string[],
): { problems: string[]; present: Record<string, string> } {
  const problems: string[] = [];
  const present: Record<string, string> = {};
  for (const [role, rank] of Object.entries(roles)) {
    const name = names[role];
    const isOptional = optional.includes(role);
    if (name === undefined || !(name in actual)) {
      if (isOptional) continue;
      const known = Object.keys(actual).join(', ') || 'none';
      problems.push(`graph "${graphName}" has no ${side} "${name ?? role}" (role ${role}); it has: ${known}`);
      continue;
    }
    const actualRank = actual[name];
    if (actualRank !== undefined && actualRank !== rank) {
      problems.push(`graph "${graphName}" ${side} "${name}" has rank ${actualRank}, expected ${rank}`);
      continue;
    }
    present[role] = name;
  }
  return { problems, present };
}

/**
 * Checks a graph's real inputs and outputs against the manifest's names and the processor's ranks,
 * at load time, so a wrong export fails with the tensor named instead of on the first request.
 */
export function checkGraphContract(
  graphName: string,
  manifest: GraphManifest,
  expectation: GraphExpectation,
  signature: GraphSignature,
): GraphContractResult {
  const optional = expectation.optionalOutputs ?? [];
  const inputs = checkSide('input', graphName, expectation.inputs, manifest.inputs, signature.inputs, []);
  const outputs = checkSide('output', graphName, expectation.outputs, manifest.outputs, signature.outputs, optional);
  const missingOptional = optional.filter((role) => !(role in outputs.present));
  const keptOutputs = Object.fromEntries(
    Object.entries(manifest.outputs).filter(([role]) => !missingOptional.includes(role)),
  );
  return { problems: [...inputs.problems, ...outputs.problems], graph: { ...manifest, outputs: keptOutputs } };
}
