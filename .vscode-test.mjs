// For machines where @vscode/test-electron can download desktop VS Code: `npm run test:electron`.
// The offline route used by `npm test` is test/harness (code-server).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder: './test/fixtures/demo-workspace',
  mocha: { ui: 'bdd', timeout: 20000 },
});
