// Schema views of people and labels: `User`/`Bot` (Actor), `Organization` (RepositoryOwner), `Label`.
// View objects expose schema fields as properties or `(args, context)` methods; see resolvers.ts.
import { createHash } from 'node:crypto';
import { nodeId } from './fixtureFormat';
import type { FakeContext } from './fakeContext';
import type { FixtureUser } from './fixtureTypes';

/** A User, or a Bot when the login ends with `[bot]` (GitHub shows bots without the suffix). */
export class UserView {
  readonly #user: FixtureUser;
  readonly __typename: 'User' | 'Bot';

  constructor(user: FixtureUser) {
    this.#user = user;
    this.__typename = user.login.endsWith('[bot]') ? 'Bot' : 'User';
  }

  get id(): string {
    return this.#user.id;
  }
  get databaseId(): number {
    return this.#user.databaseId;
  }
  get login(): string {
    return this.#user.login.replace(/\[bot\]$/, '');
  }
  get name(): null {
    return null;
  }
  get resourcePath(): string {
    return this.__typename === 'Bot' ? `/apps/${this.login}` : `/${this.login}`;
  }
  get url(): string {
    return `https://github.com${this.resourcePath}`;
  }
  avatarUrl(args: { size?: number | null }): string {
    return `https://avatars.githubusercontent.com/u/${this.#user.databaseId}?v=4${args.size ? `&s=${args.size}` : ''}`;
  }
  isViewer(_args: unknown, context: FakeContext): boolean {
    return this.#user.login.toLowerCase() === context.viewer.toLowerCase();
  }
}

/** The owner of a fixture repository (always an organization in the fake). */
export class OrganizationView {
  readonly __typename = 'Organization';
  readonly login: string;

  constructor(login: string) {
    this.login = login;
  }

  get id(): string {
    return nodeId('O', this.login);
  }
  get name(): string {
    return this.login;
  }
  get resourcePath(): string {
    return `/${this.login}`;
  }
  get url(): string {
    return `https://github.com/${this.login}`;
  }
  avatarUrl(): string {
    return `https://avatars.githubusercontent.com/${this.login}`;
  }
}

export class LabelView {
  readonly __typename = 'Label';
  readonly name: string;
  readonly #repo: string;

  constructor(repo: string, name: string) {
    this.#repo = repo;
    this.name = name;
  }

  get id(): string {
    return nodeId('LA', `${this.#repo}:${this.name}`);
  }
  /** A stable colour per name (hex without `#`, as GitHub sends it). */
  get color(): string {
    return createHash('sha1').update(this.name).digest('hex').slice(0, 6);
  }
  get description(): null {
    return null;
  }
  get isDefault(): boolean {
    return false;
  }
  get url(): string {
    return `https://github.com/${this.#repo}/labels/${encodeURIComponent(this.name)}`;
  }
}
