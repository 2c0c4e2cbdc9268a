import { defineConfig } from 'prisma/config';

// The CLI reads this for `prisma generate` and, where Prisma's native engine can be had, for
// `prisma migrate deploy`. The server never reads it: it builds its own driver adapter.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/dangjian' },
});
