#!/usr/bin/env node
// `npx banli …`: runs the TypeScript entry point through tsx's loader, in this process.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
