/** Builds the web app once before the browser tests, exactly as `npm run build` does. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['esbuild.config.mjs', 'build'], { stdio: 'inherit' });
}
