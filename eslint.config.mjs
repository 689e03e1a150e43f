// Lint as the TypeScript ecosystem does: typescript-eslint's type-aware rules on the
// sources, its syntactic rules on tests and scripts; formatting is prettier's alone.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.bench/**', 'docs/api/**', 'src/docs/templates/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['src/**/*.ts', 'src/**/*.cts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'vitest.config.ts'],
    extends: [tseslint.configs.recommended],
  },
  {
    // Type-aware on the tests too (test/tsconfig.json).
    files: ['test/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
);
