import type { SecurityRule } from './findings';

/**
 * The shell security rules, by id, with severities and reasons in one table. In strict mode (the
 * thread was flagged for prompt injection) every rule reports its `strictSeverity`: all become
 * errors, since a steered reply is exactly where a dangerous command would be planted.
 *
 * What each rule matches (`shellSecurity.ts`); commands are seen through `sudo`, `doas`, `env`,
 * `command`, `exec`, `nohup`, `time`, `nice` and `timeout`, and by their base name (`/usr/bin/curl`):
 * - `shell.curl-pipe-shell`: a pipeline from `curl`/`wget` into a shell or interpreter that reads
 *   the script from stdin (sh, bash, zsh, dash, ksh, ash, mksh, fish, python*, perl, ruby, node;
 *   with no script argument, or `-s`/`-`; `python3 -m json.tool` or `python -c '…'` read data, not
 *   code, and pass); a shell, interpreter, `eval`, `source` or `.` given a download through `$(…)`,
 *   `<(…)` or `<<<` (`sh -c "$(curl …)"`, `bash <(curl …)`, `source <(wget -O- …)`).
 * - `shell.rm-rf-variable`: `rm` with a recursive (`-r`, `-R`, `--recursive`) and a force (`-f`,
 *   `--force`) flag, in any form (`-rf`, `-fr`, `-r -f`, `-Rfv`), on an argument that is or starts
 *   with a variable expansion, quoted or not (`$DIR`, `"$DIR"/`, `${X}/*`, `"$1"`). Expansions that
 *   cannot be empty pass: `${DIR:?}` (fails when unset or empty) and `${DIR:-default}` with a
 *   non-empty default.
 * - `shell.chmod-777`: `chmod` with a mode that makes files world-writable: an octal mode whose last
 *   digit has the write bit (777, 0777, 666, 757, …) or a symbolic one granting `w` to `o`/`a`
 *   (`a+rwx`, `o+w`, `ugo=rwx`), with or without `-R`.
 * - `shell.eval-variable`: `eval` whose arguments expand a variable (`eval "$CMD"`, `eval $1`).
 *   `eval "$(tool init)"` (ssh-agent, pyenv, brew shellenv) is the documented way to load those
 *   tools and passes, unless the command substitution downloads (then `curl-pipe-shell`).
 * - `shell.disable-tls`: `curl -k`/`--insecure` (also inside a cluster such as `-fsSLk`),
 *   `wget --no-check-certificate`, `git -c http.sslVerify=false` / `git config … http.sslVerify
 *   false`, `npm|yarn|pnpm config set strict-ssl false`, and setting `NODE_TLS_REJECT_UNAUTHORIZED=0`,
 *   `GIT_SSL_NO_VERIFY` or `PYTHONHTTPSVERIFY=0`.
 */
export const SHELL_RULES = {
  curlPipeShell: {
    id: 'shell.curl-pipe-shell',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'runs a script nobody reviewed (and a truncated one); some vendors document it, so not an error',
  },
  rmRfVariable: {
    id: 'shell.rm-rf-variable',
    severity: 'error',
    strictSeverity: 'error',
    reason: 'an empty or unset variable turns it into `rm -rf /…`: data loss, and `${VAR:?}` is a one-word fix',
  },
  chmod777: {
    id: 'shell.chmod-777',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'any local user can change the files; sometimes used on throwaway containers',
  },
  evalVariable: {
    id: 'shell.eval-variable',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'command injection when the variable holds input; sometimes deliberate',
  },
  disableTls: {
    id: 'shell.disable-tls',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'turns off certificate checks (man in the middle); occasionally a deliberate local workaround',
  },
} as const satisfies Record<string, SecurityRule>;
