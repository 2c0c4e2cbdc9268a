import { graphql } from './graphql.ts';

// The operations this package ships. Each is in `persisted-documents.json` (npm run manifest), so a
// deployment with DANGJIAN_TRUSTED_ONLY=true accepts them; a test keeps the manifest up to date.

/** Who am I, what may I do, which plugins does my department have — a frontend's first query. */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      userId
      roles
      expiresAt
      organization { id code name kind }
      plugins { id version }
      permissions {
        manageMembers
        manageCadresAndMeetings
        manageOrganizations
        readClearPersonalData
        readPersonalDataAudit
        enablePlugins
        revokeSessions
      }
    }
  }
`);

/** An organization's global ID and kind by its code (e.g. `SZJGGW-MZJ-BGS`); null outside your subtree. */
export const OrganizationByCodeQuery = graphql(`
  query OrganizationByCode($code: String!) {
    organization(code: $code) { id code name kind }
  }
`);

/**
 * A branch secretary's dashboard: the problems the survey reports name, for one organization and its
 * subtree — term overdue, the secretary post, members and those in arrears with dues, branches short of
 * the 三会一课 cadence in a period, and the latest activities.
 */
export const SecretaryDashboardQuery = graphql(`
  query SecretaryDashboard($id: ID!, $from: Date!, $to: Date!) {
    organization(id: $id) {
      id
      code
      name
      termEnd
      termOverdue
      secretary { fullTime lastTrainedOn member { name } }
      members(first: 1) { totalCount }
      subtreeMemberCount
    }
    inArrears: members(filter: { under: $id, inArrears: true }, first: 1) { totalCount }
    meetingShortfalls(from: $from, to: $to, under: $id) {
      kind
      cadence
      required
      held
      organization { id code name }
    }
    activities(under: $id, first: 5) {
      edges { node { id kind summary createdAt } }
    }
  }
`);

/** Members belonging directly to an organization, a page at a time, by name. */
export const OrganizationMembersQuery = graphql(`
  query OrganizationMembers($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id
      members(first: $first, after: $after) {
        totalCount
        edges { node { id name status } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

/** A page of the activity feed of a subtree, newest first. */
export const ActivitiesQuery = graphql(`
  query Activities($under: ID, $first: Int, $after: String, $kinds: [String!]) {
    activities(under: $under, first: $first, after: $after, kinds: $kinds) {
      totalCount
      edges { node { id kind summary createdAt actorId subjectType subjectId } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** Records a meeting that was held, with its attendance (ADMIN or SECRETARY). */
export const RecordMeetingMutation = graphql(`
  mutation RecordMeeting($input: RecordMeetingInput!) {
    recordMeeting(input: $input) {
      id
      kind
      date
      topic
      presentCount
      absentCount
      attendanceRate
      organization { id code name }
    }
  }
`);

/**
 * The live activity feed of a subtree. `after` resumes from the last activity received: first what was
 * missed, then live, none twice — `client.activities()` passes it on every reconnect.
 */
export const ActivityFeedSubscription = graphql(`
  subscription ActivityFeed($under: ID, $after: ID) {
    activityAdded(under: $under, after: $after) {
      id
      kind
      summary
      createdAt
      actorId
      subjectType
      subjectId
      organization { id code name }
    }
  }
`);

/** Every operation of this package, by name: the contents of `persisted-documents.json`. */
export const operations = {
  Viewer: ViewerQuery,
  OrganizationByCode: OrganizationByCodeQuery,
  SecretaryDashboard: SecretaryDashboardQuery,
  OrganizationMembers: OrganizationMembersQuery,
  Activities: ActivitiesQuery,
  RecordMeeting: RecordMeetingMutation,
  ActivityFeed: ActivityFeedSubscription,
} as const;
