import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The real transit data of ../shared/data/transit (beside the repository; in a worktree, /work/shared). */
export function sharedTransitData(file: string): string {
  const candidates = [
    process.env.SHARED_DATA_DIR ? path.join(process.env.SHARED_DATA_DIR, 'transit') : '',
    path.join(repoRoot, '../shared/data/transit'),
    path.join(repoRoot, '../../shared/data/transit'),
  ].filter(Boolean);
  for (const dir of candidates) if (existsSync(path.join(dir, file))) return path.join(dir, file);
  throw new Error(`${file} not found in ${candidates.join(', ')}`);
}
