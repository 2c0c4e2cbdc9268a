import type { Attachment } from '@dangjian/db';
import type { Builder } from '../builder.ts';

const newAttachmentRef = (builder: Builder) => builder.objectRef<Attachment>('Attachment');
const refs = new WeakMap<Builder, ReturnType<typeof newAttachmentRef>>();

/**
 * The builder's 附件 (Attachment) type: implemented by `registerAttachment`, returned by every owner's
 * `attachments` field (the kit's `attachmentsField`), whichever module adds it.
 */
export function attachmentRefOf(builder: Builder) {
  let ref = refs.get(builder);
  if (!ref) {
    ref = newAttachmentRef(builder);
    refs.set(builder, ref);
  }
  return ref;
}
