// Is this Node.js one Shomei supports? The one source is package.json's engines.node (">=MAJOR.MINOR").
// `node scripts/check-node.mjs` exits 1 with a message on an older Node (CI runs it after installing
// a supported one); npm start calls warnOnOldNode() before building: it says so plainly and goes on,
// since the service itself still starts there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;

/** The problem with Node.js `version` as a sentence, or null when it is supported. */
export function nodeProblem(version = process.versions.node) {
  const minimum = /^>=\s*(\d+)\.(\d+)$/.exec(wanted);
  if (!minimum) return `package.json: engines.node must read ">=MAJOR.MINOR" (it reads ${JSON.stringify(wanted)}).`;
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = [Number(minimum[1]), Number(minimum[2])];
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `Shomei needs Node.js ${needMajor}.${needMinor} or later; this is Node.js ${version}. Install a current Node.js LTS (README.md, "Node.js versions").`;
}

/** Stops the process with a message when this Node.js is too old. */
export function checkNode() {
  const problem = nodeProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

/** Says once, plainly, that this Node.js is not supported (nothing when it is). */
export function warnOnOldNode() {
  const problem = nodeProblem();
  if (problem) console.warn(`\n${problem} The service may still start, but it is not tested on this version.\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) checkNode();
