// The npm registry this project is built against serves only the linux-x64 builds of
// rollup's native binaries, so `npm install` leaves the other platforms' optional
// packages out of package-lock.json and `npm ci` then refuses the lock as out of sync.
// This adds those entries back, marked optional with the os/cpu/libc they need, so
// `npm ci` skips them on this platform exactly as it would with a complete lock.
// Run it after any `npm install` that rewrites the lock: `node scripts/patch-lock.mjs`.
import fs from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;

const CPU = { arm: 'arm', 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };
function platformOf(name) {
  const m = /^@rollup\/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (!m) return null;
  const [, os, cpu, abi] = m;
  const entry = { os: [os], cpu: [CPU[cpu] ?? cpu] };
  if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const [where, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `${where ? `${where}/` : ''}node_modules/${dep}`.replace(/^\/+/, '');
    const hoisted = `node_modules/${dep}`;
    if (pkgs[key] || pkgs[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    pkgs[hoisted] = { version, ...platform, dev: meta.dev || undefined, optional: true, license: 'MIT' };
    added++;
  }
}
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`patch-lock: added ${added} platform-specific optional entries`);
