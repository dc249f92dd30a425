import type { SecurityRule } from './findings';

/**
 * The Python security rules: what Bandit finds most, by id, with severities and reasons in one
 * table. `warning` fails a block unless the setting allows warnings, `error` always, `info` never
 * (protocol/checks). In strict mode (the thread was flagged for prompt injection, so the reply may
 * have been steered toward dangerous code) every rule reports its `strictSeverity`: warnings become
 * errors and the one `info` rule becomes a warning.
 *
 * Scope decisions, for what a reviewer would otherwise ask:
 * - `python.yaml-load`: `yaml.load`/`load_all` without a Loader, or with one that is not
 *   `SafeLoader`/`CSafeLoader`/`BaseLoader`/`CBaseLoader`/`FullLoader`/`CFullLoader` (or a
 *   `…SafeLoader` subclass); `yaml.unsafe_load`/`unsafe_load_all` always. `yaml.full_load` and
 *   `FullLoader` are not flagged: since PyYAML 5.4 they no longer build arbitrary objects, and
 *   Bandit (B506) does not flag them either.
 * - `python.subprocess-shell`: `subprocess.call/run/Popen/check_call/check_output` with a literal
 *   truthy `shell=` (`True`, a non-zero number); `shell=flag` with a variable is not flagged.
 *   `subprocess.getoutput/getstatusoutput` and `asyncio.create_subprocess_shell` always use a shell
 *   and are flagged under this id.
 * - `python.os-system`: `os.system`, `os.popen` (and Python 2's `popen2/3/4`, `commands.getoutput`).
 * - `python.pickle-load`: `load`/`loads`/`Unpickler` of pickle, cPickle, _pickle, dill and
 *   cloudpickle, plus `joblib.load`, `pandas.read_pickle`, `shelve.open` and `numpy.load(...,
 *   allow_pickle=True)`, all of which unpickle.
 * - `python.verify-false`: `verify=False` on requests/httpx calls or on any `get/post/…/request/
 *   stream/send/Client/AsyncClient/Session` call; `x.verify = False`; `x.check_hostname = False`;
 *   `x.verify_mode = ssl.CERT_NONE`; `ssl._create_unverified_context()`.
 * - `python.hardcoded-password`: a non-empty plain string literal assigned to, passed as, compared
 *   with, defaulted for, or keyed by a name whose last word is password/passwd/pwd/pass/passphrase/
 *   secret/token (or api/secret/private/access/auth/signing/encryption/master + key). Placeholders
 *   (`<…>`, `${VAR}`, `{{…}}`, `{name}`, `%s`, `xxx`, `***`, `...`, `your…`, `…here`) are not secrets.
 * - `python.sql-formatting`: the query argument of `execute`, `executemany`, `executescript`,
 *   `exec_driver_sql`, `read_sql`, `read_sql_query` or `raw` (directly, through `text(...)`, or through
 *   a variable assigned earlier in the block) built by an f-string with fields, `%`, `.format(...)` or
 *   `+` with a non-literal, whose literal text holds SQL (SELECT…FROM, INSERT INTO, UPDATE…SET,
 *   DELETE FROM, WHERE, DROP/ALTER/CREATE/TRUNCATE TABLE). `sql.SQL(...).format(...)` is not a string
 *   and passes.
 * - `python.weak-hash`: `hashlib.md5/sha1/md4` and `hashlib.new('md5'|'sha1'|'md4'|'md2'|'sha')`
 *   unless `usedforsecurity=False` says it is a checksum.
 * - `python.bind-all-interfaces`: the literal `'0.0.0.0'` as a host/bind/address keyword or dict
 *   key, assigned to a host/bind/listen/address-named variable, or inside the arguments of a
 *   bind/listen/run/serve/…Server call. Elsewhere (`print('0.0.0.0')`) it is just text.
 */
export const PYTHON_RULES = {
  exec: {
    id: 'python.exec',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'runs arbitrary code when the string is not a constant; constant uses exist, so not an error',
  },
  eval: {
    id: 'python.eval',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'runs arbitrary code when the string is not a constant; `ast.literal_eval` is the usual fix',
  },
  pickleLoad: {
    id: 'python.pickle-load',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'code execution on untrusted data, but loading one\'s own files is a legitimate use',
  },
  marshalLoad: {
    id: 'python.marshal-load',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'not safe against crafted input; rarely the right tool in an answer',
  },
  yamlLoad: {
    id: 'python.yaml-load',
    severity: 'error',
    strictSeverity: 'error',
    reason: 'builds arbitrary objects from the document, and `yaml.safe_load` is a drop-in replacement',
  },
  subprocessShell: {
    id: 'python.subprocess-shell',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'command injection when the string holds input; harmless with a constant command',
  },
  osSystem: {
    id: 'python.os-system',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'always goes through the shell (command injection); `subprocess.run([...])` is the fix',
  },
  verifyFalse: {
    id: 'python.verify-false',
    severity: 'error',
    strictSeverity: 'error',
    reason: 'turns off TLS certificate checks (man in the middle); an answer should never recommend it',
  },
  hardcodedPassword: {
    id: 'python.hardcoded-password',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'a credential in code leaks with it; name-based, so demo values hit too',
  },
  mktemp: {
    id: 'python.mktemp',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'a race between naming and creating the file; `mkstemp`/`NamedTemporaryFile` are drop-in',
  },
  sqlFormatting: {
    id: 'python.sql-formatting',
    severity: 'error',
    strictSeverity: 'error',
    reason: 'SQL injection, and parameterised queries are always available',
  },
  weakHash: {
    id: 'python.weak-hash',
    severity: 'warning',
    strictSeverity: 'error',
    reason: 'broken for security uses; checksum uses say so with `usedforsecurity=False`',
  },
  bindAllInterfaces: {
    id: 'python.bind-all-interfaces',
    severity: 'info',
    strictSeverity: 'warning',
    reason: 'exposes the service to the network; normal in containers, so informational',
  },
} as const satisfies Record<string, SecurityRule>;
