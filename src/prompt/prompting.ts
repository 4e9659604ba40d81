/**
 * The prompt code activation does not load (dist/prompting.js, esbuild.js lazyChunks): the streaming
 * runner, the model list and the palette's prompt commands. Import only through loadPrompting().
 */
export { ModelCatalog } from './modelCatalog';
export { PromptCommands } from './promptCommands';
export { PromptRunner } from './promptRunner';
