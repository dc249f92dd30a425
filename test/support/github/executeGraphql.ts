// One GraphQL request against the real schema, answered the way GitHub answers it (HTTP 200 in
// every case here; the HTTP layer handles auth, rate limits and faults):
//   syntax or validation errors → `{ errors }` (no data);
//   pagination limits broken    → `{ errors }` (no data, nothing executed, nothing charged);
//   otherwise                   → `{ data, errors? }`, resolver errors located by path.
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
} from 'graphql';
import type { FakeContext, RateLimitView } from './fakeContext';
import type { FixtureStore } from './fixtureStore';
import { githubSchema } from './githubSchema';
import { formatError, type GitHubErrorJson } from './graphqlErrors';
import { mutationRoot } from './mutationRoot';
import { checkPagination } from './paginationRules';
import { queryRoot } from './queryRoot';
import { fieldResolver, typeResolver } from './resolvers';

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export interface GraphqlEnvironment {
  store: FixtureStore;
  viewer: string;
  now: () => Date;
  /** Takes the query's cost from the rate limit and returns the state to report. */
  charge: (nodeCount: number) => RateLimitView;
}

export interface GraphqlResponseBody {
  data?: Record<string, unknown> | null;
  errors?: GitHubErrorJson[];
}

function failed(errors: readonly GraphQLError[]): GraphqlResponseBody {
  return { errors: errors.map(formatError) };
}

export async function executeGraphql(request: GraphqlRequest, env: GraphqlEnvironment): Promise<GraphqlResponseBody> {
  const schema = githubSchema();
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return failed([error]);
    throw error;
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return failed(validationErrors);

  const operation = getOperationAST(document, request.operationName);
  let nodeCount = 0;
  if (operation) {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
    if (coerced.errors) return failed(coerced.errors);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const report = checkPagination(schema, operation, fragments, coerced.coerced);
    if (report.errors.length > 0) return failed(report.errors);
    nodeCount = report.nodeCount;
  }

  const context: FakeContext = { store: env.store, viewer: env.viewer, now: env.now, rateLimit: env.charge(nodeCount) };
  const result = await execute({
    schema,
    document,
    rootValue: operation?.operation === OperationTypeNode.MUTATION ? mutationRoot : queryRoot,
    contextValue: context,
    variableValues: request.variables,
    operationName: request.operationName,
    fieldResolver,
    typeResolver,
  });
  const body: GraphqlResponseBody = {};
  if (result.data !== undefined) body.data = result.data;
  if (result.errors && result.errors.length > 0) body.errors = result.errors.map(formatError);
  return body;
}
