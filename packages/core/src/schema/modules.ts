import type { Builder } from '../builder.ts';
import { registerActivity } from './activity.ts';
import { registerCadre } from './cadre.ts';
import { registerDues } from './dues.ts';
import { registerMeeting } from './meeting.ts';
import { registerMember } from './member.ts';
import { registerOrganization } from './organization.ts';
import { registerPlugin } from './plugin.ts';
import { registerRoots } from './roots.ts';
import { registerScalars } from './scalars.ts';
import { registerSessionRevocation } from './session-revocation.ts';
import { registerViewer } from './viewer.ts';

/** A part of the schema: registers its types and operations on a builder. */
export type SchemaModule = (builder: Builder) => void;

/** The core schema, in registration order. */
export const coreSchemaModules: readonly SchemaModule[] = [
  registerScalars,
  registerRoots,
  registerOrganization,
  registerMember,
  registerDues,
  registerCadre,
  registerMeeting,
  registerActivity,
  registerViewer,
  registerPlugin,
  registerSessionRevocation,
];
