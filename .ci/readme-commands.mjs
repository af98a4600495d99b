// Prints the shell commands of the README block marked `<!-- ci:NAME … -->` (the first fenced
// block after the marker), one per line, comments stripped. `--first` prints only the first.
// .ci/run runs what this prints, so CI runs exactly what the README tells a user to run; a missing
// marker or an empty block is an error, so the two cannot drift apart silently.
import { readFileSync } from 'node:fs';

const [name, flag] = process.argv.slice(2);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const at = readme.indexOf(`<!-- ci:${name} `);
const fence = at < 0 ? null : /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
if (fence === null) {
  console.error(
    `.ci/readme-commands: README.md has no "<!-- ci:${name} -->" marker before a sh block`,
  );
  process.exit(1);
}
const commands = fence[1]
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
if (commands.length === 0) {
  console.error(`.ci/readme-commands: the README's ci:${name} block has no command`);
  process.exit(1);
}
console.log((flag === '--first' ? commands.slice(0, 1) : commands).join('\n'));
