import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      'no-console': 'off',
    },
  },
  {
    // The windowing and alert engine is pure: events in, rows and alerts out. Storage reaches it
    // through its checkpoint port (engine/checkpoint-port.ts), the log through the runtime.
    files: ['src/main/engine/**/*.ts'],
    ignores: ['src/main/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pg', message: 'the engine is pure: storage goes through its checkpoint port' },
          ],
          patterns: [
            {
              regex: '^\\.\\./(store|log|runtime|workers|api)(/|$)',
              message:
                'the engine is pure: it may not import store/, log/, runtime/, workers/ or api/ (storage goes through engine/checkpoint-port.ts)',
            },
            { regex: '^node:', message: 'the engine is pure: no I/O modules' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
