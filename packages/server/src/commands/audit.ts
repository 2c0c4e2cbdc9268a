import { complain, say } from '../cli-io.ts';
import { verifyAuditChain } from '@dangjian/core/audit';
import { openDatabase } from '@dangjian/db';
import type { Config } from '../config.ts';

/** `dangjian audit verify`: walks the hash chain; exit 0 when intact, 1 at the first broken link. */
export async function audit(config: Config, action: string | undefined, log = say): Promise<number> {
  if (action !== 'verify') {
    complain(`usage: dangjian audit verify (got "${action ?? ''}")`);
    return 2;
  }
  const db = await openDatabase(config.database);
  try {
    const report = await verifyAuditChain(db.client);
    if (!report.firstBroken) {
      log(`audit trail intact: ${report.checked} record(s) verified`);
      return 0;
    }
    log(
      `audit trail broken at record ${report.firstBroken.seq}: ${report.firstBroken.reason} (${report.checked} record(s) before it verified)`,
    );
    return 1;
  } finally {
    await db.close();
  }
}
