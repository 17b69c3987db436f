import { describe, expect, it } from 'vitest';
import { shellWords } from '../../../harness/traces/verl/shell-words.js';

const words = (text: string, variables: Record<string, string> = {}) => {
  const result = shellWords(text, variables);
  if (!result.ok) throw new Error(result.reason);
  return result.words.map((w) => w.text);
};

describe('shellWords', () => {
  it('removes quotes the way bash does, including the quoting bash -x writes', () => {
    expect(words(`a.b=1 'c.d=[x, y]' "e=f g"`)).toEqual(['a.b=1', 'c.d=[x, y]', 'e=f g']);
    expect(words(`'data.train_files=['\\''/a.parquet'\\'', '\\''/b.parquet'\\'']'`)).toEqual(["data.train_files=['/a.parquet', '/b.parquet']"]);
    expect(words(`trainer.logger=['console','wandb']`)).toEqual(['trainer.logger=[console,wandb]']);
  });

  it('joins continued lines and drops comments', () => {
    expect(words('python3 -m m \\\n    a=1 \\\n    b=2 # the end\n')).toEqual(['python3', '-m', 'm', 'a=1', 'b=2']);
    expect(words('x=a#b')).toEqual(['x=a#b']); // # inside a word is not a comment
  });

  it('substitutes defined variables, in double quotes too, and keeps undefined ones as written', () => {
    const result = shellWords('p=$MODEL q="${TP}x" r=\'$TP\' s=$missing', { MODEL: 'org/m', TP: '2' });
    expect(result).toEqual({
      ok: true,
      words: [
        { text: 'p=org/m', start: 0 },
        { text: 'q=2x', start: 9 },
        { text: 'r=$TP', start: 20 },
        { text: 's=$missing', start: 28 },
      ],
      unresolved: ['missing'],
    });
  });

  it('reports an unterminated quote where it opens', () => {
    expect(shellWords(`a=1 'b=2`)).toEqual({ ok: false, at: 4, reason: 'unterminated single quote' });
    expect(shellWords(`a="b`)).toEqual({ ok: false, at: 2, reason: 'unterminated double quote' });
  });
});
