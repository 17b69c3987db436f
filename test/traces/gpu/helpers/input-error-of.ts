import { InputError } from '../../../../harness/util/input-error.js';

/** The InputError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
