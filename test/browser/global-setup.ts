/**
 * Builds once before the browser tests, exactly as `npm run build` does:
 * dist/web (served), dist/hvsim.html (one file, for file://) and dist/cli.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['esbuild.config.mjs', 'build'], { stdio: 'inherit' });
}
