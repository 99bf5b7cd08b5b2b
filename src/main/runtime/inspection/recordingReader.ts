/** The runtime reads recordings with the same line checks as the renderer: src/shared/recordingFormat.ts. */
export { readRecordingText as readRecording, type RecordingRead } from '../../../shared/recordingFormat'
