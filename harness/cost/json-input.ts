/** Moved to harness/util/json-input.ts; this re-export keeps in-flight imports working until they are updated. */
export * from '../util/json-input.js';
