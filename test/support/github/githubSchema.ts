// GitHub's real published GraphQL schema (@octokit/graphql-schema), built once per process.
//
// The published SDL defines two fields twice (EnterpriseOwnerInfo.repositoryDeployKeySetting…),
// which graphql-js's SDL validation rejects; `assumeValidSDL` skips that check (the later
// definition wins) and the built schema still passes `validateSchema`, which `execute` runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

let cached: GraphQLSchema | undefined;

/** Path of the schema file inside the installed package (its exports do not list it). */
export function githubSchemaPath(): string {
  return fileURLToPath(new URL('./schema.graphql', import.meta.resolve('@octokit/graphql-schema')));
}

/** The schema (about 0.2 s to build the first time; cached afterwards). */
export function githubSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(githubSchemaPath(), 'utf8'), { assumeValidSDL: true });
  return cached;
}
