/** The two output sets of the output-folder tests, written in-process or by output-set-driver.ts in a child. */
import { readFile } from 'node:fs/promises';
import { writeOutputs } from '../../../harness/util/output-folder.js';

export const OUTPUT_SETS = {
  old: { 'summary.md': 'old summary\n', 'tables/a.csv': 'old a\n', 'tables/b.csv': 'old b\n', 'charts/c.json': '{"old":true}\n' },
  new: { 'summary.md': 'new summary\n', 'tables/a.csv': 'new a\n', 'index.html': '<p>new</p>\n' },
} as const;

export type OutputSetName = keyof typeof OUTPUT_SETS;

export async function writeSet(folder: string, history: string, which: OutputSetName): Promise<void> {
  let previous = '';
  await writeOutputs({ folder, command: 'driver', files: [history] }, async (transaction) => {
    // Read after the transaction opened (and so recovered an earlier killed run), as nightly does.
    previous = await readFile(history, 'utf8').catch(() => '');
    for (const [path, text] of Object.entries(OUTPUT_SETS[which])) await transaction.write(path, text);
    await transaction.writeFile(history, `${previous}${which}\n`);
  });
}
