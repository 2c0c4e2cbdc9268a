/** Syncs plugin schema files into `<root>/prisma/schema`; returns the plugin files now there. */
export function syncPluginSchemas(root: string): string[];
