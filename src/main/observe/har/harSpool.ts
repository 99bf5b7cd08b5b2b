import { appendFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** Bytes of messages held in memory across all connections before they are written to their spool files. */
export const SPOOL_MEMORY_BYTES = 8 * 1024 * 1024

/**
 * Holds each connection's HAR messages (as JSON text) until the HAR is written: in memory up to a budget, then
 * appended to one temporary file per connection, so exporting a recording of any size takes bounded memory.
 */
export class HarSpool {
  private readonly directory = mkdtempSync(join(tmpdir(), 'session-inspector-har-'))
  private readonly pending = new Map<string, string[]>()
  private readonly spooled = new Set<string>()
  private readonly files = new Map<string, string>()
  private pendingBytes = 0

  add(connectionKey: string, messageJson: string): void {
    let list = this.pending.get(connectionKey)
    if (list === undefined) this.pending.set(connectionKey, (list = []))
    list.push(messageJson)
    this.pendingBytes += messageJson.length
    if (this.pendingBytes > SPOOL_MEMORY_BYTES) this.spill()
  }

  /** The connection's messages in the order added, as JSON texts. */
  async *messages(connectionKey: string): AsyncGenerator<string> {
    if (this.spooled.has(connectionKey)) {
      const lines = createInterface({ input: createReadStream(this.fileOf(connectionKey), 'utf8') })
      for await (const line of lines) if (line !== '') yield line
    }
    yield* this.pending.get(connectionKey) ?? []
  }

  /** Deletes the spool files. */
  dispose(): void {
    rmSync(this.directory, { recursive: true, force: true })
  }

  private spill(): void {
    for (const [key, list] of this.pending) {
      if (list.length === 0) continue
      appendFileSync(this.fileOf(key), `${list.join('\n')}\n`)
      this.spooled.add(key)
    }
    this.pending.clear()
    this.pendingBytes = 0
  }

  private fileOf(connectionKey: string): string {
    let file = this.files.get(connectionKey)
    if (file === undefined)
      this.files.set(connectionKey, (file = join(this.directory, `${this.files.size}.jsonl`)))
    return file
  }
}
