import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, Kind, OperationTypeNode, parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import * as queries from '../../server/src/github/queries';
import * as responses from '../../server/src/github/responses';

/**
 * GitHub's published schema. Its SDL defines two EnterpriseOwnerInfo fields twice, which graphql-js's
 * SDL check rejects; `assumeValidSDL` skips only that check (documents are still fully validated).
 */
function githubSchema(): GraphQLSchema {
  const file = fileURLToPath(new URL('./schema.graphql', import.meta.resolve('@octokit/graphql-schema')));
  return buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
}

const schema = githubSchema();

/** Every string exported by queries.ts: a new document is checked without touching this test. */
const exportedByQueries: Record<string, unknown> = queries;
const documents = Object.entries(exportedByQueries).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as const] : []));

function isOperation(value: unknown): value is responses.Operation<unknown> {
  return typeof value === 'object' && value !== null && 'document' in value && typeof value.document === 'string' && 'name' in value && typeof value.name === 'string';
}

function errorsOf(document: string): string[] {
  return validate(schema, parse(document)).map((error) => error.message);
}

describe('GitHub GraphQL documents', () => {
  test('queries.ts exports the documents (the enumeration below is not empty)', () => {
    assert.ok(documents.length >= 10, `found only ${documents.length} documents`);
  });

  for (const [name, document] of documents) {
    test(`${name} is valid against GitHub's schema`, () => {
      assert.deepEqual(errorsOf(document), []);
    });

    test(`${name} is one named operation${document.trimStart().startsWith('query') ? ' that asks for rateLimit' : ''}`, () => {
      const ast = parse(document);
      const operations = ast.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      assert.equal(operations.length, 1);
      const operation = operations[0];
      assert.ok(operation?.kind === Kind.OPERATION_DEFINITION && operation.name, `${name} has a named operation`);
      if (operation.operation === OperationTypeNode.QUERY) {
        assert.match(document, /rateLimit \{ cost remaining resetAt limit \}/);
      }
    });
  }

  test('every operation of responses.ts sends a document of queries.ts under its own operation name', () => {
    const exportedByResponses: Record<string, unknown> = responses;
    const operations = Object.values(exportedByResponses).filter(isOperation);
    assert.ok(operations.length >= 10);
    const exported = new Set<string>(documents.map(([, document]) => document));
    for (const operation of operations) {
      assert.ok(exported.has(operation.document), `${operation.name}'s document is exported by queries.ts`);
      assert.match(operation.document, new RegExp(`^(query|mutation) ${operation.name}\\b`));
    }
  });

  test('the check bites: a field GitHub does not have, a conflict and an unused fragment are rejected', () => {
    assert.match(errorsOf('query Bad { viewer { loginName } }').join('\n'), /Cannot query field "loginName" on type "User"/);
    assert.match(
      errorsOf('query Bad($n: Int!) { repository(owner: "o", name: "n") { issueOrPullRequest(number: $n) { ... on Issue { state } ... on PullRequest { state } } } }').join('\n'),
      /Fields "state" conflict/,
    );
    assert.match(errorsOf('query Bad { viewer { login } } fragment Unused on User { login }').join('\n'), /Fragment "Unused" is never used/);
    assert.match(errorsOf('mutation Bad { addComment(input: {body: "x"}) { clientMutationId } }').join('\n'), /subjectId/);
  });
});
