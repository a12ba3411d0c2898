/** The engine's public surface: text in, plain data out. */
export type * from './model';
export { analyzeFiles, analyzeWithoutFixes, type Analysis } from './analyze';
export { EMPTY_ENVIRONMENT, type ProjectEnvironment } from './environment';
export { ExtractionCache } from './extraction-cache';
export { languageForPath, SOURCE_EXTENSIONS } from './languages/registry';
export { toJsonReport, type JsonReport } from './report';
