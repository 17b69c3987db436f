import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The names an output transaction gives its temporary files: staging folders, the commit record, atomic-write temporaries. */
export const TEMPORARY = /^\.rlhf-replay-\d+-[0-9a-f]{8}\.(staging|commit\.json)$|\.tmp-\d+-[0-9a-f]{8}$/;

/** Every file below `dir` (relative path → contents), temporary names listed apart, sorted. */
export async function snapshot(dir: string): Promise<{ files: Record<string, string>; temporary: string[] }> {
  const files: Record<string, string> = {};
  const temporary: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (TEMPORARY.test(entry.name)) temporary.push(relative(dir, path));
      else if (entry.isDirectory()) await walk(path);
      else files[relative(dir, path)] = await readFile(path, 'utf8');
    }
  };
  await walk(dir);
  return { files, temporary: temporary.sort() };
}
