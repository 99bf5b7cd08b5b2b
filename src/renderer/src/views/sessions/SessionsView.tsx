import { useState } from 'react'
import { CommandError } from '../../components/CommandError'
import { JsonView } from '../../components/JsonView'
import { replayFromEvents, type Replay } from '../../session/replay'
import { useCommand } from '../../session/useCommand'
import type { InspectorState } from '../../store'
import { downloadText } from '../../components/download'
import { eventsFromOpen, ndjsonFromExport, recordingFileName } from './recording'

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
  const [unrecognised, setUnrecognised] = useState<unknown>(undefined)

  const exportRecording = async (): Promise<void> => {
    const reply = await run({ cmd: 'recording_export' })
    if (!reply.ok) return
    const ndjson = ndjsonFromExport(reply.result)
    if (ndjson === null) return setNotice('recording_export returned no NDJSON text; nothing was saved.')
    const fileName = recordingFileName(new Date())
    downloadText(ndjson, fileName, 'application/x-ndjson')
    setNotice(
      `Saved ${ndjson.split('\n').filter((line) => line.trim() !== '').length} events as ${fileName}.`
    )
  }

  const openRecording = async (file: File): Promise<void> => {
    const reply = await run({ cmd: 'recording_open', ndjson: await file.text() })
    if (!reply.ok) return
    const opened = eventsFromOpen(reply.result)
    if (opened === null) {
      setUnrecognised(reply.result)
      return setNotice(`recording_open answered in a shape this UI does not know; shown below.`)
    }
    setUnrecognised(undefined)
    setNotice(
      `Opened ${file.name}: ${opened.events.length} events${opened.tornLastLine ? ' (last line was cut off)' : ''}.`
    )
    onOpen(
      replayFromEvents(file.name, opened.events, live?.machine ?? null, { tornLastLine: opened.tornLastLine })
    )
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
        <p className="muted small">The other tabs then show the recording instead of the live session.</p>
        <input
          type="file"
          accept=".ndjson,.jsonl,application/x-ndjson"
          data-testid="recording-open-input"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file !== undefined) void openRecording(file)
            e.target.value = ''
          }}
        />
        {unrecognised !== undefined && (
          <div className="json" data-testid="recording-open-result">
            <JsonView value={unrecognised} />
          </div>
        )}
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
