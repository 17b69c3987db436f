#!/usr/bin/env node
// Entry point of the `rlhf-replay` command. The harness is written in TypeScript and run
// through tsx's loader, so a fresh clone works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
