export declare const MIN_NODE: readonly [number, number];
export declare function nodeTooOld(version?: string): string | null;
export declare const NODE_FLAGS: readonly string[];
