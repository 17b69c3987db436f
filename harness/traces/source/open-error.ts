import { InputError, isInputError } from '../../util/input-error.js';

/**
 * Turns a file-system failure (missing file, a directory where a file was expected, no
 * permission) into an InputError naming the path, so no raw ENOENT reaches the user.
 * Other errors pass through unchanged.
 */
export function openError(path: string, error: unknown): unknown {
  if (isInputError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'is a directory, expected a file',
    ENOTDIR: 'a parent of this path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EMFILE: 'too many open files',
  };
  const reason = code ? reasons[code] : undefined;
  if (reason) return new InputError({ file: path, message: reason });
  if (error instanceof Error && /invalid|utf-?8/i.test(error.message) && error.name === 'TypeError')
    return new InputError({ file: path, message: `cannot be read as text: ${error.message}` });
  return error;
}
