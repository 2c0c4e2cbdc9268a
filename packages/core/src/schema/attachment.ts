// 附件 (Attachment): the type, `attachments` on core's owner types, and the upload and delete mutations.
// Files are downloaded from GET /files/<id> (the server's data routes) with the same bearer token.

import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Builder } from '../builder.ts';
import { attachFile, attachmentLimitsFrom, deleteAttachment, type UploadedFile } from '../data/attachments.ts';
import { CORE_ATTACHMENT_OWNERS } from '../data/core-attachment-owners.ts';
import { InputError } from '../errors/errors.ts';
import { attachmentsField } from '../kit/attachments.ts';
import { attachmentRefOf } from './attachment-ref.ts';

/** The URL path an attachment is downloaded from. */
export const attachmentPath = (id: string) => `/files/${id}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const coreOwner = (type: string) => CORE_ATTACHMENT_OWNERS.find((o) => o.type === type)!;

/** Registers Attachment, `attachments` on meetings, development steps and task reports, `attachFile` and `deleteAttachment`. */
export function registerAttachment(builder: Builder): void {
  const Attachment = attachmentRefOf(builder).implement({
    description: '附件 — a file attached to a record (a meeting’s minutes, a development step’s materials, rectification evidence …)',
    fields: (t) => ({
      id: t.exposeID('id', { description: '附件编号 — the attachment’s id' }),
      name: t.exposeString('name', { description: '文件名 — the file’s name as uploaded (Chinese kept)' }),
      contentType: t.exposeString('contentType', { description: '类型 — the content type, detected from the content' }),
      size: t.exposeInt('size', { description: '大小 — size in bytes' }),
      sha256: t.exposeString('sha256', { description: '校验值 — SHA-256 of the content, hex' }),
      uploaderId: t.exposeString('uploaderId', { nullable: true, description: '上传人 — the user who uploaded it' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: '上传时间 — when it was uploaded' }),
      downloadUrl: t.string({
        description: '下载地址 — path to GET with the same bearer token (served as an attachment, never rendered)',
        resolve: (a) => attachmentPath(a.id),
      }),
    }),
  });

  attachmentsField(builder, 'Meeting', coreOwner('Meeting'), {
    description: '附件 — files attached to the meeting (minutes, photos), oldest first',
  });
  attachmentsField(builder, 'DevelopmentEntry', coreOwner('DevelopmentEntry'), {
    description: '附件 — files of this step (入党申请书, 政审材料, 入党志愿书 …), oldest first',
    ownerIdField: true,
  });
  attachmentsField(builder, 'AssessmentTaskAssignment', coreOwner('AssessmentTaskAssignment'), {
    description: '附件 — files supporting the organization’s report on the task, oldest first',
  });

  builder.mutationField('attachFile', (t) =>
    t.field({
      type: Attachment,
      description:
        '上传附件 — attach a file (PDF, JPEG, PNG or an Office document, checked by content) to a record you may see; the record type decides who may write (ADMIN or SECRETARY unless it says otherwise); multipart request',
      authScopes: { authenticated: true },
      args: {
        ownerId: t.arg.id({
          required: true,
          description:
            '所属对象 — global ID of the record (Meeting, AssessmentTaskAssignment, a plugin’s record …; for a development step its `attachmentOwnerId`)',
        }),
        file: t.arg({ type: 'File', required: true, description: '文件 — the file part of the multipart request' }),
      },
      resolve: async (_root, args, ctx) => {
        let owner: { typename: string; id: string };
        try {
          owner = decodeGlobalID(String(args.ownerId));
        } catch {
          throw new InputError('ownerId', 'is not a valid ID');
        }
        return attachFile(ctx, owner.typename, owner.id, args.file as UploadedFile, attachmentLimitsFrom(process.env));
      },
    }),
  );

  builder.mutationField('deleteAttachment', (t) =>
    t.field({
      type: Attachment,
      description: '删除附件 — delete an attachment (the roles that may attach to its record); the record of who deleted it stays, audited',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '附件编号 — the attachment’s id' }) },
      resolve: (_root, args, ctx) => {
        if (!UUID.test(String(args.id))) throw new InputError('id', 'is not an attachment id');
        return deleteAttachment(ctx, String(args.id));
      },
    }),
  );
}
