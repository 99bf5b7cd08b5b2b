import { splitBlock, type LineBlock, type LinesChecked } from '../../../shared/lineReader'
import { checkRecordingLine } from '../../../shared/recordingFormat'

const ALL_FINE: LinesChecked = { failure: null, tornLastLine: false }

/**
 * Checks a recording's lines on the reading worker's side (JSON, then the header's or the event's zod schema, as
 * RecordingIndexer checks them), block by block in the file's order. The reader checks a block only when the indexer
 * is behind (it would wait anyway): in Chromium, checking every line there made the reader the slower of the two
 * (3.1 s of CPU for 100 MB against the indexer's 2.2), while the indexer spends on checking about a fifth of its
 * time. A block not checked here goes unmarked, and the indexer checks it itself.
 */
export class LineChecker {
  private lineNumber = 0
  /** No line but blank ones yet: the next one may be the header, so it is checked here whatever the caller asks. */
  private beforeFirstLine = true
  private stopped = false

  /** Where the recording stops is found: the block that said so was the last one to send. */
  get done(): boolean {
    return this.stopped
  }

  /**
   * Every block, in order: checked when `check` (the block holding the first bad line comes back cut just before it,
   * saying what is wrong), else only counted.
   */
  pass(block: LineBlock, check: boolean): LineBlock {
    if (!check && !this.beforeFirstLine) {
      this.lineNumber += block.starts.length
      return block
    }
    const { texts } = splitBlock(block)
    for (let index = 0; index < texts.length; index++) {
      this.lineNumber += 1
      const text = texts[index] as string
      if (text.trim() === '') continue
      const checked = checkRecordingLine(text, this.beforeFirstLine)
      this.beforeFirstLine = false
      if (checked.kind !== 'bad') continue
      this.stopped = true
      const torn = checked.notJson && block.unterminatedLast && index === texts.length - 1
      return {
        ...before(block, index),
        checked: torn
          ? { failure: null, tornLastLine: true }
          : { failure: { line: this.lineNumber, problem: checked.problem }, tornLastLine: false }
      }
    }
    return { ...block, checked: ALL_FINE }
  }
}

/** The block's lines before line `index` of it. */
function before(block: LineBlock, index: number): LineBlock {
  const cut = index < block.starts.length ? (block.starts[index] as number) : block.end
  return {
    bytes: block.bytes.subarray(0, block.bytes.length - (block.end - cut)),
    starts: block.starts.subarray(0, index),
    end: cut,
    unterminatedLast: false
  }
}
