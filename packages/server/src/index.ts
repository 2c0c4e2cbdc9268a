export { createApp, type App, type AppOptions } from './app.ts';
export { loadConfig, loadDotEnv, ConfigError, type Config } from './config.ts';
export { signToken, type TokenClaims } from './auth.ts';
export { installedSchemaSet, publishedSchemas } from './commands/schema.ts';
export { checkCoreSnapshot, checkSnapshot, coreSdl, pluginSdl, type SnapshotCheck } from './plugins/snapshot.ts';
export { discoverPlugins, selectPlugins } from './plugins/discover.ts';
export { createLogger, redactText, type LogFields, type LogFn, type Logger, type TracingOptions } from './observability/index.ts';
