export { buildManifest, documentId, documentText, sha256Hex } from './documents.ts';
export { clientError, DangjianClientError, type ErrorCode, type GraphQLErrorEntry, isDangjianError } from './errors.ts';
export {
  type ClientOptions,
  createClient,
  type DangjianClient,
  type Feed,
  type FeedActivity,
  type FeedOptions,
  type FeedVariables,
  type Sink,
  type TokenGetter,
  type VariablesArgument,
} from './client.ts';
export { type FragmentOf, graphql, readFragment, type ResultOf, type Scalars, type TadaDocumentNode, type VariablesOf } from './graphql.ts';
export {
  ActivitiesQuery,
  ActivityFeedSubscription,
  OrganizationByCodeQuery,
  OrganizationMembersQuery,
  operations,
  RecordMeetingMutation,
  SecretaryDashboardQuery,
  ViewerQuery,
} from './operations.ts';
