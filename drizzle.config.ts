import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/platform/platform.schema.ts',
    './src/platform/payments/payments.schema.ts',
    './src/platform/delivery/delivery.schema.ts',
    './src/modules/*/*.schema.ts',
    './src/modules/*/*/*.schema.ts',
  ],
  out: './migrations',
});
