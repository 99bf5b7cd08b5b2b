import type { InspectionEventOf } from '../../../shared/inspection'
import type { UserView } from './state'

/**
 * Observe mode's leak: counted on the receiver's lane, with the owner named (the lane turns red and says whose
 * frames reached it). The reducer gives the owner a lane too, so both users show in the users view.
 */
export function applyObservedLeak(event: InspectionEventOf<'observed_leak'>, receiver: UserView): void {
  receiver.observedLeaksReceived += 1
  receiver.leakFrom = {
    ...receiver.leakFrom,
    [event.owner_user_id]: (receiver.leakFrom[event.owner_user_id] ?? 0) + 1
  }
}
