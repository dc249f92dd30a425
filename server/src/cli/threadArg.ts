/** A thread on GitHub named on the command line. */
export interface GitHubThreadArg {
  repo: string;
  number: number;
}

const NAME = '[A-Za-z0-9_.-]{1,100}';
const SHORT_REF = new RegExp(`^(${NAME}/${NAME})#(\\d{1,9})$`);
const URL_PATH = new RegExp(`^/(${NAME}/${NAME})/(?:issues|pull)/(\\d{1,9})(?:/.*)?$`);

/**
 * `owner/repo#N`, or the web URL of an issue or pull request (`https://github.com/o/r/issues/N`,
 * `…/pull/N`, on any host: GitHub Enterprise Server URLs have the same paths). Anything else is
 * undefined: the argument is then a file.
 */
export function parseGitHubThreadArg(value: string): GitHubThreadArg | undefined {
  const short = SHORT_REF.exec(value.trim());
  if (short) return valid(short[1]!, short[2]!);
  if (!/^https?:\/\//i.test(value.trim())) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const match = URL_PATH.exec(url.pathname);
  return match ? valid(match[1]!, match[2]!) : undefined;
}

function valid(repo: string, digits: string): GitHubThreadArg | undefined {
  const number = Number(digits);
  if (!Number.isSafeInteger(number) || number < 1) return undefined;
  if (repo.split('/').some((part) => part === '.' || part === '..')) return undefined;
  return { repo, number };
}
