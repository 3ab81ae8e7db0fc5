/**
 * Compile-time checks that a type the contract declares for the renderer and its twin in the
 * domain are the same, so neither drifts: `Agree<Equals<ContractX, DomainX>>` fails the
 * typecheck otherwise. Types only: nothing happens at run time.
 */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Agree<T extends true> = T;
