export { PEER_INDICATORS, type PeerCard, peerRanking, peerValues } from './ranking.ts';
export type { Branch, PeerInput, PeerValues } from './input.ts';
