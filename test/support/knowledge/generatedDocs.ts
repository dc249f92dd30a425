import { seededRandom } from '../seededRandom';

const WORDS = (
  'the parser reads each file once and keeps a cache of tokens so that later passes are cheap ' +
  'configure the option in settings when the build fails on a clean checkout run the install step again ' +
  'errors are reported with their line and column the daemon restarts itself after a crash'
).split(' ');

/** A sentence of 8–20 words from WORDS: capitalised, ending in a full stop. */
export function sentence(random: () => number): string {
  const n = 8 + Math.floor(random() * 13);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
}

/**
 * A docs page as people write them: `# Guide`, then `sections` sections `## Topic <n>` of several
 * paragraphs, some lists and small code blocks. The same seed gives the same page.
 */
export function realisticDoc(seed: number, sections: number): string {
  const random = seededRandom(seed);
  const out: string[] = ['# Guide', ''];
  for (let s = 0; s < sections; s++) {
    out.push(`## Topic ${s}`, '');
    const paragraphs = 8 + Math.floor(random() * 6);
    for (let p = 0; p < paragraphs; p++) {
      const roll = random();
      if (roll < 0.15) {
        out.push('```sh', `tool run --step ${p}`, `tool check --verbose`, '```', '');
      } else if (roll < 0.3) {
        for (let k = 0; k < 3; k++) out.push(`- ${sentence(random)}`);
        out.push('');
      } else {
        out.push(Array.from({ length: 3 + Math.floor(random() * 4) }, () => sentence(random)).join(' '), '');
      }
    }
  }
  return out.join('\n');
}
