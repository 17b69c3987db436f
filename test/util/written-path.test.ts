import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPackagePath, packagePathOf, pathFixHint, resolveWrittenPath, restatePath } from '../../harness/util/written-path.js';
import { projectRoot } from '../../harness/util/shared-data.js';

describe('paths an input file writes', () => {
  it("reads 'package:' paths from the package root, others from the writing file's folder", () => {
    expect(resolveWrittenPath('package:harness/cost/calibrations/public-profiles.json', '/anywhere/at/all.json')).toBe(join(projectRoot, 'harness', 'cost', 'calibrations', 'public-profiles.json'));
    expect(resolveWrittenPath('cal.json', '/home/u/runs/s.json')).toBe('/home/u/runs/cal.json');
    expect(resolveWrittenPath('../cal.json', '/home/u/runs/s.json')).toBe('/home/u/cal.json');
    expect(resolveWrittenPath('/abs/cal.json', '/home/u/runs/s.json')).toBe('/abs/cal.json');
    expect(isPackagePath('package:x')).toBe(true);
    expect(isPackagePath('./package:x')).toBe(false);
  });

  it('restates a parent file’s relative path for the file that inherits it', () => {
    const parent = join(projectRoot, 'harness', 'scenario', 'scenarios', 'a.json');
    expect(restatePath('../../cost/c.json', parent, '/home/u/b.json')).toBe('package:harness/cost/c.json');
    expect(restatePath('c.json', '/data/x/a.json', '/data/y/b.json')).toBe('../x/c.json');
    expect(restatePath('package:p.json', '/data/x/a.json', '/data/y/b.json')).toBe('package:p.json');
    expect(packagePathOf('/not/in/the/package.json')).toBeUndefined();
  });

  it('says how to fix a path that names no file', () => {
    expect(pathFixHint('costModel.calibration', '/home/u/runs/s.json')).toBe(
      "costModel.calibration is read relative to the folder of the file that writes it (/home/u/runs); write 'package:<path>' for a file shipped with rlhf-replay (e.g. 'package:harness/cost/calibrations/public-profiles.json')",
    );
  });
});
