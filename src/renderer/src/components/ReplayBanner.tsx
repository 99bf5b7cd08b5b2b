import type { Replay } from '../session/replay'

export function ReplayBanner({ replay, onExit }: { replay: Replay; onExit: () => void }): React.JSX.Element {
  return (
    <div className="banner banner-replay" data-testid="replay-banner" data-name={replay.name}>
      Viewing recording <b className="mono">{replay.name}</b> ({replay.state.eventCount} events
      {replay.tornLastLine ? ', last line cut off' : ''}). Commands still act on the live runtime.
      <button type="button" data-testid="replay-exit-button" onClick={onExit}>
        Back to live
      </button>
    </div>
  )
}
