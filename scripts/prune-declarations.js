#!/usr/bin/env node
/**
 * The package ships only the declarations a user reaches from `dist/index.d.ts`. tsc writes a `.d.ts` for
 * every module, and the internal ones (the wire formats) are typed against the `openai` and
 * `@anthropic-ai/sdk` devDependencies, which a user does not have: shipped, they would be one stray import
 * away from breaking a consumer that checks libraries (`skipLibCheck: false`). The public ones must import
 * nothing but Node built-ins and the package's own runtime dependencies; anything else stops the build.
 * Run by `npm run build` and again by `npm pack` (prepack), so a tarball never holds the others.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const entry = join(dist, 'index.d.ts');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const allowed = new Set([...Object.keys(manifest.dependencies ?? {}), ...builtinModules]);

if (!existsSync(entry)) {
  console.error(`prune-declarations: ${relative(root, entry)} is missing; run \`npm run build\` first.`);
  process.exit(1);
}

/** Import specifiers of a declaration file (comments removed first: JSDoc examples are not imports). */
function specifiers(file) {
  const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`, `node:fs` → `fs`. */
function packageName(specifier) {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const reached = new Set();
const problems = [];
const pending = [entry];
while (pending.length > 0) {
  const file = pending.pop();
  if (reached.has(file)) continue;
  reached.add(file);
  for (const specifier of specifiers(file)) {
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.d.ts');
      if (existsSync(target)) pending.push(target);
      else problems.push(`${relative(root, file)} imports ${specifier}, which has no declaration file`);
    } else if (!allowed.has(packageName(specifier))) {
      problems.push(`${relative(root, file)} imports '${specifier}', which is not a runtime dependency`);
    }
  }
}
if (problems.length > 0) {
  console.error(`prune-declarations: the public types must be self-contained:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}
let removed = 0;
for (const file of declarations(dist)) {
  if (reached.has(file)) continue;
  rmSync(file);
  removed += 1;
}
console.error(`prune-declarations: kept the ${reached.size} public declaration files, removed ${removed} internal ones`);
