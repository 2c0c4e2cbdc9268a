export { createApp, type App, type AppOptions } from './app.ts';
export { loadConfig, loadDotEnv, ConfigError, type Config } from './config.ts';
export { signToken, type TokenClaims } from './auth.ts';
export { publishedSchemas } from './commands/schema.ts';
