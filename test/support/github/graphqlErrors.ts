// Errors in the shape GitHub's GraphQL API sends them: `{ type?, path?, extensions?, locations?, message }`
// with GitHub's `type` (NOT_FOUND, FORBIDDEN, UNPROCESSABLE, …) at the top level, not in extensions.
import { GraphQLError, type ASTNode } from 'graphql';

/** A GitHub error `type`, e.g. NOT_FOUND; carried in `extensions.type` until formatted. */
export type GitHubErrorType =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'MISSING_PAGINATION_BOUNDARIES'
  | 'EXCESSIVE_PAGINATION'
  | 'INVALID_CURSOR_ARGUMENTS'
  | 'NOT_IMPLEMENTED_IN_FAKE';

/** Thrown from a resolver (or the static checks) to produce a GitHub-typed error. */
export function githubError(
  type: GitHubErrorType,
  message: string,
  options: { path?: readonly (string | number)[]; node?: ASTNode } = {},
): GraphQLError {
  return new GraphQLError(message, { path: options.path, nodes: options.node, extensions: { type } });
}

export interface GitHubErrorJson {
  type?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
  locations?: readonly { line: number; column: number }[];
  message: string;
}

/** GitHub's (graphql-ruby's) wording for the commonest validation error, so logs read the same. */
function rubyStyle(error: GraphQLError): { message: string; extensions?: Record<string, unknown> } {
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (unknownField) {
    const [, fieldName, typeName] = unknownField;
    return {
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: 'undefinedField', typeName, fieldName },
    };
  }
  return { message: error.message };
}

/** GitHub's order of keys: type, path, extensions, locations, message. */
export function formatError(error: GraphQLError): GitHubErrorJson {
  const { type, ...otherExtensions } = error.extensions;
  const ruby = rubyStyle(error);
  const extensions = { ...otherExtensions, ...ruby.extensions };
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: ruby.message,
  };
}
