import { createHmac } from 'node:crypto';
import { PersonalDataVault, type PrismaClient } from '@dangjian/db';

/** Headers a receiver checks: `X-Dangjian-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** The signing secret as stored: ciphertext, or a plain value written before secrets were encrypted. */
export function webhookSecretOf(stored: string | null, vault: PersonalDataVault): string | null {
  if (stored === null) return null;
  return PersonalDataVault.keyIdOf(stored) === null ? stored : vault.decrypt(stored, 'ReminderSetting.webhookSecret');
}

/**
 * One attempt to deliver a webhook delivery: POST the notification as JSON, signed, within 10 s. A 2xx
 * marks it DELIVERED; anything else counts an attempt, keeps the error, marks it FAILED after the last
 * attempt, and throws (so a job queue retries it). A delivery already done, or whose webhook was removed,
 * is left alone.
 */
export async function attemptWebhook(
  db: PrismaClient,
  vault: PersonalDataVault,
  deliveryId: string,
  maxAttempts: number,
  now: () => Date,
): Promise<'DELIVERED' | 'SKIPPED'> {
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (delivery?.status !== 'PENDING') return 'SKIPPED';
  const [notification, setting] = await Promise.all([
    db.notification.findUnique({ where: { id: delivery.notificationId } }),
    db.reminderSetting.findUnique({ where: { organizationId: delivery.rootOrganizationId } }),
  ]);
  if (!notification || !setting?.webhookUrl) {
    await db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'FAILED', lastError: 'no webhook configured' } });
    return 'SKIPPED';
  }
  const body = JSON.stringify({
    id: gid('Notification', notification.id),
    kind: notification.kind,
    title: notification.title,
    body: notification.body,
    subjectId: notification.subjectType && notification.subjectId ? gid(notification.subjectType, notification.subjectId) : null,
    organizationId: gid('Organization', notification.organizationId),
    role: notification.role,
    createdAt: notification.createdAt.toISOString(),
  });
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const secret = webhookSecretOf(setting.webhookSecret, vault);
  let error: string | null = null;
  try {
    const response = await fetch(setting.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-dangjian-delivery': delivery.id,
        'x-dangjian-timestamp': timestamp,
        ...(secret ? { 'x-dangjian-signature': signWebhook(secret, timestamp, body) } : {}),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (!response.ok) error = `HTTP ${response.status}`;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const attempts = delivery.attempts + 1;
  if (error === null) {
    await db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'DELIVERED', attempts, deliveredAt: now() } });
    return 'DELIVERED';
  }
  await db.webhookDelivery.update({
    where: { id: deliveryId },
    data: { attempts, lastError: error.slice(0, 500), status: attempts >= maxAttempts ? 'FAILED' : 'PENDING' },
  });
  throw new Error(`webhook delivery ${deliveryId} failed (attempt ${attempts}): ${error}`);
}
