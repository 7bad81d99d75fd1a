/**
 * Results are read-only values: zod infers mutable types, so each result type is its schema's
 * output made deeply read-only (as the hand-written interfaces were), and nothing that receives a
 * result can change it by mistake.
 */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
