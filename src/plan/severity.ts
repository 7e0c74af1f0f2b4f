/** How a rule or guard record declares the severity of its findings. */
import { InternalError } from '../errors';

/**
 * A fixed severity (every finding has it), or a choice made per finding: `evaluate` sets one of `among`
 * on each hit, and `how` says what decides.
 */
export type SeverityDeclaration<S extends string> = S | { readonly among: readonly S[]; readonly how: string };

/** The severity of one hit: the fixed one, or the hit's own choice, which must be among the declared ones. */
export function severityOf<S extends string>(id: string, declared: SeverityDeclaration<S>, chosen: S | undefined): S {
  if (typeof declared === 'string') {
    if (chosen !== undefined && chosen !== declared) {
      throw new InternalError(`${id} declares severity ${declared} but a finding chose ${chosen}`);
    }
    return declared;
  }
  if (chosen === undefined || !declared.among.includes(chosen)) {
    throw new InternalError(`${id} chooses its severity among ${declared.among.join(', ')} but a finding has ${chosen ?? 'none'}`);
  }
  return chosen;
}
