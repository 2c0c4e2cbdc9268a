import type { Builder } from '../builder.ts';
import { registerActivity } from './activity.ts';
import { registerAssessmentSchemes } from './assessment-schemes.ts';
import { registerAttachment } from './attachment.ts';
import { registerCadre } from './cadre.ts';
import { registerDataImport } from './data-import.ts';
import { registerDevelopment } from './development.ts';
import { registerIndicator } from './indicator.ts';
import { registerDues } from './dues.ts';
import { registerMeeting } from './meeting.ts';
import { registerMember } from './member.ts';
import { registerNotification } from './notification.ts';
import { registerOrganization } from './organization.ts';
import { registerPlugin } from './plugin.ts';
import { registerReminderAdmin } from './reminder-admin.ts';
import { registerRoots } from './roots.ts';
import { registerScalars } from './scalars.ts';
import { registerTransferLetter } from './transfer-letter.ts';
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
  registerTransferLetter,
  registerCadre,
  registerMeeting,
  registerIndicator,
  registerAssessmentSchemes,
  registerDevelopment,
  registerActivity,
  registerViewer,
  registerPlugin,
  registerSessionRevocation,
  registerNotification,
  registerReminderAdmin,
  registerDataImport,
  registerAttachment,
];
