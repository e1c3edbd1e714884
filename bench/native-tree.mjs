// Builds one target of the benchmarks' native Release tree (CMakePresets.json "bench") and returns the
// path of its binary; throws with the compiler's output when configuring or building fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const benchTreeDir = `${root}build/bench-native`;

function cmake(args) {
  const result = spawnSync('cmake', args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cmake ${args.join(' ')}\n${result.stdout}${result.stderr}`);
}

export function buildBenchTarget(target, subdir) {
  cmake(['--preset', 'bench']);
  cmake(['--build', '--preset', 'bench', '--target', target]);
  return `${benchTreeDir}/${subdir}/${target}`;
}
