// Checks Grafana dashboard JSON files against schema.ts with the TypeScript compiler, once per
// Grafana version in SCHEMAS (the @grafana/schema releases pinned in package.json):
//   node check.mjs DASHBOARD.json...
// Each dashboard becomes `export const d = <its JSON text> satisfies Dashboard;`: an object
// literal keeps its literal types and gets excess-property checks, so a misspelt or unknown
// field, a missing required field and a value of the wrong type are all errors. Errors are
// reported as "grafana X.Y.Z: FILE.json:LINE:COLUMN: ...". Exit code 0: all valid, 1: errors,
// 2: usage or setup.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Grafana version -> installed package directory. 11.3.0 is the version of the shipped
// docker/compose.yml stack, 13.2.3 a current release; dashboards must load in both.
const SCHEMAS = {
  '11.3.0': 'node_modules/grafana-schema-11.3.0',
  '13.2.3': 'node_modules/@grafana/schema',
};

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs DASHBOARD.json...');
  process.exit(2);
}
const tsc = join(here, 'node_modules/typescript/bin/tsc');
for (const dir of [tsc, ...Object.values(SCHEMAS).map((p) => join(here, p))]) {
  if (!existsSync(dir)) {
    console.error(`${dir} is missing: run npm ci in ${here}`);
    process.exit(2);
  }
}

const HEADER = "import type { Dashboard } from './schema.js';\nexport const d = ";
const headerColumns = HEADER.split('\n')[1].length;
const texts = files.map((file) => {
  const text = readFileSync(file, 'utf8');
  try {
    JSON.parse(text);
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    process.exit(1);
  }
  return text;
});

let failed = false;
const workRoot = mkdtempSync(join(tmpdir(), 'dashboard-schema-check-'));
for (const [version, pkg] of Object.entries(SCHEMAS)) {
  const work = join(workRoot, version);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'schema.ts'), readFileSync(join(here, 'schema.ts'), 'utf8'));
  const sources = new Map();
  files.forEach((file, i) => {
    const ts = `d${i}_${basename(file).replace(/[^A-Za-z0-9]/g, '_')}.ts`;
    writeFileSync(join(work, ts), `${HEADER}${texts[i].trimEnd()} satisfies Dashboard;\n`);
    sources.set(ts, resolve(file));
  });
  // '@grafana/schema', also where the package's own files import it, is this version.
  const pkgDir = join(here, pkg);
  const types = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).types;
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        skipLibCheck: true,
        types: [],
        paths: {
          '@grafana/schema': [join(pkgDir, types)],
          '@grafana/schema/*': [join(pkgDir, '*')],
        },
      },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, '-p', work, '--pretty', 'false'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    failed = true;
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}` || 'tsc failed without output\n';
    // tsc names the generated file; its line 2 is line 1 of the dashboard, after the header.
    const mapped = output.replace(/^(?:.*\/)?(d\d+_[A-Za-z0-9_]+\.ts)\((\d+),(\d+)\)/gm, (all, ts, line, col) => {
      const src = sources.get(ts);
      if (!src) return all;
      const l = Number(line) - 1;
      const c = l === 1 ? Number(col) - headerColumns : Number(col);
      return `${src}:${l}:${c}`;
    });
    process.stderr.write(mapped.replace(/^(?=\S)/gm, `grafana ${version}: `));
  }
}
rmSync(workRoot, { recursive: true, force: true });
if (failed) process.exit(1);
console.log(`${files.length} dashboard(s) match the dashboard schema of Grafana ${Object.keys(SCHEMAS).join(' and ')}`);
