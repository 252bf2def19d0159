/**
 * Asked by the controllers before each pass that may write: may this process act as the leader now?
 * Leadership is only as fresh as the last renewal; a process paused past its lease (SIGSTOP, a frozen VM, a long
 * stall) wakes up believing it leads until its elector's next attempt says otherwise, and must not write meanwhile.
 */
export interface LeadershipGate {
  mayAct(): boolean;
}

/** Leader election off: the one process always acts. */
export const ALWAYS_LEADING: LeadershipGate = { mayAct: () => true };
