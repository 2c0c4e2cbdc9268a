/** Scenarios 4 and 5 alike: subscribers connected per side, then rounds of events alternating the sides. */
import type { MutationSpec, RoundResult } from '../lib/load-ws.ts';
import { cpuSecondsOf, type Proc } from '../lib/proc.ts';
import { fmt, median } from '../lib/stats.ts';
import type { SubSummary } from '../results.ts';
import { globalId, type Headers } from '../setup/auth.ts';
import type { BenchContext } from '../setup/context.ts';
import { wsDriver, type WsDriver } from './ws-driver.ts';

const SUBSCRIPTION = `subscription { activityAdded { id kind summary } }`;
const MUTATION = `mutation M($id: ID!, $agency: String) { updateOrganization(id: $id, input: { agency: $agency }) { id } }`;

/** The mutation that makes each event: a fresh `agency` of the working committee (`$n` is the event number). */
export function eventMutation(url: string, headers: Headers, rootId: string): MutationSpec {
  return {
    url,
    headers,
    body: JSON.stringify({ query: MUTATION, variables: { id: globalId('Organization', rootId), agency: '市直机关工委 $n' } }),
  };
}

/** One side of the comparison: its server processes, where its subscribers connect, and what it sends. */
export interface SubSide {
  key: string;
  label: string;
  /** Whose CPU and RSS count for this side. */
  procs: Proc[];
  /** Where subscribers connect (spread round-robin). */
  urls: string[];
  token: string | null;
  mutation: MutationSpec;
}

interface SideRun {
  side: SubSide;
  driver: WsDriver;
  connectMs: number;
  rounds: (RoundResult & { cpu: number })[];
}

/** n subscribers per side, a warm-up event, then `rounds` rounds of `eventsPerRound` events; one summary per side. */
export async function subscriptionRounds(ctx: BenchContext, sides: SubSide[], n: number): Promise<SubSummary[]> {
  const { rounds, eventsPerRound } = ctx.options;
  const runs: SideRun[] = [];
  for (const side of sides) {
    const driver = await wsDriver();
    driver.send({ type: 'connect', urls: side.urls, token: side.token, n, query: SUBSCRIPTION });
    const connected = await driver.next<{ ms: number }>('connected');
    driver.send({ type: 'warmup', mutation: side.mutation, timeoutMs: 60_000 });
    await driver.next('warmed');
    ctx.log(`  ${side.key}: ${n} subscribers connected in ${connected.ms} ms`);
    runs.push({ side, driver, connectMs: connected.ms, rounds: [] });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const run of runs) {
      const { side, driver } = run;
      const cpu0 = side.procs.reduce((t, p) => t + cpuSecondsOf(p.pid), 0);
      driver.send({ type: 'round', events: eventsPerRound, mutation: side.mutation, timeoutMs: 15_000, gapMs: 300 });
      const r = await driver.next<RoundResult>('round');
      const cpu = side.procs.reduce((t, p) => t + cpuSecondsOf(p.pid), 0) - cpu0;
      run.rounds.push({ ...r, cpu });
      ctx.log(
        `  ${side.key} n=${n} round ${round}: p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, delivered ${r.delivered}/${r.expected}, wrong ${r.wrong}, CPU ${cpu.toFixed(2)} s, client CPU ${r.clientCpu.toFixed(2)} s`,
      );
    }
  }
  const summaries: SubSummary[] = [];
  for (const { side, driver, connectMs, rounds: measured } of runs) {
    await driver.close();
    const delivered = measured.reduce((t, r) => t + r.delivered, 0);
    const expected = measured.reduce((t, r) => t + r.expected, 0);
    const wrong = measured.reduce((t, r) => t + r.wrong, 0);
    ctx.check(
      delivered === expected && wrong === 0,
      `subscriptions ${side.key} n=${n}: every subscriber got every event, correctly (${delivered}/${expected}, ${wrong} wrong)`,
    );
    summaries.push({
      key: side.key,
      label: side.label,
      subscribers: n,
      p50: median(measured.map((r) => r.p50)),
      p99: median(measured.map((r) => r.p99)),
      worstP99: Math.max(...measured.map((r) => r.p99)),
      cpuPerEvent: median(measured.map((r) => r.cpu / eventsPerRound)),
      clientCpuPerEvent: median(measured.map((r) => r.clientCpu / eventsPerRound)),
      peakRss: side.procs.reduce((t, p) => t + p.peakRssMb(), 0),
      delivered,
      expected,
      wrong,
      connectMs,
      perServer: side.urls.map((_, k) => ({
        p50: median(measured.map((r) => r.perServer[k]!.p50)),
        p99: median(measured.map((r) => r.perServer[k]!.p99)),
      })),
    });
  }
  return summaries;
}
