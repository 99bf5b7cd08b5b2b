import { useState } from 'react'
import { CommandError } from '../../components/CommandError'
import { replayFromFile, type Replay } from '../../session/replay'
import { useCommand } from '../../session/useCommand'
import type { InspectorState } from '../../store'
import { recordingFileName, saveRecording } from './recording'

/** Save the session as NDJSON, or open a recording and view it through the same projection as a live session. */
export function SessionsView({
  live,
  onOpen
}: {
  live: InspectorState | null
  onOpen: (replay: Replay) => void
}): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [notice, setNotice] = useState<string | null>(null)

  const exportRecording = async (): Promise<void> => {
    const reply = await run({ cmd: 'recording_export' })
    if (!reply.ok) return
    const exported = reply.result
    const fileName = recordingFileName(new Date())
    const saved = await saveRecording(exported.bytes, fileName)
    if (!saved.ok) return setNotice(`Not saved: ${saved.error.message}`)
    setNotice(`Saved ${exported.events} events (${exported.bytes} bytes) as ${fileName}.`)
  }

  const openRecording = (file: File): void => {
    setNotice(`Opening ${file.name}: the other tabs show it as it is read.`)
    // Read in a worker from the file itself: nothing crosses the control channel, whatever the file's size.
    onOpen(replayFromFile(file, live?.machine ?? null))
  }

  return (
    <div className="column padded">
      <div className="card">
        <h3>This session</h3>
        <p className="muted small">
          {live === null ? 'No session yet.' : `${live.eventCount} events so far (last seq ${live.lastSeq}).`}
        </p>
        <button
          type="button"
          className="primary"
          data-testid="recording-export-button"
          disabled={busy}
          onClick={() => void exportRecording()}
        >
          Export NDJSON
        </button>
      </div>
      <div className="card">
        <h3>Open a recording</h3>
        <p className="muted small">
          The other tabs then show the recording instead of the live session, from the moment it starts
          loading.
        </p>
        <input
          type="file"
          accept=".ndjson,.jsonl,application/x-ndjson"
          data-testid="recording-open-input"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file !== undefined) openRecording(file)
            e.target.value = ''
          }}
        />
      </div>
      {notice !== null && (
        <div className="notice" data-testid="sessions-notice">
          {notice}
        </div>
      )}
      <CommandError error={error} />
    </div>
  )
}
