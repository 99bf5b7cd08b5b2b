import { useState } from 'react'
import { CommandError } from '../../components/CommandError'
import { JsonView } from '../../components/JsonView'
import { useCommand } from '../../session/useCommand'
import type { InspectorState } from '../../store'
import { downloadText, ndjsonFromExport, recordingFileName } from './recording'

/** Save the session as NDJSON, or open a recording: the runtime replays it and resets the UI to it. */
export function SessionsView({ state }: { state: InspectorState | null }): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [notice, setNotice] = useState<string | null>(null)
  const [openResult, setOpenResult] = useState<unknown>(undefined)

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
    const ndjson = await file.text()
    const reply = await run({ cmd: 'recording_open', ndjson })
    if (!reply.ok) return
    setNotice(`Opened ${file.name}.`)
    setOpenResult(reply.result)
  }

  return (
    <div className="column padded">
      <div className="card">
        <h3>This session</h3>
        <p className="muted small">
          {state === null
            ? 'No session yet.'
            : `${state.eventCount} events so far (last seq ${state.lastSeq}).`}
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
        {openResult !== undefined && (
          <div className="json" data-testid="recording-open-result">
            <JsonView value={openResult} />
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
