// npm run manifest -w @dangjian/client: writes persisted-documents.json, the trusted-documents manifest of
// this package's operations (a test fails while it is out of date).
import { writeFileSync } from 'node:fs';
import { manifestPath, renderManifest } from './persisted-documents.ts';

const text = await renderManifest();
writeFileSync(manifestPath, text);
console.log(`wrote ${Object.keys(JSON.parse(text)).length} documents to ${manifestPath}`);
