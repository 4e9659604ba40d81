/**
 * The prompt code activation does not load (dist/prompting.js, esbuild.js lazyChunks): the streaming
 * runner, the model list, the palette's prompt commands and token counting. Import only through loadPrompting().
 */
export { ModelCatalog } from './modelCatalog';
export { PromptCommands } from './promptCommands';
export { PromptRunner } from './promptRunner';
export { TokenCounter } from '../tokens/tokenCounter';
export { CountTokensCommand } from '../tokens/countTokensCommand';
