/**
 * Splits shell command text into words the way a POSIX shell does before running it: blanks
 * separate words; single quotes keep text literally; double quotes keep text but expand `$NAME`
 * and honour `\"`, `\\`, `\$`; a backslash outside quotes escapes the next character, and
 * backslash-newline continues the line; `#` at the start of a word comments to the end of the line.
 * Quotes are removed (`'trainer.logger=[console,wandb]'` → `trainer.logger=[console,wandb]`), so a
 * word is what the program receives.
 *
 * `$NAME` / `${NAME}` outside single quotes is replaced by `variables[NAME]`; a variable the text
 * does not define is left as written (`$train_files`) and listed in `unresolved`: its value is not
 * in the log, and an empty string would be a guess.
 */
export interface ShellWord {
  readonly text: string;
  /** Offset of the word's first character in the input. */
  readonly start: number;
}

export type ShellWordsResult =
  | { readonly ok: true; readonly words: readonly ShellWord[]; readonly unresolved: readonly string[] }
  | { readonly ok: false; readonly at: number; readonly reason: string };

export function shellWords(text: string, variables: Readonly<Record<string, string>> = {}): ShellWordsResult {
  const words: ShellWord[] = [];
  const unresolved = new Set<string>();
  let i = 0;
  let word: string | undefined;
  let wordStart = 0;
  const begin = (): void => {
    if (word === undefined) {
      word = '';
      wordStart = i;
    }
  };
  const end = (): void => {
    if (word !== undefined) words.push({ text: word, start: wordStart });
    word = undefined;
  };
  const expand = (): string => {
    // text[i] is '$'
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(text.slice(i));
    const plain = braced ? undefined : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    const match = braced ?? plain;
    if (!match) {
      i++;
      return '$';
    }
    i += match[0].length;
    const name = match[1]!;
    if (name in variables) return variables[name]!;
    unresolved.add(name);
    return match[0];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      end();
      i++;
    } else if (c === '#' && word === undefined) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '\\') {
      if (text[i + 1] === '\n') {
        i += 2;
        continue;
      }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') {
        i += 3;
        continue;
      }
      begin();
      word += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      begin();
      const close = text.indexOf("'", i + 1);
      if (close === -1) return { ok: false, at: i, reason: 'unterminated single quote' };
      word += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      begin();
      const open = i;
      i++;
      for (;;) {
        if (i >= text.length) return { ok: false, at: open, reason: 'unterminated double quote' };
        const d = text[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') word = (word ?? '') + text[i + 1]!;
          i += 2;
        } else if (d === '$') word += expand();
        else {
          word += d;
          i++;
        }
      }
    } else if (c === '$') {
      begin();
      word += expand();
    } else {
      begin();
      word += c;
      i++;
    }
  }
  end();
  return { ok: true, words, unresolved: [...unresolved].sort() };
}
