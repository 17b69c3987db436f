/**
 * Run in a child process by output-folder.test.ts:
 *   node --import tsx output-set-driver.ts <folder> <history file> <old|new>
 * Writes one of two output sets into <folder> and appends a line to <history file> in the same
 * transaction. The kill tests set RLHF_REPLAY_KILL_AFTER_WRITE_STEP so the process dies mid-way.
 */
import { writeSet, type OutputSetName } from './output-sets.js';

const [folder, history, which] = process.argv.slice(2);
await writeSet(folder!, history!, which as OutputSetName);
