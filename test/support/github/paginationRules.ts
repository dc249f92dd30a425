// GitHub's static node limits, checked after validation and before execution (GitHub rejects the
// whole query, so nothing is executed and there is no `data`):
// - a connection whose `nodes` or `edges` are selected needs `first` or `last`;
// - `first`/`last` are 0..100;
// - nodeCount: the sum over connections of `first`/`last` times the parents' page sizes (what
//   `rateLimit { nodeCount }` reports).
import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { githubError } from './graphqlErrors';
import type { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 100;

export interface PaginationReport {
  errors: GraphQLError[];
  nodeCount: number;
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const names = new Set(field.args.map((a) => a.name));
  return names.has('first') && names.has('last') && getNamedType(field.type).name.endsWith('Connection');
}

export function checkPagination(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): PaginationReport {
  const report: PaginationReport = { errors: [], nodeCount: 0 };
  const root = schema.getRootType(operation.operation);
  if (!root) return report;

  /** Whether the selection (through fragments) asks for `nodes` or `edges`. */
  const selectsItems = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === 'nodes' || s.name.value === 'edges';
      if (s.kind === Kind.INLINE_FRAGMENT) return selectsItems(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      return fragment ? selectsItems(fragment.selectionSet) : false;
    });

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, path: string[]): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) walk(selection.selectionSet, type, multiplier, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) walk(fragment.selectionSet, type, multiplier, path);
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const fieldPath = [...path, selection.alias?.value ?? selection.name.value];
      let childMultiplier = multiplier;
      if (isConnection(field)) {
        const args = getArgumentValues(field, selection, variables);
        const name = field.name;
        const first = typeof args.first === 'number' ? args.first : undefined;
        const last = typeof args.last === 'number' ? args.last : undefined;
        for (const [arg, value] of [['first', first], ['last', last]] as const) {
          if (value === undefined) continue;
          if (value > MAX_PAGE_SIZE) {
            report.errors.push(githubError('EXCESSIVE_PAGINATION', `Requesting ${value} records on the \`${name}\` connection exceeds the \`${arg}\` limit of ${MAX_PAGE_SIZE} records.`, { path: [...fieldPath, arg], node: selection }));
          } else if (value < 0) {
            report.errors.push(githubError('UNPROCESSABLE', `\`${arg}\` on the \`${name}\` connection cannot be less than zero.`, { path: [...fieldPath, arg], node: selection }));
          }
        }
        if (first === undefined && last === undefined && selection.selectionSet && selectsItems(selection.selectionSet)) {
          report.errors.push(githubError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, { path: fieldPath, node: selection }));
        }
        const size = Math.max(first ?? 0, last ?? 0);
        report.nodeCount += multiplier * size;
        childMultiplier = multiplier * Math.max(size, 1);
      }
      if (selection.selectionSet) walk(selection.selectionSet, getNamedType(field.type), childMultiplier, fieldPath);
    }
  };

  walk(operation.selectionSet, root, 1, []);
  return report;
}
